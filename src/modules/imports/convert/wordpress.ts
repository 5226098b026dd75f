// WordPress post content into the allowlisted document. Two kinds of content:
// classic (HTML whose blank lines are paragraphs, as wpautop reads it) and
// block content (Gutenberg's <!-- wp:name {attrs} --> comments around HTML).
// Both can hold shortcodes: [caption] becomes a picture with its caption,
// [embed] and video or post addresses a link, the rest a visible note.
import { escapeHtml, type RichNode } from '../../../lib/rich-text.js';
import { hasContent, htmlBlocks } from './html.js';
import { Collector, finish, providerOf, type AttachmentLookup } from './shared.js';
import type { Converted } from './types.js';

// ---------------------------------------------------------------------------
// Shortcodes.

const attrEscape = (value: string): string => escapeHtml(value);
const note = (text: string): string => `<harbinger-note>${escapeHtml(text)}</harbinger-note>`;
const embed = (url: string): string => `<harbinger-embed href="${attrEscape(url)}"></harbinger-embed>`;

/** Shortcode attributes as WordPress reads them: name="value", name='value', name=value, and bare values by position. */
export function parseShortcodeAttrs(text: string): { named: Record<string, string>; positional: string[] } {
  const named: Record<string, string> = {};
  const positional: string[] = [];
  const normalised = text.replace(/[\u201c\u201d\u2033]/g, '"').replace(/[\u2018\u2019\u2032]/g, "'");
  const pattern = /([\w-]+)\s*=\s*"([^"]*)"|([\w-]+)\s*=\s*'([^']*)'|([\w-]+)\s*=\s*([^\s'"]+)|"([^"]*)"|'([^']*)'|(\S+)/g;
  for (const m of normalised.matchAll(pattern)) {
    if (m[1] !== undefined) named[m[1].toLowerCase()] = m[2]!;
    else if (m[3] !== undefined) named[m[3].toLowerCase()] = m[4]!;
    else if (m[5] !== undefined) named[m[5].toLowerCase()] = m[6]!;
    else positional.push(m[7] ?? m[8] ?? m[9]!);
  }
  return { named, positional };
}

const KNOWN = new Set([
  'caption',
  'wp_caption',
  'gallery',
  'embed',
  'audio',
  'video',
  'playlist',
  'youtube',
  'vimeo',
  'tweet',
  'twitter',
  'instagram',
  'soundcloud',
  'spotify',
]);

const OPENING = /\[(\[?)([a-zA-Z][\w-]*)(?=[\s\]/])([^\]]*?)(\/)?\](\]?)/g;

interface Shortcode {
  name: string;
  /** The opening tag as written, for notes. */
  tag: string;
  named: Record<string, string>;
  positional: string[];
  content: string | null;
}

function firstUrl(...values: (string | undefined)[]): string {
  for (const value of values) {
    const match = /https?:\/\/[^\s"'<>\]]+/.exec(value ?? '');
    if (match) return match[0];
  }
  return '';
}

/** The ids a shortcode names (`ids="1, 2,3"`), at most 50. */
function idsOf(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .filter(Boolean)
    .slice(0, 50);
}

/** "1, 2 and 3". */
function listIds(list: string[]): string {
  if (list.length === 0) return '';
  return list.length === 1 ? list[0]! : `${list.slice(0, -1).join(', ')} and ${list.at(-1)!}`;
}

function renderShortcode(code: Shortcode, collector: Collector): string {
  const { name, named, positional, content } = code;
  switch (name) {
    case 'caption':
    case 'wp_caption': {
      const inner = expandShortcodes(content ?? '', collector);
      const image = /<a\b[^>]*>\s*<img\b[^>]*>\s*<\/a>|<img\b[^>]*>/i.exec(inner);
      if (!image) return inner;
      const img = /<img\b[^>]*>/i.exec(image[0])![0];
      const caption = named.caption ?? inner.replace(image[0], '');
      return `<figure>${img}<figcaption>${caption}</figcaption></figure>`;
    }
    case 'gallery': {
      const idList = idsOf(named.ids ?? named.include ?? '');
      const found = idList.map((id) => collector.attachment(id));
      if (found.length > 0 && found.every((a) => a !== undefined)) {
        collector.warn(`A gallery (pictures ${listIds(idList)} on the old site) is shown as its pictures one after another.`);
        return found
          .map(
            (a) =>
              `<figure><img src="${attrEscape(a.url)}" alt="${attrEscape(a.alt)}"><figcaption>${escapeHtml(a.caption)}</figcaption></figure>`,
          )
          .join('');
      }
      const ids = listIds(idList);
      collector.warn(
        ids
          ? `A gallery (pictures ${ids} on the old site) could not be carried over; a note marks where it was.`
          : 'A gallery of the pictures attached to the post could not be carried over; a note marks where it was.',
      );
      return note(
        ids
          ? `[Gallery from the old site: pictures ${ids} — add them again in the editor]`
          : '[Gallery from the old site: the pictures attached to this post — add them again in the editor]',
      );
    }
    case 'audio':
    case 'video': {
      const src =
        named.src ??
        ['mp3', 'm4a', 'ogg', 'wav', 'mp4', 'm4v', 'webm', 'ogv', 'wmv', 'flv'].map((k) => named[k]).find(Boolean) ??
        firstUrl(content ?? '');
      if (src) return `<${name} src="${attrEscape(src)}"></${name}>`;
      collector.warn(
        `An ${name === 'audio' ? 'audio player' : 'video player'} without an address was left out; a note marks where it was.`,
      );
      return note(`[${name === 'audio' ? 'Audio' : 'Video'} from the old site — add it again in the editor]`);
    }
    case 'playlist':
      collector.warn('A playlist could not be carried over; a note marks where it was.');
      return note(`[Playlist from the old site${named.ids ? `: files ${listIds(idsOf(named.ids))}` : ''} — add it again in the editor]`);
    default:
      break;
  }
  if (KNOWN.has(name)) {
    // [embed]URL[/embed] and the embedding plugins' [youtube URL], [tweet URL]…
    const url = firstUrl(content ?? '', named.url, named.src, named.id, ...positional);
    if (url && (name === 'embed' || providerOf(url))) return embed(url);
    collector.warn(`A “${name}” embed without a usable address was kept as a note.`);
    return note(`[Embed from the old site: ${code.tag} — add it again in the editor]`);
  }
  collector.warn(`The shortcode ${code.tag} from the old site was kept as a note; check what it showed there.`);
  const marker = note(`[Shortcode from the old site: ${code.tag} — check what it showed there and redo it here]`);
  return content === null ? marker : `${marker}${expandShortcodes(content, collector)}`;
}

/** Replaces shortcodes outside <pre>, <code> and comments with HTML the converter understands. */
export function expandShortcodes(html: string, collector: Collector): string {
  return html
    .split(/(<pre\b[\s\S]*?<\/pre>|<code\b[\s\S]*?<\/code>|<!--[\s\S]*?-->)/i)
    .map((part, i) => (i % 2 === 1 ? part : expandIn(part, collector)))
    .join('');
}

function expandIn(text: string, collector: Collector): string {
  const opening = new RegExp(OPENING.source, 'g');
  let out = '';
  let at = 0;
  for (;;) {
    opening.lastIndex = at;
    const m = opening.exec(text);
    if (!m) break;
    const [whole, escapeOpen, rawName, attrText, selfClosing, escapeClose] = m;
    const name = rawName!.toLowerCase();
    out += text.slice(at, m.index);
    at = m.index + whole.length;
    if (escapeOpen && escapeClose) {
      // [[gallery]] is how WordPress writes a shortcode as text.
      out += whole.slice(1, -1);
      continue;
    }
    let content: string | null = null;
    const closing = `[/${rawName}]`;
    const end = selfClosing ? -1 : text.indexOf(closing, at);
    if (end !== -1) {
      content = text.slice(at, end);
      at = end + closing.length;
    }
    // Words in brackets ("[sic]", "[Update: …]") are not shortcodes WordPress knew.
    const looksLikeShortcode = KNOWN.has(name) || content !== null || /[\w-]+\s*=/.test(attrText ?? '');
    if (!looksLikeShortcode) {
      out += whole;
      at = m.index + whole.length;
      continue;
    }
    const tag = `[${rawName}${(attrText ?? '').replace(/\s+/g, ' ').trimEnd()}]`;
    const { named, positional } = parseShortcodeAttrs(attrText ?? '');
    out += renderShortcode({ name, tag: tag.length > 200 ? `${tag.slice(0, 199)}…]` : tag, named, positional, content }, collector);
  }
  return out + text.slice(at);
}

// ---------------------------------------------------------------------------
// Gutenberg blocks.

interface Block {
  name: string;
  attrs: Record<string, unknown>;
  parts: (string | Block)[];
}

const DELIMITER = /<!--\s+(\/)?wp:((?:[a-z][a-z0-9_-]*\/)?[a-z][a-z0-9_-]*)\s+(\{[\s\S]*?\}\s+)?(\/)?-->/g;

/** The block tree: top-level parts are classic HTML (strings) or blocks. */
export function parseBlocks(content: string): (string | Block)[] {
  const root: Block = { name: '', attrs: {}, parts: [] };
  const stack: Block[] = [root];
  let at = 0;
  for (const m of content.matchAll(DELIMITER)) {
    const [whole, closer, rawName, json, isVoid] = m;
    const name = rawName!.replace(/^core\//, '');
    const top = stack.at(-1)!;
    if (m.index > at) top.parts.push(content.slice(at, m.index));
    at = m.index + whole.length;
    if (closer) {
      // Closes the nearest open block of that name (and anything left open inside it).
      const index = stack.map((b) => b.name).lastIndexOf(name);
      if (index > 0) stack.length = index;
      continue;
    }
    let attrs: Record<string, unknown> = {};
    try {
      const parsed: unknown = json ? JSON.parse(json) : {};
      if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) attrs = parsed as Record<string, unknown>;
    } catch {
      // Unreadable attributes: the block's HTML still says most of it.
    }
    const block: Block = { name, attrs, parts: [] };
    top.parts.push(block);
    if (!isVoid) stack.push(block);
  }
  if (at < content.length) stack.at(-1)!.parts.push(content.slice(at));
  return root.parts;
}

const DROPPED_BLOCKS = new Set(['more', 'nextpage', 'spacer']);
const BLOCK_NAMES: Record<string, string> = {
  'latest-posts': 'latest posts',
  'latest-comments': 'latest comments',
  archives: 'archives',
  categories: 'categories',
  calendar: 'calendar',
  search: 'search',
  'tag-cloud': 'tag cloud',
  rss: 'news feed',
  'social-links': 'social links',
  'page-list': 'page list',
  query: 'post list',
};

const innerHtml = (block: Block, collector: Collector): string =>
  block.parts.map((p) => (typeof p === 'string' ? p : blockHtml(p, collector))).join('');

/** A block as HTML the converter reads (embeds and notes as harbinger-* elements). */
function blockHtml(block: Block, collector: Collector): string {
  const name = block.name;
  if (DROPPED_BLOCKS.has(name)) return '';
  const inner = innerHtml(block, collector);
  if (name === 'embed' || name.startsWith('core-embed/') || name.endsWith('-embed')) {
    const url =
      typeof block.attrs.url === 'string' && block.attrs.url ? block.attrs.url : firstUrl(inner.replace(/<figcaption[\s\S]*$/i, ''));
    const caption = /<figcaption\b[^>]*>([\s\S]*?)<\/figcaption>/i.exec(inner)?.[1];
    if (url) return `${embed(url)}${caption ? `<p>${caption}</p>` : ''}`;
    return inner;
  }
  if (name === 'gallery') return /^\s*<figure\b/i.test(inner) ? inner : `<figure>${inner}</figure>`;
  if (name === 'separator') return '<hr>';
  if (name === 'block') {
    const ref = typeof block.attrs.ref === 'number' || typeof block.attrs.ref === 'string' ? String(block.attrs.ref) : '';
    collector.warn(`A reusable block${ref ? ` (#${ref})` : ''} from the old site was kept as a note; add its content again.`);
    return note(`[Reusable block${ref ? ` #${ref}` : ''} from the old site — add its content again in the editor]`);
  }
  if (block.parts.length === 0 && !['paragraph', 'heading', 'list', 'quote', 'image', 'html'].includes(name)) {
    // A block WordPress drew as the page was shown (a list of latest posts…): nothing of it is in the post.
    const label = BLOCK_NAMES[name] ?? name.replace(/^[a-z0-9_-]+\//, '').replace(/[-_]/g, ' ');
    collector.warn(`A “${label}” block from the old site could not be carried over; a note marks where it was.`);
    return note(`[The old site showed a “${label}” block here — add something like it again if it is still wanted]`);
  }
  return inner;
}

// ---------------------------------------------------------------------------

/** Whether WordPress content is block content (it has Gutenberg's block comments). */
export function isBlockContent(content: string): boolean {
  return /<!--\s+wp:[a-z]/.test(content);
}

/** Converts a WordPress post's content (classic or block) into the allowlisted document. */
export function wordpressToDoc(content: string, options: { siteUrl?: string; attachment?: AttachmentLookup } = {}): Converted {
  const collector = new Collector(options.attachment);
  const text = content.replace(/\r\n?/g, '\n');
  const expanded = expandShortcodes(text, collector);
  const context = { siteUrl: options.siteUrl, autoEmbed: true };
  let blocks: RichNode[];
  if (!isBlockContent(expanded)) {
    blocks = htmlBlocks(expanded, collector, { ...context, autop: true });
  } else {
    // Classic HTML between blocks is read as WordPress reads classic content; blocks as written.
    blocks = [];
    let pending = '';
    const flushBlocks = () => {
      if (pending.trim() !== '') blocks.push(...htmlBlocks(pending, collector, context));
      pending = '';
    };
    for (const part of parseBlocks(expanded)) {
      if (typeof part === 'string') {
        if (part.trim() === '') continue;
        flushBlocks();
        blocks.push(...htmlBlocks(part, collector, { ...context, autop: true }));
      } else {
        pending += blockHtml(part, collector);
      }
    }
    flushBlocks();
  }
  return finish(blocks, collector, hasContent(expanded));
}
