// HTML (WordPress posts, Ghost's `html`, the HTML inside Ghost cards) into the
// allowlisted rich-text document, read with a real HTML parser. Every element
// is either understood (paragraphs, headings, quotes, lists, pictures, links,
// emphasis, preformatted text, tables), unwrapped (div, span and anything
// unknown: its text stays), kept as a link with a warning (embedded players),
// or dropped (scripts, styles, forms, frames from unknown sites).
import { parseDocument } from 'htmlparser2';
import type { RichMark, RichNode } from '../../../lib/rich-text.js';
import {
  Collector,
  codeBlock,
  collapse,
  embedLink,
  figureNode,
  finish,
  host,
  linkHref,
  normaliseMarks,
  notePara,
  paragraph,
  pictureSrc,
  providerOf,
  roomFor,
  textNode,
} from './shared.js';
import type { Converted, HtmlOptions } from './types.js';

/** The parts of htmlparser2's DOM read here (domhandler's nodes). */
interface DomNode {
  type: string;
  name?: string;
  data?: string;
  attribs?: Record<string, string>;
  children?: DomNode[];
}

export interface HtmlContext {
  siteUrl?: string;
  /** Classic WordPress content: blank lines are paragraph breaks, single newlines line breaks. */
  autop?: boolean;
  /** A known video or post address alone in a paragraph becomes a link (WordPress auto-embeds). */
  autoEmbed?: boolean;
  /** How deep the blocks produced sit (2 for the document's own blocks). */
  depth?: number;
}

/** Elements nested deeper than this are read as plain text (no stack overflow on hostile input). */
const MAX_ELEMENT_DEPTH = 250;

const DROPPED = new Set([
  'script',
  'style',
  'noscript',
  'template',
  'head',
  'title',
  'meta',
  'link',
  'base',
  'form',
  'input',
  'button',
  'select',
  'option',
  'textarea',
  'svg',
  'math',
  'canvas',
  'map',
  'area',
  'param',
  'source',
  'track',
  'frameset',
  'frame',
  'dialog',
  'applet',
]);
const EMBEDS = new Set(['iframe', 'embed', 'object', 'video', 'audio']);
const BOUNDARIES = new Set([
  'p',
  'div',
  'section',
  'article',
  'header',
  'footer',
  'main',
  'aside',
  'nav',
  'address',
  'center',
  'details',
  'summary',
  'dl',
  'dt',
  'dd',
  'fieldset',
  'legend',
  'hgroup',
  'caption',
  'figcaption',
  'li',
  'body',
  'html',
  'harbinger-note',
]);
const MARKS: Record<string, string> = {
  b: 'bold',
  strong: 'bold',
  i: 'italic',
  em: 'italic',
  cite: 'italic',
  dfn: 'italic',
  var: 'italic',
  s: 'strike',
  strike: 'strike',
  del: 'strike',
  code: 'code',
  kbd: 'code',
  samp: 'code',
  tt: 'code',
};

const isElement = (node: DomNode): boolean => node.type === 'tag' || node.type === 'script' || node.type === 'style';
const attr = (node: DomNode, name: string): string => node.attribs?.[name] ?? '';
const classes = (node: DomNode): string[] => attr(node, 'class').split(/\s+/).filter(Boolean);

/** Descendants in document order, without recursion; `enter` says whether to look inside an element. */
function descendants(node: DomNode, enter: (el: DomNode) => boolean = () => true): DomNode[] {
  const found: DomNode[] = [];
  const stack = [...(node.children ?? [])].reverse();
  while (stack.length > 0) {
    const n = stack.pop()!;
    found.push(n);
    if (isElement(n) && enter(n)) for (let i = (n.children ?? []).length - 1; i >= 0; i--) stack.push(n.children![i]!);
  }
  return found;
}

/** The text inside an element as a browser shows it (scripts and styles left out), `<br>` as a newline. */
function textOf(node: DomNode): string {
  let text = '';
  for (const n of descendants(node, (el) => el.type === 'tag' && !DROPPED.has(el.name ?? ''))) {
    if (n.type === 'text' || n.type === 'cdata') text += n.data ?? '';
    else if (n.name === 'br') text += '\n';
  }
  return text;
}

type Kind = { type: 'paragraph' } | { type: 'heading'; level: 2 | 3 };
const PARAGRAPH: Kind = { type: 'paragraph' };

/** The blocks of one container (the document, a quote, a list item), with the inline run being gathered. */
class Blocks {
  readonly out: RichNode[] = [];
  private inline: RichNode[] = [];
  kind: Kind = PARAGRAPH;

  constructor(
    readonly depth: number,
    private readonly onParagraph: (content: RichNode[]) => RichNode[],
  ) {}

  text(text: string, marks: RichMark[]): void {
    if (text !== '') this.inline.push(textNode(text, normaliseMarks(marks)));
  }

  /** A line break; one that only stands for a newline in the source is not added right after another. */
  hardBreak(fromNewline = false): void {
    if (fromNewline) {
      const last = [...this.inline].reverse().find((n) => !(n.type === 'text' && (n.text ?? '').trim() === ''));
      if (last?.type === 'hardBreak') return;
    }
    this.inline.push({ type: 'hardBreak' });
  }

  block(node: RichNode): void {
    this.flush();
    this.out.push(node);
  }

  flush(): void {
    const content = tidyInline(this.inline);
    this.inline = [];
    if (content.length === 0) return;
    if (this.kind.type === 'heading') this.out.push({ type: 'heading', attrs: { level: this.kind.level }, content });
    else this.out.push(...this.onParagraph(content));
  }
}

const sameMarks = (a: RichNode, b: RichNode): boolean => JSON.stringify(a.marks ?? []) === JSON.stringify(b.marks ?? []);

/**
 * An inline run as a browser lays it out: spaces collapsed across elements,
 * none at the start, the end or around a line break, no line breaks at the
 * edges, neighbouring texts with the same marks joined. Empty when nothing
 * visible is left (a paragraph of spaces or &nbsp;).
 */
function tidyInline(nodes: RichNode[]): RichNode[] {
  const out: RichNode[] = [];
  let afterSpace = true;
  for (const node of nodes) {
    if (node.type === 'hardBreak') {
      const last = out.at(-1);
      if (last?.type === 'text') last.text = last.text!.replace(/ $/, '');
      out.push(node);
      afterSpace = true;
      continue;
    }
    let text = node.text ?? '';
    if (afterSpace) text = text.replace(/^ /, '');
    if (text === '') continue;
    afterSpace = text.endsWith(' ');
    out.push({ ...node, text });
  }
  const last = out.at(-1);
  if (last?.type === 'text') last.text = last.text!.replace(/ $/, '');
  const merged: RichNode[] = [];
  for (const node of out) {
    if (node.type === 'text' && node.text === '') continue;
    const prev = merged.at(-1);
    if (prev?.type === 'text' && node.type === 'text' && sameMarks(prev, node)) prev.text += node.text!;
    else merged.push(node);
  }
  while (merged[0]?.type === 'hardBreak') merged.shift();
  while (merged.at(-1)?.type === 'hardBreak') merged.pop();
  const visible = merged.some((n) => n.type === 'text' && n.text!.replace(/[\s\u00a0]+/g, '') !== '');
  return visible ? merged : [];
}

interface Walk {
  marks: RichMark[];
  autop: boolean;
  elementDepth: number;
}

class HtmlConverter {
  constructor(
    private readonly collector: Collector,
    private readonly options: HtmlContext,
  ) {}

  sink(depth: number): Blocks {
    return new Blocks(depth, (content) => this.paragraphOf(content));
  }

  /** A paragraph, or a link paragraph when it is a known video or post address alone (WordPress auto-embeds). */
  private paragraphOf(content: RichNode[]): RichNode[] {
    const only = content.length === 1 ? content[0]! : null;
    if (this.options.autoEmbed && only?.type === 'text' && !only.marks && /^https?:\/\/\S+$/.test(only.text!)) {
      if (providerOf(only.text!)) {
        const link = embedLink(this.collector, only.text!, this.options.siteUrl);
        if (link) return [link];
      }
    }
    return [paragraph(content)];
  }

  walkAll(nodes: DomNode[], sink: Blocks, walk: Walk): void {
    for (const node of nodes) this.walk(node, sink, walk);
  }

  walk(node: DomNode, sink: Blocks, walk: Walk): void {
    if (node.type === 'text' || node.type === 'cdata') {
      this.text(node.data ?? '', sink, walk);
      return;
    }
    if (!isElement(node)) return; // Comments and doctype.
    const name = node.name ?? '';
    if (DROPPED.has(name)) {
      if (name === 'form') this.collector.warn('A form was left out: forms from the old site do not work here.');
      return;
    }
    if (walk.elementDepth > MAX_ELEMENT_DEPTH) {
      this.collector.warn('Very deeply nested markup was kept as plain text.');
      this.text(textOf(node), sink, { ...walk, marks: [] });
      return;
    }
    const inner: Walk = { ...walk, elementDepth: walk.elementDepth + 1 };
    const children = node.children ?? [];
    if (name in MARKS) {
      this.walkAll(children, sink, { ...inner, marks: [...walk.marks, { type: MARKS[name]! }] });
      return;
    }
    switch (name) {
      case 'a': {
        const href = linkHref(attr(node, 'href'), this.options.siteUrl);
        const marks = href === null ? walk.marks : [...walk.marks.filter((m) => m.type !== 'link'), { type: 'link', attrs: { href } }];
        this.walkAll(children, sink, { ...inner, marks });
        return;
      }
      case 'br':
        sink.hardBreak();
        return;
      case 'hr':
        sink.block({ type: 'horizontalRule' });
        return;
      case 'img': {
        const figure = this.picture(node, '');
        if (figure) sink.block(figure);
        return;
      }
      case 'figure':
        this.figure(node, sink, inner);
        return;
      case 'pre': {
        const text = textOf(node)
          .replace(/^\r?\n/, '')
          .replace(/\r\n?/g, '\n')
          .replace(/\n$/, '');
        if (text.trim() !== '') sink.block(codeBlock(text));
        return;
      }
      case 'h1':
      case 'h2':
      case 'h3':
      case 'h4':
      case 'h5':
      case 'h6': {
        const previous = sink.kind;
        sink.flush();
        sink.kind = { type: 'heading', level: name === 'h1' || name === 'h2' ? 2 : 3 };
        this.walkAll(children, sink, { ...inner, autop: false });
        sink.flush();
        sink.kind = previous;
        return;
      }
      case 'blockquote':
        this.container(node, sink, inner, (content) => ({ type: 'blockquote', content }));
        return;
      case 'ul':
      case 'ol':
      case 'menu':
        this.list(node, sink, inner);
        return;
      case 'table':
        this.table(node, sink, inner);
        return;
      case 'harbinger-embed': {
        const link = embedLink(this.collector, attr(node, 'href'), this.options.siteUrl);
        if (link) sink.block(link);
        return;
      }
      default:
        break;
    }
    if (EMBEDS.has(name)) {
      this.embed(node, sink);
      return;
    }
    if (BOUNDARIES.has(name)) {
      sink.flush();
      this.walkAll(children, sink, inner);
      sink.flush();
      return;
    }
    // span, u, sub, sup, mark, font… and elements nobody knows: their content stays.
    this.walkAll(children, sink, inner);
  }

  private text(data: string, sink: Blocks, walk: Walk): void {
    if (!walk.autop) {
      sink.text(collapse(data), walk.marks);
      return;
    }
    const paragraphs = data.replace(/\r\n?/g, '\n').split(/\n[ \t]*\n\s*/);
    paragraphs.forEach((part, i) => {
      if (i > 0) sink.flush();
      part.split('\n').forEach((line, j) => {
        if (j > 0) sink.hardBreak(true);
        sink.text(collapse(line), walk.marks);
      });
    });
  }

  /** A quote (or another container) holding blocks; flattened into its parent when nesting would go too deep. */
  private container(node: DomNode, sink: Blocks, walk: Walk, wrap: (content: RichNode[]) => RichNode): void {
    if (!roomFor(sink.depth, 3)) {
      sink.flush();
      this.walkAll(node.children ?? [], sink, walk);
      sink.flush();
      return;
    }
    const inner = this.sink(sink.depth + 1);
    inner.kind = sink.kind;
    this.walkAll(node.children ?? [], inner, walk);
    inner.flush();
    if (inner.out.length > 0) sink.block(wrap(inner.out));
  }

  private list(node: DomNode, sink: Blocks, walk: Walk): void {
    const inList: Walk = { ...walk, autop: false };
    if (!roomFor(sink.depth, 4)) {
      // Too deep for another list: its items become paragraphs of the enclosing one.
      sink.flush();
      this.walkAll(node.children ?? [], sink, inList);
      sink.flush();
      return;
    }
    const items: RichNode[] = [];
    let loose: Blocks | null = null;
    const closeLoose = () => {
      if (loose) {
        loose.flush();
        if (loose.out.length > 0) items.push(listItem(loose.out));
        loose = null;
      }
    };
    for (const child of node.children ?? []) {
      if (isElement(child) && child.name === 'li') {
        closeLoose();
        const item = this.sink(sink.depth + 2);
        this.walkAll(child.children ?? [], item, inList);
        item.flush();
        if (item.out.length > 0) items.push(listItem(item.out));
      } else if (isElement(child) && (child.name === 'ul' || child.name === 'ol') && items.length > 0 && !loose) {
        // A list written straight inside a list belongs to the item before it.
        const holder = this.sink(sink.depth + 2);
        this.list(child, holder, inList);
        holder.flush();
        items.at(-1)!.content!.push(...holder.out);
      } else {
        if (child.type === 'text' && (child.data ?? '').trim() === '') continue;
        loose ??= this.sink(sink.depth + 2);
        this.walk(child, loose, inList);
      }
    }
    closeLoose();
    if (items.length === 0) return;
    const start = Number.parseInt(attr(node, 'start'), 10);
    if (node.name === 'ol') {
      sink.block({ type: 'orderedList', attrs: { start: Number.isInteger(start) && start > 0 ? start : 1 }, content: items });
    } else {
      sink.block({ type: 'bulletList', content: items });
    }
  }

  private table(node: DomNode, sink: Blocks, walk: Walk): void {
    this.collector.warn('A table was turned into one paragraph per row (cells separated by “|”); check that it still reads well.');
    const inTable: Walk = { ...walk, autop: false };
    sink.flush();
    const rows = descendants(node, (el) => el.name !== 'table' && el.name !== 'tr');
    for (const row of rows) {
      if (!isElement(row)) continue;
      if (row.name === 'caption') {
        this.walkAll(row.children ?? [], sink, inTable);
        sink.flush();
      } else if (row.name === 'tr') {
        let first = true;
        for (const cell of row.children ?? []) {
          if (!isElement(cell) || (cell.name !== 'td' && cell.name !== 'th')) continue;
          if (textOf(cell).trim() === '' && !descendants(cell).some((n) => n.name === 'img')) continue;
          if (!first) sink.text(' | ', []);
          first = false;
          this.walkAll(cell.children ?? [], sink, inTable);
        }
        sink.flush();
      }
    }
  }

  /** A picture: its address (also lazy-loading attributes), alt text and the WordPress attachment id. */
  picture(img: DomNode, caption: string): RichNode | null {
    const candidates = [attr(img, 'src'), attr(img, 'data-src'), attr(img, 'data-lazy-src'), attr(img, 'data-orig-file')];
    const src = candidates.map(pictureSrc).find((s): s is string => s !== null) ?? null;
    if (src === null) {
      this.collector.warn(
        candidates.some((c) => /^\s*data:/i.test(c))
          ? 'A picture stored inside the text itself was left out; add it again from the media library.'
          : 'A picture without a usable address was left out.',
      );
      return null;
    }
    const id =
      /(?:^|\s)wp-image-(\d+)(?:\s|$)/.exec(attr(img, 'class'))?.[1] ??
      (/^\d+$/.test(attr(img, 'data-id')) ? attr(img, 'data-id') : undefined);
    return figureNode(this.collector, src, attr(img, 'alt'), caption, id);
  }

  private figure(node: DomNode, sink: Blocks, walk: Walk): void {
    const cls = classes(node);
    if (cls.includes('kg-bookmark-card')) {
      const anchor = descendants(node).find((n) => n.name === 'a' && attr(n, 'href') !== '');
      const title = descendants(node).find((n) => classes(n).includes('kg-bookmark-title'));
      const href = anchor ? linkHref(attr(anchor, 'href'), this.options.siteUrl) : null;
      if (href) {
        this.collector.warn(`A link preview card for ${href} was kept as a plain link.`);
        sink.block(paragraph([textNode(collapse(title ? textOf(title) : href).trim() || href, [{ type: 'link', attrs: { href } }])]));
      }
      return;
    }
    // Pictures and inner figures, not looking inside the inner figures.
    const parts = descendants(node, (el) => el.name !== 'figure').filter((n) => n.name === 'img' || n.name === 'figure');
    const ownCaption = descendants(node, (el) => el.name !== 'figure').find((n) => n.name === 'figcaption');
    const captionText = ownCaption ? collapse(textOf(ownCaption)).trim() : '';
    if (parts.length === 0) {
      // A figure around a quote, a table, an embed…: its content as blocks.
      sink.flush();
      this.walkAll(node.children ?? [], sink, walk);
      sink.flush();
      return;
    }
    if (parts.length === 1 && parts[0]!.name === 'img') {
      const figure = this.picture(parts[0]!, captionText);
      if (figure) sink.block(figure);
      else if (captionText) sink.block(notePara(captionText));
      return;
    }
    // A gallery: every picture in turn, each with its own caption; the gallery's caption after them.
    this.collector.warn(`A gallery of ${parts.length} pictures was turned into pictures one after another.`);
    for (const part of parts) {
      if (part.name === 'figure') this.figure(part, sink, walk);
      else {
        const figure = this.picture(part, '');
        if (figure) sink.block(figure);
      }
    }
    if (captionText) sink.block(notePara(captionText));
  }

  private embed(node: DomNode, sink: Blocks): void {
    const name = node.name ?? '';
    const sources = [
      attr(node, 'src'),
      attr(node, 'data'),
      ...descendants(node)
        .filter((n) => n.name === 'source')
        .map((n) => attr(n, 'src')),
    ];
    const src = sources.map((s) => s.trim()).find((s) => s !== '') ?? '';
    const known = src !== '' && providerOf(src.startsWith('//') ? `https:${src}` : src) !== null;
    if (known || ((name === 'video' || name === 'audio') && src !== '')) {
      const link = known
        ? embedLink(this.collector, src.startsWith('//') ? `https:${src}` : src, this.options.siteUrl)
        : this.mediaFile(name, src);
      if (link) {
        sink.block(link);
        return;
      }
    }
    this.collector.warn(
      src ? `An embedded ${name} from ${host(src) || src} was left out.` : `An embedded ${name} without an address was left out.`,
    );
  }

  private mediaFile(name: string, src: string): RichNode | null {
    const href = linkHref(src, this.options.siteUrl);
    if (href === null) return null;
    this.collector.warn(
      `A${name === 'audio' ? 'n audio' : ' video'} file was kept as a link (${href}); upload it again if it should play here.`,
    );
    return paragraph([textNode(href, [{ type: 'link', attrs: { href } }])]);
  }
}

function listItem(blocks: RichNode[]): RichNode {
  // The editor wants every list item to start with a paragraph.
  const [first, ...rest] = blocks;
  if (first?.type === 'paragraph') return { type: 'listItem', content: blocks };
  if (first?.type === 'heading') return { type: 'listItem', content: [paragraph(first.content ?? []), ...rest] };
  return { type: 'listItem', content: [{ type: 'paragraph' }, ...blocks] };
}

/** Elements nested deeper than this are unwrapped before parsing (see `shallow`). */
const MAX_PARSE_DEPTH = 1000;
/** Elements that are void or closed implicitly by their next sibling: not counted as nesting. */
const UNCOUNTED = new Set([
  'area',
  'base',
  'br',
  'col',
  'embed',
  'hr',
  'img',
  'input',
  'link',
  'meta',
  'source',
  'track',
  'wbr',
  'p',
  'li',
  'dt',
  'dd',
  'tr',
  'td',
  'th',
  'option',
]);

/**
 * The HTML with tags nested deeper than MAX_PARSE_DEPTH taken out (their text
 * stays). The parser's work grows with the square of the nesting depth, so a
 * hostile post of 100,000 nested elements would otherwise take a minute; this
 * pass is linear and leaves ordinary HTML as it is.
 */
function shallow(html: string): string {
  let depth = 0;
  let deep = false;
  const out = html.replace(/<(\/?)([a-zA-Z][\w:-]*)\b[^>]*>/g, (tag, closing: string, rawName: string) => {
    const name = rawName.toLowerCase();
    if (UNCOUNTED.has(name) || tag.endsWith('/>')) return tag;
    if (closing) {
      if (depth > MAX_PARSE_DEPTH) {
        depth -= 1;
        return '';
      }
      depth = Math.max(0, depth - 1);
      return tag;
    }
    depth += 1;
    if (depth > MAX_PARSE_DEPTH) {
      deep = true;
      return '';
    }
    return tag;
  });
  return deep ? out : html;
}

function parse(html: string): DomNode[] {
  return parseDocument(shallow(html), { decodeEntities: true }).children;
}

/** Whether HTML holds anything besides comments and white space. */
export function hasContent(html: string): boolean {
  return html.replace(/<!--[\s\S]*?(?:-->|$)/g, '').trim() !== '';
}

/** The blocks of an HTML fragment, for converters that hold HTML inside their own format. */
export function htmlBlocks(html: string, collector: Collector, context: HtmlContext = {}): RichNode[] {
  const converter = new HtmlConverter(collector, context);
  const sink = converter.sink(context.depth ?? 2);
  converter.walkAll(parse(html), sink, { marks: [], autop: context.autop ?? false, elementDepth: 0 });
  sink.flush();
  return sink.out;
}

/** The plain text of an HTML fragment (captions): tags stripped, entities decoded, spaces collapsed. */
export function htmlText(html: string): string {
  return collapse(textOf({ type: 'root', children: parse(html) })).trim();
}

/** Converts HTML into the allowlisted document, listing its pictures and what could not be carried over. */
export function htmlToDoc(html: string, options: HtmlOptions = {}): Converted {
  const collector = new Collector();
  const blocks = htmlBlocks(html, collector, { autop: options.autop, siteUrl: options.siteUrl });
  return finish(blocks, collector, hasContent(html));
}
