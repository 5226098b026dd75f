// An issue as an email and as text. The HTML is built for mail clients, not
// browsers: nested tables for layout, every style inline (many clients drop
// <style>; the one <style> block only adds dark-mode colours for the clients that
// read it), pictures with width, height and alt text, and no tracking of any
// kind (no pixel, no per-reader link parameters). The plain-text part carries
// the same words and links. Personal links (unsubscribe, preferences) are left
// as placeholders, so an issue is rendered once and each recipient's copy is a
// string replacement.
import { escapeHtml, renderRichText, safeHref, type RichNode } from '../../lib/rich-text.js';
import { formatLongDate } from '../../lib/dates.js';

export interface IssueItem {
  articleId: string;
  slug: string;
  title: string;
  dek: string;
  /** The byline line as text: "16 year-old Name reports on ...". */
  byline: string;
  section: { slug: string; name: string } | null;
  publishedAt: string;
  /** A JPEG variant under /media, for mail clients that know no AVIF or WebP. */
  picture: { src: string; width: number; height: number; alt: string } | null;
}

export interface IssueContent {
  newsletterName: string;
  newsletterSlug: string;
  number: number | null;
  subject: string;
  intro: RichNode;
  items: IssueItem[];
  /** The date printed on the issue. */
  date: string;
}

export interface RenderedIssue {
  subject: string;
  html: string;
  text: string;
}

export const PLACEHOLDER = { unsubscribe: '%%UNSUBSCRIBE_URL%%', preferences: '%%PREFERENCES_URL%%' } as const;

const COLORS = { page: '#f4f1ea', card: '#ffffff', ink: '#1d1d1f', muted: '#55534e', accent: '#b3261e', link: '#8c1d17', rule: '#e6e1d6' };
const SERIF = "Georgia,'Times New Roman',serif";
const SANS = "system-ui,-apple-system,'Segoe UI',Roboto,Arial,sans-serif";
/** The card is 600 pixels wide with 28 on each side: pictures fill the column between. */
const PAD = 28;
const IMAGE_WIDTH = 600 - 2 * PAD;

/** Items grouped by section, in the order the editor left them (a section appears where its first item is). */
export function groupBySection(items: IssueItem[]): { section: IssueItem['section']; items: IssueItem[] }[] {
  const groups: { key: string; section: IssueItem['section']; items: IssueItem[] }[] = [];
  for (const item of items) {
    const key = item.section?.slug ?? '';
    let group = groups.find((g) => g.key === key);
    if (!group) {
      group = { key, section: item.section, items: [] };
      groups.push(group);
    }
    group.items.push(item);
  }
  return groups.map(({ section, items: list }) => ({ section, items: list }));
}

const STYLES: Record<string, string> = {
  p: `margin:0 0 16px;font:17px/1.55 ${SERIF};color:${COLORS.ink}`,
  h2: `margin:24px 0 8px;font:bold 20px/1.3 ${SERIF};color:${COLORS.ink}`,
  h3: `margin:20px 0 8px;font:bold 18px/1.3 ${SERIF};color:${COLORS.ink}`,
  blockquote: `margin:0 0 16px;padding:0 0 0 14px;border-left:3px solid ${COLORS.accent}`,
  ul: 'margin:0 0 16px;padding:0 0 0 22px',
  ol: 'margin:0 0 16px;padding:0 0 0 22px',
  li: `margin:0 0 6px;font:17px/1.55 ${SERIF};color:${COLORS.ink}`,
  a: `color:${COLORS.link};text-decoration:underline`,
};

/**
 * The intro's sanitized HTML with inline styles, and relative links made
 * absolute. The rich-text renderer emits only bare tags (and href/start), so
 * adding a style attribute to each is a plain replacement.
 */
export function emailIntroHtml(intro: RichNode, siteUrl: string): string {
  return renderRichText(intro)
    .replace(/<(p|h2|h3|blockquote|ul|li)>/g, (_m, tag: string) => `<${tag} class="hb-text" style="${STYLES[tag]}">`)
    .replace(/<ol( start="\d+")?>/g, (_m, start: string | undefined) => `<ol${start ?? ''} style="${STYLES.ol}">`)
    .replace(/<a href="\/(?!\/)/g, `<a href="${siteUrl}/`)
    .replace(/<a href=/g, `<a class="hb-link" style="${STYLES.a}" href=`);
}

/** The intro as text: blocks separated by blank lines, links written out after their words. */
export function introText(node: RichNode, siteUrl: string): string {
  const inline = (n: RichNode): string => {
    if (n.type === 'text') {
      const link = n.marks?.find((m) => m.type === 'link');
      const href = link ? safeHref(link.attrs?.href) : null;
      const text = n.text ?? '';
      if (!href) return text;
      const absolute = href.startsWith('/') ? `${siteUrl}${href}` : href;
      return absolute === text ? text : `${text} (${absolute})`;
    }
    if (n.type === 'hardBreak') return '\n';
    return (n.content ?? []).map(inline).join('');
  };
  const blocks: string[] = [];
  const walk = (n: RichNode, prefix: string) => {
    switch (n.type) {
      case 'doc':
        n.content?.forEach((c) => walk(c, prefix));
        break;
      case 'paragraph':
        blocks.push(prefix + inline(n));
        break;
      case 'heading':
        blocks.push(inline(n).toUpperCase());
        break;
      case 'blockquote':
        n.content?.forEach((c) => walk(c, '> '));
        break;
      case 'bulletList':
      case 'orderedList':
        (n.content ?? []).forEach((li, i) =>
          blocks.push(`${n.type === 'orderedList' ? `${i + 1}.` : '-'} ${(li.content ?? []).map(inline).join(' ')}`),
        );
        break;
      default:
        break;
    }
  };
  walk(node, '');
  return blocks.filter((b) => b.trim() !== '').join('\n\n');
}

function hasText(doc: RichNode): boolean {
  const walk = (n: RichNode): boolean => (n.type === 'text' && (n.text ?? '').trim() !== '') || (n.content ?? []).some(walk);
  return walk(doc);
}

export interface RenderIssueOptions {
  siteName: string;
  siteUrl: string;
  /** The public web version, once the issue has a number. */
  webUrl: string | null;
}

export function renderIssueEmail(content: IssueContent, options: RenderIssueOptions): RenderedIssue {
  const { siteUrl, siteName } = options;
  const e = escapeHtml;
  const articleUrl = (item: IssueItem) => `${siteUrl}/articles/${item.slug}`;
  const groups = groupBySection(content.items);
  const showIntro = hasText(content.intro);
  const heading = `${content.newsletterName}${content.number ? ` · No. ${content.number}` : ''}`;
  const dateLine = formatLongDate(content.date);
  const preheader = (showIntro ? introText(content.intro, siteUrl).split('\n')[0]! : content.items.map((i) => i.title).join(' · ')).slice(
    0,
    140,
  );

  const itemHtml = (item: IssueItem) => {
    const url = e(articleUrl(item));
    const picture = item.picture
      ? `<tr><td style="padding:0 0 12px"><a href="${url}"><img src="${e(/^https?:\/\//.test(item.picture.src) ? item.picture.src : siteUrl + item.picture.src)}" width="${IMAGE_WIDTH}" height="${Math.round((IMAGE_WIDTH * item.picture.height) / Math.max(1, item.picture.width))}" alt="${e(item.picture.alt || item.title)}" style="display:block;width:100%;max-width:${IMAGE_WIDTH}px;height:auto;border:0;border-radius:4px"></a></td></tr>`
      : '';
    return `<table role="presentation" width="100%" cellspacing="0" cellpadding="0" style="margin:0 0 28px">${picture}
<tr><td><h3 style="margin:0 0 6px;font:bold 21px/1.3 ${SERIF}"><a class="hb-title" href="${url}" style="color:${COLORS.ink};text-decoration:none">${e(item.title)}</a></h3>
${item.dek ? `<p class="hb-text" style="margin:0 0 8px;font:16px/1.5 ${SERIF};color:${COLORS.ink}">${e(item.dek)}</p>` : ''}
${item.byline ? `<p class="hb-muted" style="margin:0 0 8px;font:14px/1.45 ${SANS};color:${COLORS.muted}">${e(item.byline)}</p>` : ''}
<p style="margin:0;font:bold 14px/1.4 ${SANS}"><a class="hb-link" href="${url}" style="color:${COLORS.link}">Read the story →</a></p></td></tr></table>`;
  };

  const sectionsHtml = groups
    .map(
      (
        g,
      ) => `${g.section ? `<h2 class="hb-accent" style="margin:8px 0 14px;padding:0 0 6px;border-bottom:1px solid ${COLORS.rule};font:bold 13px/1.2 ${SANS};letter-spacing:.08em;text-transform:uppercase;color:${COLORS.accent}">${e(g.section.name)}</h2>` : ''}
${g.items.map(itemHtml).join('\n')}`,
    )
    .join('\n');

  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="color-scheme" content="light dark"><meta name="supported-color-schemes" content="light dark"><title>${e(content.subject)}</title>
<style>
@media (prefers-color-scheme: dark) {
  .hb-page { background:#121212 !important; }
  .hb-card { background:#1e1e1e !important; }
  .hb-text, .hb-title { color:#f1efe9 !important; }
  .hb-muted { color:#b9b5ab !important; }
  .hb-link { color:#ff8a80 !important; }
  .hb-accent { color:#ff8a80 !important; border-color:#3a3a3a !important; }
}
</style></head>
<body class="hb-page" style="margin:0;padding:0;background:${COLORS.page}">
<div style="display:none;max-height:0;overflow:hidden;mso-hide:all">${e(preheader)}</div>
<table role="presentation" class="hb-page" width="100%" cellspacing="0" cellpadding="0" style="background:${COLORS.page}"><tr><td align="center" style="padding:24px 12px">
<table role="presentation" class="hb-card" width="100%" cellspacing="0" cellpadding="0" style="max-width:600px;background:${COLORS.card};border-radius:8px">
<tr><td style="padding:28px ${PAD}px 8px">
<p class="hb-accent" style="margin:0 0 4px;font:bold 13px/1.2 ${SANS};letter-spacing:.08em;text-transform:uppercase;color:${COLORS.accent}">${e(siteName)}</p>
<h1 class="hb-text" style="margin:0 0 4px;font:bold 28px/1.2 ${SERIF};color:${COLORS.ink}">${e(heading)}</h1>
<p class="hb-muted" style="margin:0 0 8px;font:14px/1.4 ${SANS};color:${COLORS.muted}">${e(dateLine)}${options.webUrl ? ` · <a class="hb-link" href="${e(options.webUrl)}" style="color:${COLORS.link}">Read it on the web</a>` : ''}</p>
</td></tr>
${showIntro ? `<tr><td style="padding:16px ${PAD}px 8px">${emailIntroHtml(content.intro, siteUrl)}</td></tr>` : ''}
<tr><td style="padding:8px ${PAD}px 8px">${sectionsHtml}</td></tr>
<tr><td class="hb-muted" style="padding:16px ${PAD}px 28px;border-top:1px solid ${COLORS.rule};font:13px/1.5 ${SANS};color:${COLORS.muted}">
<p style="margin:0 0 8px">You get the ${e(content.newsletterName)} because you subscribed at ${e(siteName)}. Written by teenagers for teenagers.</p>
<p style="margin:0 0 8px"><a class="hb-link" href="${PLACEHOLDER.unsubscribe}" style="color:${COLORS.link}">Unsubscribe</a> · <a class="hb-link" href="${PLACEHOLDER.preferences}" style="color:${COLORS.link}">Choose your newsletters</a></p>
<p style="margin:0">${e(siteName)} · <a class="hb-link" href="${e(siteUrl)}" style="color:${COLORS.link}">${e(siteUrl.replace(/^https?:\/\//, ''))}</a></p>
</td></tr></table></td></tr></table></body></html>`;

  const rule = '—'.repeat(24);
  const text = [
    `${siteName.toUpperCase()}`,
    heading,
    dateLine,
    ...(options.webUrl ? [`Read it on the web: ${options.webUrl}`] : []),
    '',
    ...(showIntro ? [introText(content.intro, siteUrl), ''] : []),
    ...groups.flatMap((g) => [
      ...(g.section ? [rule, g.section.name.toUpperCase(), rule, ''] : []),
      ...g.items.flatMap((item) => [
        item.title,
        ...(item.dek ? [item.dek] : []),
        ...(item.byline ? [item.byline] : []),
        `Read the story: ${articleUrl(item)}`,
        '',
      ]),
    ]),
    rule,
    `You get the ${content.newsletterName} because you subscribed at ${siteName}.`,
    `Unsubscribe: ${PLACEHOLDER.unsubscribe}`,
    `Choose your newsletters: ${PLACEHOLDER.preferences}`,
    `${siteName} · ${siteUrl}`,
  ].join('\n');

  return { subject: content.subject, html, text };
}

/** One recipient's copy: the personal links put in. */
export function personalise(rendered: RenderedIssue, links: { unsubscribe: string; preferences: string }): RenderedIssue {
  const fill = (s: string, escape: boolean) =>
    s
      .replaceAll(PLACEHOLDER.unsubscribe, escape ? escapeHtml(links.unsubscribe) : links.unsubscribe)
      .replaceAll(PLACEHOLDER.preferences, escape ? escapeHtml(links.preferences) : links.preferences);
  return { subject: rendered.subject, html: fill(rendered.html, true), text: fill(rendered.text, false) };
}
