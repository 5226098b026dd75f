// The `figure` block of the article editor and the picture picker that feeds it
// (also used for the lead picture). A figure stores only what the server needs to
// render it (see src/lib/rich-text.ts): the picture's id and the words around it.
// Thumbnail URLs are looked up at display time and never stored, so the document
// does not go stale when the media service changes its file names.
import { Node as TiptapNode, type Editor } from '@tiptap/core';
import { NodeSelection, TextSelection } from '@tiptap/pm/state';
import type { FigureAttrs } from '../../lib/rich-text.js';

/** One picture as listed by the newsroom's media endpoint (data-media-url). */
export interface MediaItem extends FigureAttrs {
  width: number;
  height: number;
  /** Thumbnail URL, '' when the server gave none or one we would not load. */
  thumb: string;
}

// ---------------------------------------------------------------------------
// Thumbnails known so far, by media id. Filled by every media listing the page
// fetches; figures already on screen are told so they can show the picture.

const thumbs = new Map<string, string>();
const thumbWatchers = new Set<() => void>();

function rememberThumbs(items: MediaItem[]): void {
  let added = false;
  for (const item of items) {
    if (item.thumb !== '' && thumbs.get(item.mediaId) !== item.thumb) {
      thumbs.set(item.mediaId, item.thumb);
      added = true;
    }
  }
  if (added) for (const watcher of thumbWatchers) watcher();
}

// ---------------------------------------------------------------------------
// Parsing what the media endpoint sends. It is our own server, but a stale
// session or a proxy error page must not end up as pictures in the document.

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** Only same-site paths and web URLs are used as image sources. */
function safeImageUrl(value: unknown): string {
  const raw = text(value).trim();
  if (raw === '') return '';
  try {
    const url = new URL(raw, window.location.href);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : '';
  } catch {
    return '';
  }
}

function parseMediaList(json: unknown): MediaItem[] {
  if (!Array.isArray(json)) throw new Error('the server sent an unexpected answer');
  const items: MediaItem[] = [];
  for (const entry of json) {
    if (!isRecord(entry) || typeof entry.id !== 'string' || entry.id === '') continue;
    items.push({
      mediaId: entry.id,
      alt: text(entry.alt),
      caption: text(entry.caption),
      creditCreator: text(entry.creditCreator),
      creditSource: text(entry.creditSource),
      width: typeof entry.width === 'number' ? entry.width : 0,
      height: typeof entry.height === 'number' ? entry.height : 0,
      thumb: safeImageUrl(entry.thumb),
    });
  }
  return items;
}

/** Fetches the pictures matching `query`; an empty query lists the latest ones. */
export async function fetchMedia(mediaUrl: string, query: string, signal?: AbortSignal): Promise<MediaItem[]> {
  const url = new URL(mediaUrl, window.location.href);
  url.searchParams.set('q', query);
  const res = await fetch(url.href, { headers: { accept: 'application/json' }, credentials: 'same-origin', signal });
  if (!res.ok) throw new Error(`the server answered ${res.status}`);
  const items = parseMediaList(await res.json().catch(() => null));
  rememberThumbs(items);
  return items;
}

// ---------------------------------------------------------------------------
// The figure node.

/** The credit line as the public site prints it (see the Credit component). */
export function creditLine(attrs: Pick<FigureAttrs, 'creditCreator' | 'creditSource'>): string {
  const parts = [attrs.creditCreator, attrs.creditSource].filter((p) => p.trim() !== '');
  return parts.length === 0 ? '' : `Picture by: ${parts.join(' | ')}`;
}

function captionLine(attrs: FigureAttrs): string {
  return [attrs.caption, creditLine(attrs)].filter((p) => p.trim() !== '').join(' ');
}

function figureAttrs(attrs: Record<string, unknown>): FigureAttrs {
  return {
    mediaId: text(attrs.mediaId),
    alt: text(attrs.alt),
    caption: text(attrs.caption),
    creditCreator: text(attrs.creditCreator),
    creditSource: text(attrs.creditSource),
  };
}

/** A string attribute read from a data-* attribute of the <figure>. */
function dataAttr(name: string) {
  return { default: '', parseHTML: (el: HTMLElement) => el.getAttribute(name) ?? '' };
}

/** Asks for caption and credit; null when the person cancels any of the questions. */
function askCaptionAndCredit(current: FigureAttrs): FigureAttrs | null {
  const caption = window.prompt('Caption', current.caption);
  if (caption === null) return null;
  const creditCreator = window.prompt('Picture by (photographer or artist)', current.creditCreator);
  if (creditCreator === null) return null;
  const creditSource = window.prompt('Picture source (agency, archive or licence)', current.creditSource);
  if (creditSource === null) return null;
  return { ...current, caption: caption.trim(), creditCreator: creditCreator.trim(), creditSource: creditSource.trim() };
}

export const Figure = TiptapNode.create({
  name: 'figure',
  group: 'block',
  atom: true,
  draggable: true,
  selectable: true,

  addAttributes() {
    return {
      mediaId: dataAttr('data-media-id'),
      alt: { default: '', parseHTML: (el: HTMLElement) => el.querySelector('img')?.getAttribute('alt') ?? '' },
      // Copy and paste goes through HTML; the data-* attributes carry the caption
      // and credit across it intact. Without them, fall back to the caption text.
      caption: {
        default: '',
        parseHTML: (el: HTMLElement) =>
          el.getAttribute('data-caption') ??
          (el.querySelector('figcaption')?.textContent ?? '').replace(/\s*Picture by:[\s\S]*$/, '').trim(),
      },
      creditCreator: dataAttr('data-credit-creator'),
      creditSource: dataAttr('data-credit-source'),
    };
  },

  parseHTML() {
    return [{ tag: 'figure[data-media-id]' }];
  },

  // Used for the clipboard and getHTML(); on screen the node view below is used.
  renderHTML({ node }) {
    const attrs = figureAttrs(node.attrs);
    return [
      'figure',
      {
        class: 'editor-figure',
        'data-media-id': attrs.mediaId,
        'data-caption': attrs.caption,
        'data-credit-creator': attrs.creditCreator,
        'data-credit-source': attrs.creditSource,
      },
      ['img', { src: thumbs.get(attrs.mediaId) ?? '', alt: attrs.alt }],
      ['figcaption', {}, captionLine(attrs)],
    ];
  },

  addNodeView() {
    return ({ node, getPos, editor }) => {
      let current = node;
      const dom = document.createElement('figure');
      dom.className = 'editor-figure';
      const img = document.createElement('img');
      const caption = document.createElement('figcaption');
      const edit = document.createElement('button');
      edit.type = 'button';
      edit.className = 'editor__button';
      edit.textContent = 'Edit caption';
      dom.append(img, caption, edit);

      const render = () => {
        const attrs = figureAttrs(current.attrs);
        dom.dataset.mediaId = attrs.mediaId;
        img.alt = attrs.alt;
        // No src at all when the thumbnail is unknown: the alt text shows instead
        // of a broken-image icon, and no request goes to the page's own URL.
        const thumb = thumbs.get(attrs.mediaId);
        if (thumb) img.src = thumb;
        else img.removeAttribute('src');
        caption.textContent = captionLine(attrs);
        edit.setAttribute('aria-label', `Edit caption and credit of the picture “${attrs.alt || attrs.caption || attrs.mediaId}”`);
      };
      render();
      thumbWatchers.add(render);

      edit.addEventListener('click', () => {
        const pos = getPos();
        if (typeof pos !== 'number' || !editor.isEditable) return;
        const next = askCaptionAndCredit(figureAttrs(current.attrs));
        if (!next) return;
        editor
          .chain()
          .focus()
          .command(({ tr }) => {
            // The document may have changed while the prompts were open.
            if (tr.doc.nodeAt(pos)?.type.name !== 'figure') return false;
            tr.setNodeMarkup(pos, undefined, { ...next });
            return true;
          })
          .run();
      });

      return {
        dom,
        update(updated) {
          if (updated.type !== current.type) return false;
          current = updated;
          render();
          return true;
        },
        // The edit button handles its own clicks; ProseMirror would otherwise
        // turn the mousedown into a node selection or the start of a drag.
        stopEvent: (event) => event.target instanceof Node && edit.contains(event.target),
        // Everything inside is ours and not editable text.
        ignoreMutation: () => true,
        destroy() {
          thumbWatchers.delete(render);
        },
      };
    };
  },
});

/** Inserts a figure for `item` at the selection, asking for the caption first. */
export function insertFigure(editor: Editor, item: MediaItem): void {
  const caption = window.prompt('Caption for this picture (you can edit it later)', item.caption);
  const attrs: FigureAttrs = {
    mediaId: item.mediaId,
    alt: item.alt,
    // Cancelling the question keeps the picture's own caption rather than losing the picture.
    caption: caption === null ? item.caption : caption.trim(),
    creditCreator: item.creditCreator,
    creditSource: item.creditSource,
  };
  editor
    .chain()
    .focus()
    .insertContent({ type: 'figure', attrs: { ...attrs } })
    .command(({ tr }) => {
      // TipTap leaves the new figure selected, so the next key typed would
      // replace it. Put the cursor in the paragraph after it (adding one if needed).
      const { selection } = tr;
      if (!(selection instanceof NodeSelection) || selection.node.type.name !== 'figure') return true;
      const end = selection.to;
      const paragraph = tr.doc.type.schema.nodes.paragraph;
      if (!tr.doc.resolve(end).nodeAfter?.isTextblock) {
        if (!paragraph) return true;
        tr.insert(end, paragraph.create());
      }
      tr.setSelection(TextSelection.create(tr.doc, end + 1));
      return true;
    })
    .scrollIntoView()
    .run();
}

/** Fetches the latest pictures once so figures already in the document get their thumbnails. */
export function primeThumbnails(editor: Editor, mediaUrl: string): void {
  let missing = false;
  editor.state.doc.descendants((node) => {
    if (node.type.name === 'figure' && !thumbs.has(text(node.attrs.mediaId))) missing = true;
    return !missing;
  });
  // A failure only means the figures show their alt text; nothing to tell anyone.
  if (missing) fetchMedia(mediaUrl, '').catch(() => undefined);
}

// ---------------------------------------------------------------------------
// The picker: a modal <dialog> with a search box and one button per picture.
// Built once, on first use, and reused.

interface Picker {
  dialog: HTMLDialogElement;
  heading: HTMLHeadingElement;
  search: HTMLInputElement;
  status: HTMLParagraphElement;
  list: HTMLUListElement;
  mediaUrl: string;
  chosen: MediaItem | null;
  resolve: ((item: MediaItem | null) => void) | null;
  request: AbortController | null;
  searchTimer: number | undefined;
}

let picker: Picker | null = null;

function buildPicker(mediaUrl: string): Picker {
  const dialog = document.createElement('dialog');
  dialog.className = 'picker';
  const heading = document.createElement('h2');
  const label = document.createElement('label');
  label.textContent = 'Search pictures';
  const search = document.createElement('input');
  search.type = 'search';
  search.autocomplete = 'off';
  search.spellcheck = false;
  // The label wraps the box so no id is needed (and none can clash with the page's).
  label.append(' ', search);
  const status = document.createElement('p');
  status.setAttribute('role', 'status');
  const list = document.createElement('ul');
  const cancel = document.createElement('button');
  cancel.type = 'button';
  cancel.className = 'editor__button';
  cancel.textContent = 'Cancel';
  dialog.append(heading, label, status, list, cancel);
  // Outside the article form: the search box must not count as a change to the
  // article, nor be submitted with it.
  document.body.append(dialog);

  const p: Picker = { dialog, heading, search, status, list, mediaUrl, chosen: null, resolve: null, request: null, searchTimer: undefined };

  cancel.addEventListener('click', () => dialog.close());
  search.addEventListener('input', () => {
    window.clearTimeout(p.searchTimer);
    p.searchTimer = window.setTimeout(() => void load(p), 250);
  });
  search.addEventListener('keydown', (event) => {
    if (event.key !== 'Enter') return;
    event.preventDefault();
    window.clearTimeout(p.searchTimer);
    void load(p);
  });
  list.addEventListener('click', (event) => {
    const button = event.target instanceof Element ? event.target.closest<HTMLButtonElement>('button.picker__item') : null;
    const item = button ? shown.get(button) : undefined;
    if (!item) return;
    p.chosen = item;
    dialog.close();
  });
  dialog.addEventListener('close', () => {
    window.clearTimeout(p.searchTimer);
    p.request?.abort();
    const resolve = p.resolve;
    const chosen = p.chosen;
    p.resolve = null;
    p.chosen = null;
    resolve?.(chosen);
  });
  return p;
}

// Which picture each button stands for; a WeakMap so old buttons can go.
const shown = new WeakMap<HTMLButtonElement, MediaItem>();

async function load(p: Picker): Promise<void> {
  p.request?.abort();
  const request = new AbortController();
  p.request = request;
  const query = p.search.value.trim();
  p.dialog.setAttribute('aria-busy', 'true');
  try {
    const items = await fetchMedia(p.mediaUrl, query, request.signal);
    if (request.signal.aborted) return;
    p.list.replaceChildren(
      ...items.map((item) => {
        const li = document.createElement('li');
        const button = document.createElement('button');
        button.type = 'button';
        button.className = 'picker__item';
        if (item.thumb !== '') {
          const img = document.createElement('img');
          img.src = item.thumb;
          // The words next to it already name the picture; alt="" avoids reading them twice.
          img.alt = '';
          if (item.width > 0 && item.height > 0) {
            img.width = item.width;
            img.height = item.height;
          }
          button.append(img);
        }
        const name = document.createElement('span');
        name.textContent = item.alt || item.caption || 'Picture without a description';
        button.append(name);
        shown.set(button, item);
        li.append(button);
        return li;
      }),
    );
    p.status.textContent =
      items.length === 0
        ? query === ''
          ? 'There are no pictures yet: upload some in the media library.'
          : `No pictures match “${query}”.`
        : `${items.length} ${items.length === 1 ? 'picture' : 'pictures'}${query === '' ? '' : ` for “${query}”`}.`;
  } catch (error) {
    if (request.signal.aborted) return;
    p.list.replaceChildren();
    p.status.textContent = `The pictures could not be loaded: ${error instanceof Error ? error.message : String(error)}. Try searching again.`;
  } finally {
    if (p.request === request) {
      p.request = null;
      p.dialog.removeAttribute('aria-busy');
    }
  }
}

/**
 * Opens the picker and resolves with the chosen picture, or null when the person
 * cancels (Cancel button or Escape).
 */
export function pickPicture(mediaUrl: string, title: string): Promise<MediaItem | null> {
  picker ??= buildPicker(mediaUrl);
  const p = picker;
  if (p.dialog.open) return Promise.resolve(null);
  p.mediaUrl = mediaUrl;
  p.heading.textContent = title;
  p.dialog.setAttribute('aria-label', title);
  p.search.value = '';
  p.status.textContent = 'Loading pictures…';
  p.list.replaceChildren();
  return new Promise((resolve) => {
    p.resolve = resolve;
    p.dialog.showModal();
    p.search.focus();
    void load(p);
  });
}
