// Rich text is stored as a ProseMirror/TipTap JSON document and rendered on the
// server. The renderer is the sanitizer: it knows a fixed set of node types,
// marks and attributes, escapes every text, and drops everything else. Nothing
// from the document is copied into the HTML without passing through here.
import { z } from 'zod';

export interface RichMark {
  type: string;
  attrs?: Record<string, unknown>;
}

export interface RichNode {
  type: string;
  attrs?: Record<string, unknown>;
  content?: RichNode[];
  marks?: RichMark[];
  text?: string;
}

export interface FigureAttrs {
  mediaId: string;
  alt: string;
  caption: string;
  creditCreator: string;
  creditSource: string;
}

export interface RenderOptions {
  /** Renders a picture node; without it pictures are left out. */
  figure?: (attrs: FigureAttrs) => string;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

const SAME_SITE = 'https://same-site.invalid';

/** Only web, mail and same-site links survive; javascript:, data: and the like are dropped. */
export function safeHref(href: unknown): string | null {
  const value = str(href).trim();
  if (value === '') return null;
  if (value.startsWith('/') || value.startsWith('#')) {
    // As a browser reads it: tabs and newlines dropped, '\\' as '/', so '/\t/evil.example' leaves the site.
    try {
      return new URL(value, SAME_SITE).origin === SAME_SITE ? value : null;
    } catch {
      return null;
    }
  }
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:' || url.protocol === 'mailto:' ? url.href : null;
  } catch {
    return null;
  }
}

function renderText(node: RichNode): string {
  let html = escapeHtml(str(node.text));
  let linked = false;
  for (const mark of Array.isArray(node.marks) ? node.marks : []) {
    if (mark === null || typeof mark !== 'object') continue;
    switch (mark.type) {
      case 'bold':
        html = `<strong>${html}</strong>`;
        break;
      case 'italic':
        html = `<em>${html}</em>`;
        break;
      case 'strike':
        html = `<s>${html}</s>`;
        break;
      case 'code':
        html = `<code>${html}</code>`;
        break;
      case 'link': {
        const href = safeHref(mark.attrs?.href);
        // One link per text: a link inside a link is HTML the browser splits.
        if (href === null || linked) break;
        linked = true;
        const external = /^https?:/.test(href);
        html = `<a href="${escapeHtml(href)}"${external ? ' rel="noopener noreferrer nofollow"' : ''}>${html}</a>`;
        break;
      }
      default:
        break;
    }
  }
  return html;
}

/**
 * Where a node sits: among blocks, directly in a list, or in running text. The
 * schema lets any node hold any other, but a quote in a paragraph or a list item
 * in a list item is HTML the browser re-nests: in running text only text and
 * line breaks are written (a block there keeps only its text), and a list item
 * is one only directly in a list.
 */
type Context = 'block' | 'list' | 'inline';

function renderNodes(nodes: RichNode[] | undefined, options: RenderOptions, depth: number, context: Context): string {
  if (!Array.isArray(nodes)) return '';
  let html = '';
  for (const node of nodes) html += renderNode(node, options, depth, context);
  return html;
}

function renderInline(node: RichNode, options: RenderOptions, depth: number): string {
  switch (node.type) {
    case 'text':
      return renderText(node);
    case 'hardBreak':
      return '<br>';
    case 'codeBlock':
      return escapeHtml(codeOf(node));
    case 'paragraph':
    case 'heading':
    case 'blockquote':
    case 'bulletList':
    case 'orderedList':
    case 'listItem':
      return renderNodes(node.content, options, depth + 1, 'inline');
    default:
      return '';
  }
}

function codeOf(node: RichNode): string {
  const children = Array.isArray(node.content) ? node.content : [];
  return children.map((child) => (child !== null && typeof child === 'object' && child.type === 'text' ? str(child.text) : '')).join('');
}

function renderNode(node: RichNode, options: RenderOptions, depth: number, context: Context): string {
  if (node === null || typeof node !== 'object') return '';
  // Saves refuse such documents; should one be stored anyway, what lies deeper
  // is left out rather than overflowing the stack.
  if (depth > MAX_DOC_DEPTH) return '';
  if (context === 'inline') return renderInline(node, options, depth);
  const inner = () => renderNodes(node.content, options, depth + 1, 'block');
  const inlineInner = () => renderNodes(node.content, options, depth + 1, 'inline');
  const listInner = () => renderNodes(node.content, options, depth + 1, 'list');
  switch (node.type) {
    case 'doc':
      return inner();
    case 'paragraph':
      return `<p>${inlineInner()}</p>`;
    case 'heading': {
      const level = node.attrs?.level === 3 ? 3 : 2;
      return `<h${level}>${inlineInner()}</h${level}>`;
    }
    case 'blockquote':
      return `<blockquote>${inner()}</blockquote>`;
    case 'bulletList':
      return `<ul>${listInner()}</ul>`;
    case 'orderedList': {
      const start = Number(node.attrs?.start);
      return Number.isInteger(start) && start > 1 ? `<ol start="${start}">${listInner()}</ol>` : `<ol>${listInner()}</ol>`;
    }
    case 'listItem':
      return context === 'list' ? `<li>${inner()}</li>` : inner();
    case 'hardBreak':
      return '<br>';
    case 'horizontalRule':
      return '<hr>';
    case 'codeBlock': {
      // Preformatted text: only its text, escaped, without marks.
      return `<pre><code>${escapeHtml(codeOf(node))}</code></pre>`;
    }
    case 'text':
      return renderText(node);
    case 'figure': {
      if (!options.figure) return '';
      const a = node.attrs ?? {};
      const mediaId = str(a.mediaId);
      if (!/^[0-9a-f-]{36}$/.test(mediaId)) return '';
      return options.figure({
        mediaId,
        alt: str(a.alt),
        caption: str(a.caption),
        creditCreator: str(a.creditCreator),
        creditSource: str(a.creditSource),
      });
    }
    default:
      return '';
  }
}

export function renderRichText(doc: RichNode, options: RenderOptions = {}): string {
  return renderNode(doc, options, 1, 'block');
}

// ---------------------------------------------------------------------------
// The shape of a stored document. Every path that accepts a document from
// outside (the editor's form and autosave, imports) checks it with
// `richDocSchema` before it is rendered or stored.

/** Nesting deeper than this is refused (a quote in a list in a list… stays far below it). */
export const MAX_DOC_DEPTH = 40;

const attrValue = z.union([z.string().max(10_000), z.number(), z.boolean(), z.null()]);
const markSchema = z.object({ type: z.string().min(1).max(40), attrs: z.record(z.string().max(40), attrValue).optional() });
const nodeSchema: z.ZodType<RichNode> = z.lazy(() =>
  z.object({
    type: z.string().min(1).max(40),
    attrs: z.record(z.string().max(40), attrValue).optional(),
    content: z.array(nodeSchema).max(20_000).optional(),
    marks: z.array(markSchema).max(20).optional(),
    text: z.string().optional(),
  }),
);

/** How deeply nodes nest through `content`, counted without recursion and stopping past the limit. */
function nodeDepth(value: unknown, limit: number): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    deepest = Math.max(deepest, depth);
    if (deepest > limit) return deepest;
    const content = node !== null && typeof node === 'object' ? (node as { content?: unknown }).content : undefined;
    if (Array.isArray(content)) for (const child of content) stack.push([child, depth + 1]);
  }
  return deepest;
}

export const DOC_MESSAGES = {
  unreadable: 'The text could not be read as a document. Nothing was saved; copy your text and reload the page.',
  tooDeep: `The text is nested too deeply (more than ${MAX_DOC_DEPTH} levels of lists and quotes). Nothing was saved.`,
  notADocument: 'The text is not a valid document: every part needs a type, and parts may only contain a list of parts.',
} as const;

/** A document as stored: a `doc` node whose nodes have the expected shape, nested at most MAX_DOC_DEPTH deep. */
export const richDocSchema: z.ZodType<RichNode, unknown> = z
  .unknown()
  .superRefine((value, ctx) => {
    if (nodeDepth(value, MAX_DOC_DEPTH) > MAX_DOC_DEPTH) ctx.addIssue({ code: 'custom', message: DOC_MESSAGES.tooDeep, abort: true });
  })
  .pipe(nodeSchema.refine((node) => node.type === 'doc', DOC_MESSAGES.notADocument));

/** Parses and checks a document sent as JSON text; the message says what is wrong. */
export function parseRichDoc(json: string): { ok: true; doc: RichNode } | { ok: false; message: string } {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return { ok: false, message: DOC_MESSAGES.unreadable };
  }
  const parsed = richDocSchema.safeParse(value);
  if (parsed.success) return { ok: true, doc: parsed.data };
  const message = parsed.error.issues[0]?.message;
  return {
    ok: false,
    message: message === DOC_MESSAGES.tooDeep || message === DOC_MESSAGES.notADocument ? message : DOC_MESSAGES.notADocument,
  };
}

function isEmptyBlock(node: RichNode): boolean {
  if (node.type !== 'paragraph') return false;
  return (node.content ?? []).every((child) => child.type === 'hardBreak' || (child.type === 'text' && str(child.text).trim() === ''));
}

/** The document as it should be stored: without the empty paragraphs an editor leaves at the end. */
export function normalizeDoc(doc: RichNode): RichNode {
  const content = [...(doc.content ?? [])];
  while (content.length > 0 && isEmptyBlock(content[content.length - 1]!)) content.pop();
  return { ...doc, content };
}

export function parseDoc(json: string): RichNode {
  try {
    const value = JSON.parse(json) as RichNode;
    return value && typeof value === 'object' && value.type === 'doc' ? value : { type: 'doc', content: [] };
  } catch {
    return { type: 'doc', content: [] };
  }
}

/**
 * The first `paragraphs` paragraphs of a document and the blocks between them
 * (headings, quotes), for the registration wall. `truncated` says whether
 * anything was left out.
 */
export function previewOf(doc: RichNode, paragraphs: number): { doc: RichNode; truncated: boolean } {
  const blocks = doc.content ?? [];
  const kept: RichNode[] = [];
  let seen = 0;
  for (const block of blocks) {
    if (seen >= paragraphs) break;
    kept.push(block);
    if (block.type === 'paragraph') seen += 1;
  }
  return { doc: { type: 'doc', content: kept }, truncated: kept.length < blocks.length };
}

/** Builders for documents written in code (demo content, fixtures). */
export const rt = {
  doc: (...content: RichNode[]): RichNode => ({ type: 'doc', content }),
  p: (...parts: (string | RichNode)[]): RichNode => ({
    type: 'paragraph',
    content: parts.map((part) => (typeof part === 'string' ? { type: 'text', text: part } : part)),
  }),
  h2: (text: string): RichNode => ({ type: 'heading', attrs: { level: 2 }, content: [{ type: 'text', text }] }),
  h3: (text: string): RichNode => ({ type: 'heading', attrs: { level: 3 }, content: [{ type: 'text', text }] }),
  quote: (...paragraphs: string[]): RichNode => ({
    type: 'blockquote',
    content: paragraphs.map((text) => ({ type: 'paragraph', content: [{ type: 'text', text }] })),
  }),
  ul: (...items: string[]): RichNode => ({
    type: 'bulletList',
    content: items.map((text) => ({ type: 'listItem', content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] })),
  }),
  em: (text: string): RichNode => ({ type: 'text', text, marks: [{ type: 'italic' }] }),
  strong: (text: string): RichNode => ({ type: 'text', text, marks: [{ type: 'bold' }] }),
  link: (text: string, href: string): RichNode => ({ type: 'text', text, marks: [{ type: 'link', attrs: { href } }] }),
  figure: (attrs: FigureAttrs): RichNode => ({ type: 'figure', attrs: { ...attrs } }),
};
