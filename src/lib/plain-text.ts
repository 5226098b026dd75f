// Plain text and rich-text documents, both ways: for the textareas that stand in
// for the editor without JavaScript (article bodies, biographies, newsletter
// intros), for what organisers and entrants type (a prize's description and
// rules, essays), and for the text of a document (word counts, structured data).
// One small syntax for all of them: blank lines separate blocks and, with
// markup, "## " and "### " start headings, "> " a quote, and lines starting
// "- " a list.
import { MAX_DOC_DEPTH, type RichNode } from './rich-text.js';
import { countWords } from './words.js';

export interface PlainTextOptions {
  /** Read and write headings, quotes and lists; without it every block is a paragraph (an essay as typed). */
  markup?: boolean;
  /** The level a "## " heading stands for: 3 for text placed under a page's own h2. "### " is always level 3. */
  headingLevel?: 2 | 3;
}

const text = (value: string): RichNode => ({ type: 'text', text: value });
const paragraph = (value: string): RichNode => ({ type: 'paragraph', content: [text(value.replace(/\s+/g, ' '))] });
const LIST_LINE = /^\s*-\s+/;

function blockOf(block: string, headingLevel: 2 | 3): RichNode {
  const heading = /^(#{2,3})\s+(.*)$/s.exec(block);
  if (heading)
    return { type: 'heading', attrs: { level: heading[1] === '##' ? headingLevel : 3 }, content: [text(heading[2]!.replace(/\s+/g, ' '))] };
  if (block.startsWith('> ')) {
    const quoted = block
      .replace(/^> ?/gm, '')
      .split(/\n\s*\n/)
      .map((p) => p.trim())
      .filter(Boolean);
    return { type: 'blockquote', content: quoted.map(paragraph) };
  }
  const lines = block.split('\n');
  if (lines.every((l) => LIST_LINE.test(l))) {
    return { type: 'bulletList', content: lines.map((l) => ({ type: 'listItem', content: [paragraph(l.replace(LIST_LINE, '').trim())] })) };
  }
  return paragraph(block);
}

/** Plain text to a document: blank lines (spaces allowed) separate blocks; line breaks inside a block are spaces. */
export function textToDoc(input: string, options: PlainTextOptions = {}): RichNode {
  const blocks = input
    .replace(/\r\n?/g, '\n')
    .split(/\n\s*\n/)
    .map((b) => b.trim())
    .filter(Boolean);
  const headingLevel = options.headingLevel ?? 2;
  return { type: 'doc', content: blocks.map((block) => (options.markup ? blockOf(block, headingLevel) : paragraph(block))) };
}

const CONTAINERS = ['doc', 'blockquote', 'bulletList', 'orderedList', 'listItem'];

/** The text of a node and its descendants, blocks separated by blank lines, nothing nested past the depth limit. */
function bareText(node: RichNode, depth: number): string {
  if (node === null || typeof node !== 'object' || depth > MAX_DOC_DEPTH) return '';
  if (node.type === 'text') return typeof node.text === 'string' ? node.text : '';
  if (node.type === 'hardBreak') return '\n';
  const parts = (Array.isArray(node.content) ? node.content : []).map((child) => bareText(child, depth + 1));
  return parts.join(CONTAINERS.includes(node.type) ? '\n\n' : '');
}

function markedBlock(block: RichNode, headingLevel: 2 | 3): string {
  const flat = (node: RichNode) => bareText(node, 2).replace(/\s+/g, ' ').trim();
  switch (block.type) {
    case 'heading':
      return `${block.attrs?.level === 3 && headingLevel === 2 ? '###' : '##'} ${flat(block)}`;
    case 'blockquote':
      return (block.content ?? []).map((p) => `> ${flat(p)}`).join('\n>\n');
    case 'bulletList':
    case 'orderedList':
      return (block.content ?? []).map((item) => `- ${flat(item)}`).join('\n');
    default:
      return bareText(block, 2);
  }
}

/**
 * A document as plain text. With markup, the text `textToDoc` reads back into
 * the same document (for a textarea); without it, only the words, blocks
 * separated by blank lines (for counting, search and structured data).
 */
export function docToText(doc: RichNode, options: PlainTextOptions = {}): string {
  if (!options.markup) return bareText(doc, 1);
  const headingLevel = options.headingLevel ?? 2;
  return (Array.isArray(doc.content) ? doc.content : [])
    .map((block) => markedBlock(block, headingLevel))
    .filter(Boolean)
    .join('\n\n');
}

/** The words of a document, counted as the editor counts them. */
export function countDocWords(doc: RichNode): number {
  return countWords(docToText(doc));
}
