// Ghost's mobiledoc (format 0.3) into the allowlisted document. A mobiledoc
// lists its markups (b, i, a…), atoms (Ghost's soft line break) and cards
// once, and its sections refer to them by index: markup sections (p, h1–h6,
// blockquote, aside), list sections (ul, ol), image sections and card sections.
import type { RichMark, RichNode } from '../../../lib/rich-text.js';
import { cardBlocks, type Payload } from './ghost-cards.js';
import { Collector, figureNode, finish, inlineRun, linkHref, normaliseMarks, notePara, paragraph, pictureSrc, textNode } from './shared.js';
import type { Converted } from './types.js';

const MARKUP_MARKS: Record<string, string> = {
  b: 'bold',
  strong: 'bold',
  i: 'italic',
  em: 'italic',
  s: 'strike',
  del: 'strike',
  strike: 'strike',
  code: 'code',
};

const arr = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const str = (value: unknown): string => (typeof value === 'string' ? value : '');
const record = (value: unknown): Payload =>
  value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Payload) : {};

interface Mobiledoc {
  markups: unknown[];
  atoms: unknown[];
  cards: unknown[];
  sections: unknown[];
}

function read(json: string | object): Mobiledoc | null {
  let value: unknown = json;
  if (typeof json === 'string') {
    try {
      value = JSON.parse(json);
    } catch {
      return null;
    }
  }
  const doc = record(value);
  if (!Array.isArray(doc.sections)) return null;
  return { markups: arr(doc.markups), atoms: arr(doc.atoms), cards: arr(doc.cards), sections: doc.sections };
}

/** A mark for a markup ([tagName, [attrName, value, …]]); null for markups that add nothing here (u, sub, sup). */
function markOf(markup: unknown, siteUrl?: string): RichMark | null {
  const [tag, attrs] = arr(markup);
  const name = str(tag).toLowerCase();
  if (name === 'a') {
    const list = arr(attrs);
    const index = list.findIndex((v, i) => i % 2 === 0 && v === 'href');
    const href = index === -1 ? null : linkHref(str(list[index + 1]), siteUrl);
    return href === null ? null : { type: 'link', attrs: { href } };
  }
  return MARKUP_MARKS[name] ? { type: MARKUP_MARKS[name] } : null;
}

/** Markers ([type, openedMarkups, closedCount, value]) as inline nodes. */
function inline(markers: unknown, md: Mobiledoc, siteUrl?: string): RichNode[] {
  const open: (RichMark | null)[] = [];
  const nodes: RichNode[] = [];
  for (const marker of arr(markers)) {
    const [kind, opened, closed, value] = arr(marker);
    for (const index of arr(opened)) open.push(typeof index === 'number' ? markOf(md.markups[index], siteUrl) : null);
    const marks = normaliseMarks(open.filter((m): m is RichMark => m !== null));
    if (kind === 1) {
      const [name, text] = arr(typeof value === 'number' ? md.atoms[value] : null);
      if (name === 'soft-return') nodes.push({ type: 'hardBreak' });
      else if (str(text)) nodes.push(textNode(str(text), marks));
    } else if (str(value)) {
      nodes.push(textNode(str(value), marks));
    }
    const count = typeof closed === 'number' && closed > 0 ? Math.min(closed, open.length) : 0;
    open.length -= count;
  }
  return inlineRun(nodes);
}

/** Converts a Ghost mobiledoc (JSON text or the parsed object) into the allowlisted document. */
export function mobiledocToDoc(json: string | object, options: { siteUrl?: string } = {}): Converted {
  const collector = new Collector();
  const md = read(json);
  if (md === null) {
    collector.warn('The post’s mobiledoc could not be read.');
    return finish([], collector, true);
  }
  const { siteUrl } = options;
  const blocks: RichNode[] = [];
  const unreadable = () => {
    collector.warn('A part of the post that could not be read was kept as a note.');
    blocks.push(notePara('[Part of this post could not be read from the old site — check it there]'));
  };
  for (const section of md.sections) {
    const [kind, a, b] = arr(section);
    if (kind === 1) {
      const tag = str(a).toLowerCase();
      const content = inline(b, md, siteUrl);
      if (content.length === 0) continue;
      if (/^h[1-6]$/.test(tag)) blocks.push({ type: 'heading', attrs: { level: tag === 'h1' || tag === 'h2' ? 2 : 3 }, content });
      else if (tag === 'blockquote' || tag === 'aside' || tag === 'pull-quote')
        blocks.push({ type: 'blockquote', content: [paragraph(content)] });
      else blocks.push(paragraph(content));
    } else if (kind === 3) {
      const items = arr(b)
        .map((markers) => inline(markers, md, siteUrl))
        .filter((content) => content.length > 0)
        .map((content) => ({ type: 'listItem', content: [paragraph(content)] }));
      if (items.length > 0)
        blocks.push({
          type: str(a).toLowerCase() === 'ol' ? 'orderedList' : 'bulletList',
          ...(str(a).toLowerCase() === 'ol' ? { attrs: { start: 1 } } : {}),
          content: items,
        });
    } else if (kind === 2) {
      const src = pictureSrc(str(a));
      if (src) blocks.push(figureNode(collector, src, '', ''));
    } else if (kind === 10) {
      const [name, payload] = arr(typeof a === 'number' ? md.cards[a] : null);
      if (typeof name === 'string') blocks.push(...cardBlocks(name, record(payload), { collector, siteUrl }));
      else unreadable();
    } else {
      unreadable();
    }
  }
  // A post of empty paragraphs is empty; anything else that came out empty is said so.
  const hasText = (markers: unknown) =>
    arr(markers).some((marker) => {
      const [kind, , , value] = arr(marker);
      return kind === 1 || str(value).trim() !== '';
    });
  const hadContent = md.sections.some((section) => {
    const [kind, , b] = arr(section);
    if (kind === 1) return hasText(b);
    if (kind === 3) return arr(b).some(hasText);
    return true;
  });
  return finish(blocks, collector, hadContent);
}
