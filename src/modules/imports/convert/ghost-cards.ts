// Ghost's cards (the same payloads in mobiledoc and in lexical) as blocks:
// pictures, HTML, Markdown, code and rules are carried over; embeds, bookmarks,
// buttons and files become links; callouts quotes; galleries pictures one after
// another; the rest a visible note. Each thing not carried over exactly is a warning.
import type { RichNode } from '../../../lib/rich-text.js';
import { htmlBlocks, htmlText } from './html.js';
import { markdownToHtml } from './markdown.js';
import {
  codeBlock,
  collapse,
  embedLink,
  figureNode,
  linkHref,
  linkPara,
  notePara,
  paragraph,
  pictureSrc,
  textNode,
  type Collector,
} from './shared.js';

export type Payload = Record<string, unknown>;

const str = (value: unknown): string => (typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '');
const record = (value: unknown): Payload =>
  value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Payload) : {};

export interface CardContext {
  collector: Collector;
  siteUrl?: string;
}

/** A caption (HTML in Ghost) as a paragraph of its text, or nothing. */
function captionPara(caption: unknown): RichNode[] {
  const text = htmlText(str(caption));
  return text ? [paragraph([textNode(text)])] : [];
}

function picture(ctx: CardContext, payload: Payload): RichNode | null {
  const src = pictureSrc(str(payload.src));
  if (src === null) {
    ctx.collector.warn('A picture card without a usable address was left out.');
    return null;
  }
  return figureNode(ctx.collector, src, str(payload.alt), htmlText(str(payload.caption)));
}

function link(ctx: CardContext, url: unknown, label: string, warning: (href: string) => string): RichNode[] {
  const href = linkHref(str(url), ctx.siteUrl);
  if (href === null) return [];
  ctx.collector.warn(warning(href));
  return [linkPara(href, label)];
}

function note(ctx: CardContext, name: string): RichNode[] {
  const label = name.replace(/[-_]/g, ' ');
  ctx.collector.warn(`A “${label}” card from the old site could not be carried over; a note marks where it was.`);
  return [notePara(`[The old site had a “${label}” card here — add it again if it is still wanted]`)];
}

/** The blocks for one card, by its name (mobiledoc) or node type (lexical). */
export function cardBlocks(rawName: string, payload: Payload, ctx: CardContext): RichNode[] {
  const name = rawName.toLowerCase().replace(/^card-/, '');
  const html = (value: unknown, depth = 2) => htmlBlocks(str(value), ctx.collector, { siteUrl: ctx.siteUrl, depth });
  switch (name) {
    case 'image': {
      const figure = picture(ctx, payload);
      return figure ? [figure] : captionPara(payload.caption);
    }
    case 'html':
      return html(payload.html);
    case 'markdown':
      return html(markdownToHtml(str(payload.markdown)));
    case 'code':
    case 'codeblock': {
      const code = str(payload.code).replace(/\r\n?/g, '\n');
      return [...(code.trim() ? [codeBlock(code)] : []), ...captionPara(payload.caption)];
    }
    case 'hr':
    case 'horizontalrule':
      return [{ type: 'horizontalRule' }];
    case 'embed': {
      const url = str(payload.url);
      const kept = url ? embedLink(ctx.collector, url, ctx.siteUrl) : null;
      const blocks = kept ? [kept] : html(payload.html);
      if (blocks.length === 0) ctx.collector.warn('An embed without a usable address was left out.');
      return [...blocks, ...captionPara(payload.caption)];
    }
    case 'bookmark': {
      const metadata = record(payload.metadata);
      const title = collapse(str(metadata.title)).trim();
      return [
        ...link(ctx, payload.url, title, (href) => `A link preview card for ${href} was kept as a plain link.`),
        ...captionPara(payload.caption),
      ];
    }
    case 'gallery': {
      const images = Array.isArray(payload.images) ? payload.images.map(record) : [];
      const figures = images.map((image) => picture(ctx, image)).filter((f): f is RichNode => f !== null);
      if (figures.length > 0)
        ctx.collector.warn(
          figures.length === 1
            ? 'A gallery of one picture was turned into a single picture.'
            : `A gallery of ${figures.length} pictures was turned into pictures one after another.`,
        );
      return [...figures, ...captionPara(payload.caption)];
    }
    case 'button':
      return link(
        ctx,
        payload.buttonUrl ?? payload.url,
        str(payload.buttonText ?? payload.text),
        (href) => `A button linking to ${href} was kept as a plain link.`,
      );
    case 'callout': {
      const blocks = html(payload.calloutText, 3);
      const emoji = str(payload.calloutEmoji).trim();
      const first = blocks[0];
      if (emoji && first?.type === 'paragraph') blocks[0] = { ...first, content: [textNode(`${emoji} `), ...(first.content ?? [])] };
      if (blocks.length === 0) return [];
      ctx.collector.warn('A callout box was kept as a quote.');
      return [{ type: 'blockquote', content: blocks }];
    }
    case 'toggle': {
      const heading = htmlText(str(payload.heading));
      ctx.collector.warn('A toggle (a section readers opened) was kept as a heading and its text.');
      return [...(heading ? [{ type: 'heading', attrs: { level: 3 }, content: [textNode(heading)] }] : []), ...html(payload.content)];
    }
    case 'video':
    case 'audio':
    case 'file': {
      const label = collapse(str(payload.fileTitle ?? payload.title ?? payload.fileName)).trim();
      const what = name === 'file' ? 'file' : `${name} file`;
      const kept = link(
        ctx,
        payload.src,
        label,
        (href) => `A${name === 'audio' ? 'n' : ''} ${what} was kept as a link (${href}); upload it again if it should be shown here.`,
      );
      return [...kept, ...captionPara(payload.caption ?? payload.fileCaption)];
    }
    case 'header': {
      const title = htmlText(str(payload.header ?? payload.heading));
      const sub = htmlText(str(payload.subheader ?? payload.subheading));
      ctx.collector.warn('A header card was kept as a heading and its text.');
      return [
        ...(title ? [{ type: 'heading', attrs: { level: 2 }, content: [textNode(title)] }] : []),
        ...(sub ? [paragraph([textNode(sub)])] : []),
        ...link(ctx, payload.buttonUrl, str(payload.buttonText), (href) => `A button linking to ${href} was kept as a plain link.`),
      ];
    }
    case 'paywall':
      ctx.collector.warn('The members-only divider was left out: here an article is open to everyone or to registered readers as a whole.');
      return [];
    default:
      return note(ctx, name);
  }
}
