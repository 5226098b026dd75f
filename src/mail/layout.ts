// The frame of every email: the magazine's name on top, the site's address at the
// bottom, an HTML part with inline styles (mail clients drop <style>), and a
// plain-text part with the same words.
import { escapeHtml } from '../lib/rich-text.js';

export interface EmailContent {
  subject: string;
  /** Paragraphs of plain text. */
  paragraphs: string[];
  action?: { label: string; url: string };
  /** A closing line, e.g. why the reader got this message. */
  footnote?: string;
}

export interface SiteIdentity {
  siteName: string;
  siteUrl: string;
}

export function renderEmail(site: SiteIdentity, content: EmailContent): { subject: string; text: string; html: string } {
  const text = [
    site.siteName,
    '',
    ...content.paragraphs.flatMap((p) => [p, '']),
    ...(content.action ? [`${content.action.label}:`, content.action.url, ''] : []),
    ...(content.footnote ? [content.footnote, ''] : []),
    '—',
    `${site.siteName} · ${site.siteUrl}`,
  ].join('\n');
  const p = (s: string) => `<p style="margin:0 0 16px;font:16px/1.5 Georgia,serif;color:#1d1d1f">${escapeHtml(s)}</p>`;
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="color-scheme" content="light dark"><title>${escapeHtml(content.subject)}</title></head>
<body style="margin:0;padding:0;background:#f4f1ea">
<table role="presentation" width="100%" cellspacing="0" cellpadding="0" style="background:#f4f1ea"><tr><td align="center" style="padding:24px 12px">
<table role="presentation" width="100%" cellspacing="0" cellpadding="0" style="max-width:560px;background:#ffffff;border-radius:8px">
<tr><td style="padding:24px 28px 8px;font:bold 22px/1.2 Georgia,serif;color:#b3261e">${escapeHtml(site.siteName)}</td></tr>
<tr><td style="padding:8px 28px 8px">${content.paragraphs.map(p).join('')}
${
  content.action
    ? `<p style="margin:24px 0"><a href="${escapeHtml(content.action.url)}" style="display:inline-block;background:#b3261e;color:#ffffff;text-decoration:none;font:bold 16px/1 system-ui,sans-serif;padding:14px 22px;border-radius:6px">${escapeHtml(content.action.label)}</a></p>
<p style="margin:0 0 16px;font:13px/1.5 system-ui,sans-serif;color:#55534e">If the button does not work, copy this address into your browser:<br><a href="${escapeHtml(content.action.url)}" style="color:#8c1d17;word-break:break-all">${escapeHtml(content.action.url)}</a></p>`
    : ''
}
${content.footnote ? `<p style="margin:0 0 16px;font:13px/1.5 system-ui,sans-serif;color:#55534e">${escapeHtml(content.footnote)}</p>` : ''}</td></tr>
<tr><td style="padding:16px 28px 24px;border-top:1px solid #e6e1d6;font:13px/1.5 system-ui,sans-serif;color:#55534e">${escapeHtml(site.siteName)} · <a href="${escapeHtml(site.siteUrl)}" style="color:#8c1d17">${escapeHtml(site.siteUrl.replace(/^https?:\/\//, ''))}</a></td></tr>
</table></td></tr></table></body></html>`;
  return { subject: content.subject, text, html };
}
