// Forms as a browser without JavaScript fills them in and posts them, read from a
// page's HTML: what tests post back when they save a page's form unchanged.
import assert from 'node:assert/strict';

/** An attribute value or element text with the page's entities decoded. */
export const unescapeHtml = (s: string) =>
  s
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

function attrs(tag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of tag.matchAll(/\s([\w-]+)(?:="([^"]*)")?/g)) out[m[1]!] = unescapeHtml(m[2] ?? '');
  return out;
}

/**
 * The fields the newsroom's article form (`#article-form`) would post, in order,
 * as a browser without JavaScript collects them: a multiple select sends each
 * selected option, a single one its selected option or else its first.
 */
export function articleFormFields(html: string): [string, string][] {
  const start = html.indexOf('<form id="article-form"');
  assert.ok(start >= 0, 'the page has the article form');
  const form = html.slice(start, html.indexOf('</form>', start));
  const fields: [string, string][] = [];
  for (const m of form.matchAll(/<input\b[^>]*>|<textarea\b([^>]*)>([\s\S]*?)<\/textarea>|<select\b([^>]*)>([\s\S]*?)<\/select>/g)) {
    if (m[0].startsWith('<input')) {
      const a = attrs(m[0]);
      if (!a.name || 'disabled' in a) continue;
      if ((a.type === 'checkbox' || a.type === 'radio') && !('checked' in a)) continue;
      fields.push([a.name, a.value ?? (a.type === 'checkbox' ? 'on' : '')]);
    } else if (m[0].startsWith('<textarea')) {
      const a = attrs(` ${m[1]!}`);
      if (a.name && !('disabled' in a)) fields.push([a.name, unescapeHtml(m[2]!)]);
    } else {
      const a = attrs(` ${m[3]!}`);
      if (!a.name || 'disabled' in a) continue;
      const options = [...m[4]!.matchAll(/<option\b([^>]*)>/g)].map((o) => attrs(` ${o[1]!}`));
      const selected = options.filter((o) => 'selected' in o);
      const chosen = 'multiple' in a ? selected : (selected.length ? selected : options).slice(0, 1);
      for (const o of chosen) fields.push([a.name, o.value ?? '']);
    }
  }
  return fields;
}

/**
 * The newsroom article form's fields as the page fills them in, one value a name
 * (the first of a group), without the CSRF token.
 */
export function articleFormValues(html: string): Record<string, string> {
  const form = /<form[^>]*method="post"[^>]*action="\/newsroom\/articles\/[0-9a-f-]+"[\s\S]*?<\/form>/.exec(html)?.[0] ?? html;
  const fields: Record<string, string> = {};
  for (const m of form.matchAll(/<input\b([^>]*)>/g)) {
    const attrs = m[1]!;
    const name = /\bname="([^"]+)"/.exec(attrs)?.[1];
    if (!name || name in fields) continue;
    if (/type="(checkbox|radio)"/.test(attrs) && !/\bchecked\b/.test(attrs)) continue;
    if (/type="(submit|button|file)"/.test(attrs)) continue;
    fields[name] = unescapeHtml(/\bvalue="([^"]*)"/.exec(attrs)?.[1] ?? '');
  }
  for (const m of form.matchAll(/<textarea\b[^>]*\bname="([^"]+)"[^>]*>([\s\S]*?)<\/textarea>/g)) fields[m[1]!] ??= unescapeHtml(m[2]!);
  for (const m of form.matchAll(/<select\b[^>]*\bname="([^"]+)"[^>]*>([\s\S]*?)<\/select>/g)) {
    const selected = /<option\b[^>]*value="([^"]*)"[^>]*\bselected\b/.exec(m[2]!) ?? /<option\b[^>]*value="([^"]*)"/.exec(m[2]!);
    fields[m[1]!] ??= unescapeHtml(selected?.[1] ?? '');
  }
  delete fields._csrf;
  return fields;
}
