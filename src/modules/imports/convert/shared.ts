// What every converter shares: the nodes they build (notes, link paragraphs,
// pictures), how links and embeds are recognised, and the last step that turns
// the collected blocks into a checked `Converted`.
import { MAX_DOC_DEPTH, richDocSchema, safeHref, type RichMark, type RichNode } from '../../../lib/rich-text.js';
import type { Converted, ConvertedPicture } from './types.js';

/** Attribute values longer than this are refused by richDocSchema; alt text and captions are cut to it. */
const MAX_ATTR = 10_000;
/** A content list longer than this is refused by richDocSchema. */
const MAX_CONTENT = 20_000;

/** A picture the source knows by its id: where it is, its alt text and caption. */
export type AttachmentLookup = (id: string) => { url: string; alt: string; caption: string } | undefined;

/** What a conversion gathers besides the blocks: the pictures and the warnings, each once. */
export class Collector {
  readonly pictures: ConvertedPicture[] = [];
  private readonly warningSet = new Set<string>();

  /** Finds a picture the source names by id (a WordPress gallery's attachments). */
  constructor(readonly attachment: AttachmentLookup = () => undefined) {}

  warn(message: string): void {
    this.warningSet.add(message);
  }

  get warnings(): string[] {
    return [...this.warningSet];
  }

  picture(picture: ConvertedPicture): void {
    if (!this.pictures.some((p) => p.url === picture.url)) this.pictures.push(picture);
  }
}

export const collapse = (text: string): string => text.replace(/[ \t\n\r\f]+/g, ' ');

const cut = (text: string): string => (text.length > MAX_ATTR ? `${text.slice(0, MAX_ATTR - 1)}…` : text);

export function textNode(text: string, marks: RichMark[] = []): RichNode {
  return marks.length > 0 ? { type: 'text', text, marks: marks.map((m) => ({ ...m })) } : { type: 'text', text };
}

export function paragraph(content: RichNode[]): RichNode {
  return { type: 'paragraph', content };
}

/** A visible, editable note in the text, e.g. "[Gallery from the old site: …]". */
export function notePara(text: string): RichNode {
  return paragraph([textNode(collapse(text).trim())]);
}

/** A paragraph holding one link, its text the address itself (or `label`). */
export function linkPara(href: string, label?: string): RichNode {
  const text = collapse(label ?? '').trim() || href;
  return paragraph([textNode(text, [{ type: 'link', attrs: { href } }])]);
}

export function codeBlock(text: string): RichNode {
  return text === '' ? { type: 'codeBlock' } : { type: 'codeBlock', content: [textNode(text)] };
}

export function host(url: string): string {
  try {
    return new URL(url).hostname.replace(/^www\./, '');
  } catch {
    return '';
  }
}

/**
 * A link target as it will be stored: only what `safeHref` accepts, with
 * addresses on the old site made site-relative (its redirects keep them working).
 * Relative addresses are read against the old site when its address is known.
 */
export function linkHref(raw: string, siteUrl?: string): string | null {
  let value = raw.trim();
  if (value === '') return null;
  if (value.startsWith('//')) value = `https:${value}`;
  else if (siteUrl && !/^[a-z][a-z0-9+.-]*:/i.test(value) && !value.startsWith('/') && !value.startsWith('#')) {
    try {
      value = new URL(value, siteUrl.endsWith('/') ? siteUrl : `${siteUrl}/`).href;
    } catch {
      return null;
    }
  }
  const safe = safeHref(value);
  if (safe === null || !siteUrl || !/^https?:/.test(safe)) return safe;
  const siteHost = host(siteUrl);
  if (siteHost === '' || host(safe) !== siteHost) return safe;
  const url = new URL(safe);
  return `${url.pathname || '/'}${url.search}${url.hash}`;
}

/** A picture's address as the source gives it: web addresses and site-relative paths, nothing else. */
export function pictureSrc(raw: string): string | null {
  const value = raw.trim();
  if (value === '' || value.length > MAX_ATTR) return null;
  if (value.startsWith('//')) return safeHref(`https:${value}`);
  if (/^[a-z][a-z0-9+.-]*:/i.test(value)) {
    const safe = safeHref(value);
    return safe !== null && /^https?:/.test(safe) ? safe : null;
  }
  // Relative paths stay as written: the importer finds them under the old site.
  return /[\s<>"]/.test(value) ? null : value;
}

/** A picture node with an empty mediaId (filled in when the file is stored), listed in the collector. */
export function figureNode(collector: Collector, src: string, alt: string, caption: string, sourceId?: string): RichNode {
  const clean = { alt: cut(collapse(alt).trim()), caption: cut(collapse(caption).trim()) };
  collector.picture(sourceId ? { url: src, ...clean, sourceId } : { url: src, ...clean });
  return { type: 'figure', attrs: { mediaId: '', src, alt: clean.alt, caption: clean.caption, creditCreator: '', creditSource: '' } };
}

interface Provider {
  name: string;
  kind: 'video' | 'post' | 'audio' | 'map' | 'embed';
  hosts: string[];
}

const PROVIDERS: Provider[] = [
  { name: 'YouTube', kind: 'video', hosts: ['youtube.com', 'm.youtube.com', 'youtu.be', 'youtube-nocookie.com'] },
  { name: 'Vimeo', kind: 'video', hosts: ['vimeo.com', 'player.vimeo.com'] },
  { name: 'Dailymotion', kind: 'video', hosts: ['dailymotion.com', 'dai.ly'] },
  { name: 'TikTok', kind: 'video', hosts: ['tiktok.com'] },
  { name: 'Twitter', kind: 'post', hosts: ['twitter.com', 'x.com', 'mobile.twitter.com'] },
  { name: 'Instagram', kind: 'post', hosts: ['instagram.com'] },
  { name: 'Facebook', kind: 'post', hosts: ['facebook.com'] },
  { name: 'Bluesky', kind: 'post', hosts: ['bsky.app'] },
  { name: 'SoundCloud', kind: 'audio', hosts: ['soundcloud.com', 'w.soundcloud.com'] },
  { name: 'Spotify', kind: 'audio', hosts: ['open.spotify.com'] },
  { name: 'Google Maps', kind: 'map', hosts: ['google.com', 'maps.google.com'] },
];

/** The embedding service behind an address, when it is a known one. */
export function providerOf(url: string): Provider | null {
  const h = host(url);
  if (h === '') return null;
  const provider = PROVIDERS.find((p) => p.hosts.some((x) => h === x || h.endsWith(`.${x}`))) ?? null;
  if (provider?.name === 'Google Maps' && !/\/maps/.test(url)) return null;
  return provider;
}

/** The address a reader would open for an embedded player's address (YouTube and Vimeo players). */
export function watchUrl(url: string): string {
  const youtube = /^https?:\/\/(?:www\.)?youtube(?:-nocookie)?\.com\/embed\/([\w-]{6,})/.exec(url);
  if (youtube) return `https://www.youtube.com/watch?v=${youtube[1]}`;
  const vimeo = /^https?:\/\/player\.vimeo\.com\/video\/(\d+)/.exec(url);
  if (vimeo) return `https://vimeo.com/${vimeo[1]}`;
  return url;
}

/** Describes an embed for a warning: "A YouTube video", "A post on Twitter", "An embed from example.org". */
export function embedName(url: string): string {
  const provider = providerOf(url);
  if (!provider) return `An embed from ${host(url) || 'another site'}`;
  if (provider.kind === 'post') return `A post on ${provider.name}`;
  if (provider.kind === 'map') return 'A Google map';
  return `A${provider.kind === 'audio' ? 'n' : ''} ${provider.kind === 'audio' ? 'audio player' : provider.kind} from ${provider.name}`;
}

/** An embed kept as a link paragraph, with its warning; null when the address is not a web address. */
export function embedLink(collector: Collector, rawUrl: string, siteUrl?: string): RichNode | null {
  const href = linkHref(watchUrl(rawUrl.trim()), siteUrl);
  if (href === null || (!href.startsWith('/') && !/^https?:/.test(href))) return null;
  collector.warn(`${embedName(href)} was kept as a link (${href}): the old site showed it embedded.`);
  return linkPara(href);
}

const BLOCK_END = '\u0000end';

/** The text of a node and its descendants, without recursion (for very deep input). */
export function plainTextOf(node: RichNode): string {
  let text = '';
  const stack: RichNode[] = [node];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (n.type === 'text' && typeof n.text === 'string') text += n.text;
    else if (n.type === 'hardBreak') text += '\n';
    else if (n.type === BLOCK_END) text += '\n\n';
    if (n.type === 'paragraph' || n.type === 'heading' || n.type === 'codeBlock') stack.push({ type: BLOCK_END });
    const content = Array.isArray(n.content) ? n.content : [];
    for (let i = content.length - 1; i >= 0; i--) stack.push(content[i]!);
  }
  return text;
}

/**
 * The blocks as a checked document. Input that had something in it never
 * comes out as an empty document: a note says nothing could be carried over.
 * Should the blocks still fail richDocSchema, their text is kept as paragraphs.
 */
export function finish(blocks: RichNode[], collector: Collector, hadContent: boolean): Converted {
  let content = blocks;
  if (content.length === 0 && hadContent) {
    collector.warn('Nothing in this text could be carried over; compare it with the old site.');
    content = [notePara('[Nothing in this text could be carried over from the old site: check it there and rewrite it here]')];
  }
  if (content.length > MAX_CONTENT) {
    collector.warn(`The text had more than ${MAX_CONTENT.toLocaleString('en-GB')} blocks; what followed was left out.`);
    content = content.slice(0, MAX_CONTENT);
  }
  let doc: RichNode = { type: 'doc', content };
  if (!richDocSchema.safeParse(doc).success) {
    collector.warn('The text could not be carried over with its layout; only its words were kept.');
    const paragraphs = plainTextOf(doc)
      .split(/\n\s*\n/)
      .map((p) => collapse(p).trim())
      .filter(Boolean)
      .slice(0, MAX_CONTENT)
      .map((p) => paragraph([textNode(p)]));
    doc = { type: 'doc', content: paragraphs };
  }
  return { doc, pictures: collector.pictures, warnings: collector.warnings };
}

/** How deep containers may still go: a list needs three more levels (item, paragraph, text). */
export function roomFor(depth: number, levels: number): boolean {
  return depth + levels <= MAX_DOC_DEPTH;
}

const MARK_ORDER = ['bold', 'italic', 'strike', 'code', 'link'];

/**
 * Marks as the editor accepts them: one of each, in a fixed order, and `code`
 * alone (the editor's code mark excludes the others; inside a link the link wins).
 */
export function normaliseMarks(marks: RichMark[]): RichMark[] {
  const byType = new Map<string, RichMark>();
  for (const mark of marks) if (MARK_ORDER.includes(mark.type)) byType.set(mark.type, mark);
  if (byType.has('code')) {
    if (byType.has('link')) byType.delete('code');
    else return [byType.get('code')!];
  }
  return MARK_ORDER.filter((t) => byType.has(t)).map((t) => byType.get(t)!);
}

/**
 * Inline nodes as a paragraph holds them: no empty texts, neighbours with the
 * same marks joined, no line breaks at the edges. Empty when nothing visible
 * is left. (For formats that keep their text as typed; HTML collapses spaces first.)
 */
export function inlineRun(nodes: RichNode[]): RichNode[] {
  const merged: RichNode[] = [];
  for (const node of nodes) {
    if (node.type === 'text' && !node.text) continue;
    const prev = merged.at(-1);
    if (prev?.type === 'text' && node.type === 'text' && JSON.stringify(prev.marks ?? []) === JSON.stringify(node.marks ?? [])) {
      merged[merged.length - 1] = { ...prev, text: `${prev.text!}${node.text!}` };
    } else merged.push(node);
  }
  while (merged[0]?.type === 'hardBreak') merged.shift();
  while (merged.at(-1)?.type === 'hardBreak') merged.pop();
  return merged.some((n) => n.type === 'text' && n.text!.replace(/[\s\u00a0]+/g, '') !== '') ? merged : [];
}
