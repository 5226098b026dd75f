// A deliberately small Markdown reader for Ghost's markdown cards: it turns
// the common parts into HTML that htmlBlocks then converts (HTML written in
// the Markdown passes through, as Markdown allows). Understood: paragraphs
// (blank lines between them; a line ending in two spaces or a backslash is a
// line break), "#" to "######" headings, "> " quotes, "-", "*", "+" and "1."
// lists (nested by indenting), fenced code (``` or ~~~), indented code, rules
// (---, ***, ___), pictures alone on a line, **bold**, __bold__, *italic*,
// _italic_, ~~struck~~, `code`, [text](url) and <https://…> links.
// Not understood (kept as their text): reference-style links, tables, footnotes.
import { escapeHtml } from '../../../lib/rich-text.js';

const attr = (value: string): string => escapeHtml(value);

function inline(text: string): string {
  // Code spans first: nothing inside them is Markdown.
  return text
    .split(/(`+)([\s\S]*?[^`])\1(?!`)/)
    .map((part, i) => {
      if (i % 3 === 1) return '';
      if (i % 3 === 2) return `<code>${escapeHtml(part.trim())}</code>`;
      return span(part);
    })
    .join('');
}

/** A link's target: (url), (<url>) or (url "title"); the address may hold balanced parentheses. */
const TARGET = String.raw`\(\s*<?((?:[^\s()<>]|\([^\s()]*\))+)>?(?:\s+["'][^"']*["'])?\s*\)`;
const IMAGE = new RegExp(String.raw`!\[([^\]]*)\]` + TARGET, 'g');
const LINK = new RegExp(String.raw`\[([^\]]+)\]` + TARGET, 'g');

function span(text: string): string {
  // Escaped characters and the tags made here are set aside, so that emphasis
  // never reaches into an address ("a_b_c" in a link stays as it is).
  const kept: string[] = [];
  const keep = (html: string) => {
    kept.push(html);
    return `\uE000${kept.length - 1}\uE000`;
  };
  const out = text
    .replace(/\\([\\`*_{}[\]()#+\-.!~>])/g, (_m, c: string) => keep(escapeHtml(c)))
    .replace(IMAGE, (_m, alt: string, src: string) => keep(`<img src="${attr(src)}" alt="${attr(alt)}">`))
    .replace(LINK, (_m, label: string, href: string) => `${keep(`<a href="${attr(href)}">`)}${label}${keep('</a>')}`)
    .replace(/<((?:https?|mailto):[^\s>]+)>/g, (_m, href: string) => keep(`<a href="${attr(href)}">${escapeHtml(href)}</a>`))
    .replace(/(\*\*|__)(?=\S)([\s\S]*?\S)\1/g, '<strong>$2</strong>')
    .replace(/~~(?=\S)([\s\S]*?\S)~~/g, '<s>$1</s>')
    .replace(/\*(?=[^\s*])([\s\S]*?[^\s*])\*/g, '<em>$1</em>')
    .replace(/(^|[^\w])_(?=[^\s_])([\s\S]*?[^\s_])_(?!\w)/g, '$1<em>$2</em>')
    .replace(/(?: {2,}|\\)\n/g, '<br>\n');
  return out.replace(/\uE000(\d+)\uE000/g, (_m, i: string) => kept[Number(i)]!);
}

/** Quotes and lists nested deeper than this are read as text. */
const MAX_NESTING = 20;

const LIST_ITEM = /^( *)([-*+]|\d{1,9}[.)])\s+(.*)$/;

function list(lines: string[], depth: number): string {
  // Items by their marker; deeper-indented lines belong to the item above.
  const baseIndent = LIST_ITEM.exec(lines[0]!)![1]!.length;
  const ordered = /\d/.test(LIST_ITEM.exec(lines[0]!)![2]!);
  const items: string[][] = [];
  for (const line of lines) {
    const m = LIST_ITEM.exec(line);
    if (m && m[1]!.length <= baseIndent + 1) items.push([m[3]!]);
    else if (items.length > 0) items.at(-1)!.push(line.replace(new RegExp(`^ {0,${baseIndent + 4}}`), ''));
  }
  const start = ordered ? Number.parseInt(LIST_ITEM.exec(lines[0]!)![2]!, 10) : 1;
  const tag = ordered ? 'ol' : 'ul';
  const body = items
    .map((item) => {
      const nestedAt = item.findIndex((l, i) => i > 0 && LIST_ITEM.test(l));
      const text = nestedAt === -1 ? item : item.slice(0, nestedAt);
      const nested =
        nestedAt === -1
          ? ''
          : depth < MAX_NESTING
            ? list(item.slice(nestedAt), depth + 1)
            : `<p>${inline(item.slice(nestedAt).join('\n'))}</p>`;
      return `<li>${inline(text.join('\n'))}${nested}</li>`;
    })
    .join('');
  return `<${tag}${ordered && start > 1 ? ` start="${start}"` : ''}>${body}</${tag}>`;
}

function block(lines: string[], depth: number): string {
  const first = lines[0]!;
  const heading = /^(#{1,6})\s+(.*?)\s*#*\s*$/.exec(first);
  if (heading && lines.length === 1) return `<h${heading[1]!.length}>${inline(heading[2]!)}</h${heading[1]!.length}>`;
  if (heading) return block([first], depth) + block(lines.slice(1), depth);
  if (lines.length === 1 && /^ {0,3}([-*_])( *\1){2,}\s*$/.test(first)) return '<hr>';
  if (depth < MAX_NESTING && lines.every((l) => /^ {0,3}>/.test(l)))
    return `<blockquote>${markdownToHtml(lines.map((l) => l.replace(/^ {0,3}> ?/, '')).join('\n'), depth + 1)}</blockquote>`;
  if (LIST_ITEM.test(first) && LIST_ITEM.exec(first)![1]!.length < 4) return list(lines, depth);
  if (lines.every((l) => /^( {4}|\t)/.test(l))) return `<pre>${escapeHtml(lines.map((l) => l.replace(/^( {4}|\t)/, '')).join('\n'))}</pre>`;
  if (/^\s*</.test(first)) return lines.join('\n');
  return `<p>${inline(lines.join('\n'))}</p>`;
}

/** Markdown into HTML for the HTML converter (see the list of what is understood above). */
export function markdownToHtml(markdown: string, depth = 0): string {
  const lines = markdown.replace(/\r\n?/g, '\n').split('\n');
  const html: string[] = [];
  let paragraph: string[] = [];
  const flush = () => {
    if (paragraph.length > 0) html.push(block(paragraph, depth));
    paragraph = [];
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const fence = /^ {0,3}(`{3,}|~{3,})/.exec(line);
    if (fence) {
      flush();
      const code: string[] = [];
      let j = i + 1;
      while (j < lines.length && !lines[j]!.trimStart().startsWith(fence[1]!)) code.push(lines[j++]!);
      html.push(`<pre>${escapeHtml(code.join('\n'))}</pre>`);
      i = j;
      continue;
    }
    if (line.trim() === '') flush();
    else paragraph.push(line);
  }
  flush();
  return html.join('\n');
}
