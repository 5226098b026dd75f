// Rich text is stored as a ProseMirror/TipTap JSON document and rendered on the
// server. The renderer is the sanitizer: it knows a fixed set of node types,
// marks and attributes, escapes every text, and drops everything else. Nothing
// from the document is copied into the HTML without passing through here.

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

/** Only web, mail and same-site links survive; javascript:, data: and the like are dropped. */
export function safeHref(href: unknown): string | null {
  const value = str(href).trim();
  if (value === '') return null;
  if (value.startsWith('/') && !value.startsWith('//')) return value;
  if (value.startsWith('#')) return value;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:' || url.protocol === 'mailto:' ? url.href : null;
  } catch {
    return null;
  }
}

function renderText(node: RichNode): string {
  let html = escapeHtml(node.text ?? '');
  for (const mark of node.marks ?? []) {
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
        if (href === null) break;
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

function renderNodes(nodes: RichNode[] | undefined, options: RenderOptions): string {
  if (!Array.isArray(nodes)) return '';
  let html = '';
  for (const node of nodes) html += renderNode(node, options);
  return html;
}

function renderNode(node: RichNode, options: RenderOptions): string {
  if (node === null || typeof node !== 'object') return '';
  const inner = () => renderNodes(node.content, options);
  switch (node.type) {
    case 'doc':
      return inner();
    case 'paragraph':
      return `<p>${inner()}</p>`;
    case 'heading': {
      const level = node.attrs?.level === 3 ? 3 : 2;
      return `<h${level}>${inner()}</h${level}>`;
    }
    case 'blockquote':
      return `<blockquote>${inner()}</blockquote>`;
    case 'bulletList':
      return `<ul>${inner()}</ul>`;
    case 'orderedList': {
      const start = Number(node.attrs?.start);
      return Number.isInteger(start) && start > 1 ? `<ol start="${start}">${inner()}</ol>` : `<ol>${inner()}</ol>`;
    }
    case 'listItem':
      return `<li>${inner()}</li>`;
    case 'hardBreak':
      return '<br>';
    case 'horizontalRule':
      return '<hr>';
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
  return renderNode(doc, options);
}

export function parseDoc(json: string): RichNode {
  try {
    const value = JSON.parse(json) as RichNode;
    return value && typeof value === 'object' && value.type === 'doc' ? value : { type: 'doc', content: [] };
  } catch {
    return { type: 'doc', content: [] };
  }
}

/** The text of a node and its descendants, blocks separated by blank lines. */
export function plainText(node: RichNode): string {
  if (node.type === 'text') return node.text ?? '';
  if (node.type === 'hardBreak') return '\n';
  const parts = (node.content ?? []).map(plainText);
  const block = ['doc', 'blockquote', 'bulletList', 'orderedList', 'listItem'].includes(node.type);
  return parts.join(block ? '\n\n' : '');
}

export function countWords(node: RichNode): number {
  const text = plainText(node).trim();
  return text === '' ? 0 : text.split(/\s+/u).length;
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
