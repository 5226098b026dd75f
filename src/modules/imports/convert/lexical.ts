// Ghost's lexical documents (Ghost 5 and later) into the allowlisted document:
// root → paragraphs, headings, quotes, asides, lists (nested through list
// items holding a list), text with its format bits, links, line breaks, and
// Ghost's cards (pictures, code, HTML, Markdown, embeds…; see ghost-cards.ts).
import type { RichMark, RichNode } from '../../../lib/rich-text.js';
import { cardBlocks, type Payload } from './ghost-cards.js';
import { Collector, finish, inlineRun, linkHref, normaliseMarks, paragraph, roomFor, textNode } from './shared.js';
import type { Converted } from './types.js';

const str = (value: unknown): string => (typeof value === 'string' ? value : '');
const record = (value: unknown): Payload =>
  value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Payload) : {};
const children = (node: Payload): Payload[] => (Array.isArray(node.children) ? node.children.map(record) : []);

/** Lexical's text format bits that have a mark here (underline, sub/superscript and highlight have none). */
const FORMAT_MARKS: [number, string][] = [
  [1, 'bold'],
  [2, 'italic'],
  [4, 'strike'],
  [16, 'code'],
];

/** Nodes nested deeper than this in the JSON are read as plain text. */
const MAX_JSON_DEPTH = 200;

const base = (type: unknown): string => str(type).replace(/^extended-/, '');

interface Walk {
  collector: Collector;
  siteUrl?: string;
}

function inline(nodes: Payload[], marks: RichMark[], walk: Walk, depth: number): RichNode[] {
  const out: RichNode[] = [];
  for (const node of nodes) {
    const type = base(node.type);
    if (type === 'text' || type === 'tab' || type === 'hashtag') {
      const format = typeof node.format === 'number' ? node.format : 0;
      const own = FORMAT_MARKS.filter(([bit]) => (format & bit) !== 0).map(([, mark]) => ({ type: mark }));
      const text = type === 'tab' && !str(node.text) ? '\t' : str(node.text);
      if (text) out.push(textNode(text, normaliseMarks([...marks, ...own])));
    } else if (type === 'linebreak') {
      out.push({ type: 'hardBreak' });
    } else if (depth > MAX_JSON_DEPTH) {
      out.push(textNode(textOf(node), marks));
    } else if (type === 'link' || type === 'autolink') {
      const href = linkHref(str(node.url), walk.siteUrl);
      const linked = href === null ? marks : [...marks.filter((m) => m.type !== 'link'), { type: 'link', attrs: { href } }];
      out.push(...inline(children(node), linked, walk, depth + 1));
    } else if (Array.isArray(node.children)) {
      out.push(...inline(children(node), marks, walk, depth + 1));
    } else if (str(node.text)) {
      out.push(textNode(str(node.text), normaliseMarks(marks)));
    }
  }
  return out;
}

/** All the text under a node, without recursion. */
function textOf(node: Payload): string {
  let text = '';
  const stack: Payload[] = [node];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (typeof n.text === 'string') text += n.text;
    const kids = children(n);
    for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]!);
    if (kids.length > 0) text += ' ';
  }
  return text.replace(/\s+/g, ' ').trim();
}

/** A list: items with their text, and the lists nested in them (Lexical puts a nested list in an item of its own). */
function list(node: Payload, walk: Walk, depth: number, jsonDepth: number): RichNode[] {
  const ordered = str(node.listType) === 'number' || str(node.tag) === 'ol';
  const items: RichNode[] = [];
  const flat: RichNode[] = [];
  for (const item of children(node)) {
    const kids = children(item);
    const nested = kids.filter((k) => base(k.type) === 'list');
    const content = inlineRun(
      inline(
        kids.filter((k) => base(k.type) !== 'list'),
        [],
        walk,
        jsonDepth + 1,
      ),
    );
    const blocks: RichNode[] = content.length > 0 ? [paragraph(content)] : [];
    for (const inner of nested) {
      // Too deep for another level: its items join this list as paragraphs.
      if (roomFor(depth + 2, 4) && jsonDepth < MAX_JSON_DEPTH) blocks.push(...list(inner, walk, depth + 2, jsonDepth + 2));
      else flat.push(...flatItems(inner));
    }
    if (blocks.length === 0) continue;
    if (blocks[0]!.type !== 'paragraph') {
      const previous = items.at(-1);
      if (previous) {
        previous.content!.push(...blocks);
        continue;
      }
      blocks.unshift({ type: 'paragraph' });
    }
    items.push({ type: 'listItem', content: blocks });
  }
  if (flat.length > 0) {
    if (items.length === 0) items.push({ type: 'listItem', content: [flat.shift()!] });
    items.at(-1)!.content!.push(...flat);
  }
  if (items.length === 0) return [];
  const start = typeof node.start === 'number' && Number.isInteger(node.start) && node.start > 0 ? node.start : 1;
  return [ordered ? { type: 'orderedList', attrs: { start }, content: items } : { type: 'bulletList', content: items }];
}

/** The text of every item of a too-deep list, as paragraphs, without recursion. */
function flatItems(node: Payload): RichNode[] {
  const text = textOf(node);
  return text ? [paragraph([textNode(text)])] : [];
}

function block(node: Payload, walk: Walk): RichNode[] {
  const type = base(node.type);
  switch (type) {
    case 'paragraph': {
      const content = inlineRun(inline(children(node), [], walk, 1));
      return content.length > 0 ? [paragraph(content)] : [];
    }
    case 'heading': {
      const content = inlineRun(inline(children(node), [], walk, 1));
      const tag = str(node.tag);
      return content.length > 0 ? [{ type: 'heading', attrs: { level: tag === 'h1' || tag === 'h2' ? 2 : 3 }, content }] : [];
    }
    case 'quote':
    case 'aside': {
      const content = inlineRun(inline(children(node), [], walk, 1));
      return content.length > 0 ? [{ type: 'blockquote', content: [paragraph(content)] }] : [];
    }
    case 'list':
      return list(node, walk, 2, 1);
    default:
      return cardBlocks(type, node, walk);
  }
}

/** Converts a Ghost lexical document (JSON text or the parsed object) into the allowlisted document. */
export function lexicalToDoc(json: string | object, options: { siteUrl?: string } = {}): Converted {
  const collector = new Collector();
  let value: unknown = json;
  if (typeof json === 'string') {
    try {
      value = JSON.parse(json);
    } catch {
      value = null;
    }
  }
  const root = record(record(value).root);
  if (!Array.isArray(root.children)) {
    collector.warn('The post’s lexical document could not be read.');
    return finish([], collector, true);
  }
  const walk: Walk = { collector, siteUrl: options.siteUrl };
  const blocks = children(root).flatMap((node) => block(node, walk));
  // A post of empty paragraphs is empty; anything else that came out empty is said so.
  const textBlocks = new Set(['paragraph', 'heading', 'quote', 'aside', 'list']);
  const hadContent = children(root).some((node) => !textBlocks.has(base(node.type)) || textOf(node) !== '');
  return finish(blocks, collector, hadContent);
}
