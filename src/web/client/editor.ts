// The newsroom's article editor, loaded on editor pages only. The page works
// without it: the body is a plain textarea the server converts. With it, the
// body becomes a TipTap editor whose JSON goes into the hidden bodyJson field,
// and the form gains a live word count, autosave and a warning before leaving
// with unsaved changes.
//
// Contract with the server-rendered page (see the editor page view):
// form[data-article-form] with data-autosave-url and data-media-url; inside it
// [data-editor] (whose data-initial-doc holds the stored document) holding
// [data-editor-toolbar], [data-editor-mount], textarea[data-editor-fallback],
// input[name=bodyJson] (rendered empty: only this script fills it, so the
// server takes the textarea whenever the script did not run) and
// [data-paste-status]; [data-word-count], [data-save-status]; the _csrf and
// version inputs; [data-people-picker] fieldsets; optionally a
// [data-pick-hero] button, img[data-hero-preview] and the hero* inputs.
import { Editor, Extension, type JSONContent } from '@tiptap/core';
import { Plugin } from '@tiptap/pm/state';
import StarterKit from '@tiptap/starter-kit';
import { RICH_MARK_TYPES, RICH_NODE_TYPES } from '../../lib/rich-types.js';
import { countWords } from '../../lib/words.js';
import { Figure, insertFigure, pickPicture, primeThumbnails, type MediaItem } from './editor-figure.js';

// ---------------------------------------------------------------------------
// Links. The server keeps only web, mail and same-site links (safeHref in
// src/lib/rich-text.ts); the editor refuses the rest up front so nobody is
// surprised by a link that silently disappears on publishing.

function allowedHref(value: string): string | null {
  const href = value.trim();
  if (href === '') return null;
  if ((href.startsWith('/') && !href.startsWith('//')) || href.startsWith('#')) return href;
  try {
    // URL parsing, not a prefix test: it sees through "java\tscript:" and friends.
    const url = new URL(href);
    return url.protocol === 'https:' || url.protocol === 'http:' || url.protocol === 'mailto:' ? url.href : null;
  } catch {
    return null;
  }
}

/** What people type into the link prompt: "example.com" and bare addresses are fine too. */
function hrefFromInput(value: string): string | null {
  const input = value.trim();
  if (/^[a-z][a-z0-9+.-]*:/i.test(input) || input.startsWith('/') || input.startsWith('#')) return allowedHref(input);
  if (/^[^\s@/]+@[^\s@/]+\.[^\s@/]+$/.test(input)) return allowedHref(`mailto:${input}`);
  if (/^[^\s/]+\.[^\s/]+/.test(input)) return allowedHref(`https://${input}`);
  return null;
}

/**
 * With autolink on, TipTap makes links "inclusive": whatever is typed at a
 * link's end joins the link, so "see [here]" followed by ". Then…" links the
 * full stop and the rest of the sentence. Spaces and punctuation typed at the
 * end of a link stay outside it; letters still extend it (fixing a typo in the
 * last word of a link keeps working).
 */
const LinkEdges = Extension.create({
  name: 'linkEdges',
  addProseMirrorPlugins() {
    return [
      new Plugin({
        props: {
          handleTextInput(view, from, to, text) {
            const linkType = view.state.schema.marks.link;
            if (!linkType || !/^[\s\p{P}]+$/u.test(text)) return false;
            const { state } = view;
            const link = linkType.isInSet(state.storedMarks ?? state.doc.resolve(from).marks());
            if (!link) return false;
            // Inside a link (linked text follows), typing stays part of it.
            if (link.isInSet(state.doc.resolve(to).nodeAfter?.marks ?? [])) return false;
            view.dispatch(state.tr.insertText(text, from, to).removeMark(from, from + text.length, linkType));
            return true;
          },
        },
      }),
    ];
  },
});

// ---------------------------------------------------------------------------
// The stored document. Anything the server would not render is dropped before
// it reaches the editor: TipTap replaces a document it cannot read with an
// empty one, and the next autosave would then wipe the article.

const NODE_TYPES = new Set<string>(RICH_NODE_TYPES);
const MARK_TYPES = new Set<string>(RICH_MARK_TYPES);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function cleanMarks(marks: unknown): JSONContent['marks'] {
  if (!Array.isArray(marks)) return undefined;
  const kept: NonNullable<JSONContent['marks']> = [];
  for (const mark of marks) {
    if (!isRecord(mark) || typeof mark.type !== 'string' || !MARK_TYPES.has(mark.type)) continue;
    if (mark.type === 'link') {
      const href = allowedHref(str(isRecord(mark.attrs) ? mark.attrs.href : ''));
      if (href !== null) kept.push({ type: 'link', attrs: { href } });
    } else {
      kept.push({ type: mark.type });
    }
  }
  return kept.length > 0 ? kept : undefined;
}

function cleanNode(node: unknown): JSONContent | null {
  if (!isRecord(node) || typeof node.type !== 'string' || !NODE_TYPES.has(node.type)) return null;
  const attrs = isRecord(node.attrs) ? node.attrs : {};
  if (node.type === 'text') {
    const text = str(node.text);
    if (text === '') return null; // ProseMirror refuses empty text nodes.
    const marks = cleanMarks(node.marks);
    return marks ? { type: 'text', text, marks } : { type: 'text', text };
  }
  const out: JSONContent = { type: node.type };
  if (node.type === 'heading') out.attrs = { level: attrs.level === 3 ? 3 : 2 };
  if (node.type === 'orderedList')
    out.attrs = { start: Number.isInteger(attrs.start) && Number(attrs.start) > 0 ? Number(attrs.start) : 1 };
  if (node.type === 'figure') {
    out.attrs = {
      mediaId: str(attrs.mediaId),
      alt: str(attrs.alt),
      caption: str(attrs.caption),
      creditCreator: str(attrs.creditCreator),
      creditSource: str(attrs.creditSource),
    };
  }
  if (node.type === 'codeBlock') {
    // Only unmarked text: the code block allows no marks and no other nodes.
    const text = (Array.isArray(node.content) ? node.content : [])
      .map((child) => (isRecord(child) && child.type === 'text' ? str(child.text) : ''))
      .join('');
    return text === '' ? out : { ...out, content: [{ type: 'text', text }] };
  }
  if (Array.isArray(node.content)) {
    const content = node.content.map(cleanNode).filter((child): child is JSONContent => child !== null);
    if (content.length > 0) out.content = content;
  }
  return out;
}

function initialDoc(json: string): JSONContent {
  let parsed: unknown = null;
  try {
    parsed = JSON.parse(json);
  } catch {
    // An empty or broken field starts an empty document, as the server would render it.
  }
  const doc = isRecord(parsed) && parsed.type === 'doc' ? cleanNode(parsed) : null;
  // A document needs at least one block.
  return doc?.content ? doc : { type: 'doc', content: [{ type: 'paragraph' }] };
}

// ---------------------------------------------------------------------------
// Small helpers.

function announce(region: Element | null, message: string): void {
  // Rewriting the same words would make some screen readers read them again.
  if (region && region.textContent !== message) region.textContent = message;
}

function formatCount(words: number): string {
  const minutes = Math.ceil(words / 230);
  return `${words.toLocaleString('en-GB')} ${words === 1 ? 'word' : 'words'} · ${minutes.toLocaleString('en-GB')} min read`;
}

type Field = HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement;

function field(form: HTMLFormElement, name: string): Field | null {
  const el = form.elements.namedItem(name);
  return el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement || el instanceof HTMLSelectElement ? el : null;
}

/** Names the server handles itself, or that the autosave body carries elsewhere. */
const NOT_FIELDS = new Set(['_csrf', 'version', 'intent', 'bodyText', 'submitNote']);

/** Every named field of the form, as the autosave endpoint expects them. */
function formFields(form: HTMLFormElement): Record<string, string | string[]> {
  const fields: Record<string, string | string[]> = {};
  for (const el of Array.from(form.elements)) {
    if (!(el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement || el instanceof HTMLSelectElement)) continue;
    const name = el.name;
    if (name === '' || NOT_FIELDS.has(name) || el.disabled) continue;
    if (el instanceof HTMLSelectElement && el.multiple) {
      // Always an array, even with one or no choice, so the server need not guess.
      fields[name] = Array.from(el.selectedOptions, (o) => o.value);
      continue;
    }
    if (el instanceof HTMLInputElement) {
      if (['submit', 'button', 'reset', 'image', 'file'].includes(el.type)) continue;
      if ((el.type === 'checkbox' || el.type === 'radio') && !el.checked) continue;
    }
    const previous = fields[name];
    // Repeated names (a group of checkboxes) become arrays, as in a form post.
    if (previous === undefined) fields[name] = el.value;
    else fields[name] = Array.isArray(previous) ? [...previous, el.value] : [previous, el.value];
  }
  return fields;
}

function timeOf(savedAt: string): string {
  const date = new Date(savedAt);
  return (Number.isNaN(date.getTime()) ? new Date() : date).toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' });
}

/** The person named in a 409 answer, whichever shape the server chose. */
function nameOf(updatedBy: unknown): string {
  if (typeof updatedBy === 'string') return updatedBy.trim();
  if (isRecord(updatedBy)) return str(updatedBy.displayName || updatedBy.name).trim();
  return '';
}

function withoutFinalStop(text: string): string {
  return text.trim().replace(/[.\s]+$/, '');
}

// ---------------------------------------------------------------------------
// Toolbar.

interface ToolbarButton {
  label: string;
  /** For aria-keyshortcuts; the shortcuts themselves come from StarterKit. */
  keys?: string;
  run: (editor: Editor) => void;
  /** Present on toggles: whether the button shows as pressed. */
  active?: (editor: Editor) => boolean;
  /** Whether the button can be used right now. */
  enabled?: (editor: Editor) => boolean;
  popup?: boolean;
}

function editLink(editor: Editor): void {
  const current = str(editor.getAttributes('link').href);
  const answer = window.prompt(
    'Link address (https://…, mailto:… or /a/page on this site). Leave it empty to remove the link.',
    current || 'https://',
  );
  if (answer === null) {
    editor.commands.focus();
    return;
  }
  if (answer.trim() === '' || answer.trim() === 'https://') {
    editor.chain().focus().extendMarkRange('link').unsetLink().run();
    return;
  }
  const href = hrefFromInput(answer);
  if (href === null) {
    window.alert(
      'That link was not added: only web addresses (https://…), email addresses (mailto:…) and pages on this site can be linked.',
    );
    editor.commands.focus();
    return;
  }
  if (editor.state.selection.empty && !editor.isActive('link')) {
    // Nothing selected: insert the address itself as the link's text.
    editor
      .chain()
      .focus()
      .insertContent({ type: 'text', text: answer.trim(), marks: [{ type: 'link', attrs: { href } }] })
      .run();
    return;
  }
  editor.chain().focus().extendMarkRange('link').setLink({ href }).run();
}

function buildToolbar(toolbar: HTMLElement, editor: Editor, insertPicture: () => void): () => void {
  const buttons: ToolbarButton[] = [
    {
      label: 'Paragraph',
      keys: 'Control+Alt+0',
      run: (e) => e.chain().focus().setParagraph().run(),
      active: (e) => e.isActive('paragraph'),
    },
    {
      label: 'Heading 2',
      keys: 'Control+Alt+2',
      run: (e) => e.chain().focus().toggleHeading({ level: 2 }).run(),
      active: (e) => e.isActive('heading', { level: 2 }),
    },
    {
      label: 'Heading 3',
      keys: 'Control+Alt+3',
      run: (e) => e.chain().focus().toggleHeading({ level: 3 }).run(),
      active: (e) => e.isActive('heading', { level: 3 }),
    },
    { label: 'Bold', keys: 'Control+B', run: (e) => e.chain().focus().toggleBold().run(), active: (e) => e.isActive('bold') },
    { label: 'Italic', keys: 'Control+I', run: (e) => e.chain().focus().toggleItalic().run(), active: (e) => e.isActive('italic') },
    { label: 'Link', run: editLink, active: (e) => e.isActive('link') },
    {
      label: 'Quote',
      keys: 'Control+Shift+B',
      run: (e) => e.chain().focus().toggleBlockquote().run(),
      active: (e) => e.isActive('blockquote'),
    },
    {
      label: 'Bulleted list',
      keys: 'Control+Shift+8',
      run: (e) => e.chain().focus().toggleBulletList().run(),
      active: (e) => e.isActive('bulletList'),
    },
    {
      label: 'Numbered list',
      keys: 'Control+Shift+7',
      run: (e) => e.chain().focus().toggleOrderedList().run(),
      active: (e) => e.isActive('orderedList'),
    },
    { label: 'Insert picture', run: insertPicture, popup: true },
    { label: 'Undo', keys: 'Control+Z', run: (e) => e.chain().focus().undo().run(), enabled: (e) => e.can().undo() },
    { label: 'Redo', keys: 'Control+Shift+Z', run: (e) => e.chain().focus().redo().run(), enabled: (e) => e.can().redo() },
  ];

  const elements = buttons.map((spec, index) => {
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'editor__button';
    // The visible words are the accessible name, so voice control users can say them.
    button.textContent = spec.label;
    if (spec.keys) button.setAttribute('aria-keyshortcuts', spec.keys);
    if (spec.active) button.setAttribute('aria-pressed', 'false');
    if (spec.popup) button.setAttribute('aria-haspopup', 'dialog');
    // One stop in the tab order; the arrow keys move within (the ARIA toolbar pattern).
    button.tabIndex = index === 0 ? 0 : -1;
    // Keep the text selection (and the editor's focus) when a button is clicked with the mouse.
    button.addEventListener('mousedown', (event) => event.preventDefault());
    button.addEventListener('click', () => {
      if (button.getAttribute('aria-disabled') === 'true') return;
      spec.run(editor);
    });
    return button;
  });
  toolbar.replaceChildren(...elements);

  toolbar.addEventListener('keydown', (event) => {
    const from = elements.findIndex((b) => b === document.activeElement);
    if (from === -1) return;
    let to: number;
    if (event.key === 'ArrowRight') to = (from + 1) % elements.length;
    else if (event.key === 'ArrowLeft') to = (from - 1 + elements.length) % elements.length;
    else if (event.key === 'Home') to = 0;
    else if (event.key === 'End') to = elements.length - 1;
    else return;
    event.preventDefault();
    elements[from]!.tabIndex = -1;
    elements[to]!.tabIndex = 0;
    elements[to]!.focus();
  });

  let frame = 0;
  const refresh = () => {
    frame = 0;
    buttons.forEach((spec, index) => {
      const button = elements[index]!;
      if (spec.active) {
        const on = spec.active(editor);
        button.classList.toggle('is-active', on);
        button.setAttribute('aria-pressed', String(on));
      }
      if (spec.enabled) {
        // aria-disabled rather than disabled: a disabled button would drop out of
        // the arrow-key order and lose focus just after being used.
        button.setAttribute('aria-disabled', String(!spec.enabled(editor)));
      }
    });
  };
  refresh();
  // Once per frame at most: transactions come in bursts while typing.
  return () => {
    if (frame === 0) frame = window.requestAnimationFrame(refresh);
  };
}

// ---------------------------------------------------------------------------
// Autosave. One request at a time; changes wait 3 s of quiet, or 15 s at most
// while someone keeps typing. `revision` counts changes so a save only clears
// the changes it actually carried.

interface SaveOk {
  version: number;
  savedAt: string;
}

class Autosave {
  private revision = 0;
  private savedRevision = 0;
  private timer: number | undefined;
  private pendingSince: number | null = null;
  private inFlight: Promise<void> | null = null;
  /** After a conflict: saving again would overwrite someone else's work. */
  private stopped = false;
  /** A form submit is under way; the page is about to go. */
  private paused = false;

  constructor(
    private readonly form: HTMLFormElement,
    private readonly url: string,
    private readonly status: Element | null,
    private readonly beforeSend: () => void,
  ) {}

  get dirty(): boolean {
    return this.revision !== this.savedRevision;
  }

  get saving(): Promise<void> | null {
    return this.inFlight;
  }

  changed(): void {
    this.revision += 1;
    this.schedule();
  }

  /** Stops timers while a submit goes out, so no autosave races it. */
  pause(): void {
    this.paused = true;
    window.clearTimeout(this.timer);
    this.timer = undefined;
  }

  resume(): void {
    this.paused = false;
    this.retry();
  }

  /** Saves the pending changes now (after any save in flight); true when nothing is left unsaved. */
  async saveNow(): Promise<boolean> {
    window.clearTimeout(this.timer);
    this.timer = undefined;
    if (this.inFlight) await this.inFlight;
    if (!this.dirty) return true;
    if (this.stopped) return false;
    this.pendingSince = null;
    const sent = this.revision;
    const request = this.send(sent).finally(() => {
      this.inFlight = null;
    });
    this.inFlight = request;
    await request;
    return !this.dirty;
  }

  /** Tries again without waiting for another change (e.g. back online). */
  retry(): void {
    if (this.dirty) this.schedule();
  }

  schedule(): void {
    if (this.stopped || this.paused) return;
    const now = Date.now();
    this.pendingSince ??= now;
    window.clearTimeout(this.timer);
    const wait = Math.max(0, Math.min(3000, this.pendingSince + 15000 - now));
    this.timer = window.setTimeout(() => this.flush(), wait);
  }

  private flush(): void {
    this.timer = undefined;
    if (this.stopped || this.paused || !this.dirty) {
      this.pendingSince = null;
      return;
    }
    // Never two at once: the one in flight reschedules when it is done.
    if (this.inFlight) return;
    this.pendingSince = null;
    const sent = this.revision;
    this.inFlight = this.send(sent).finally(() => {
      this.inFlight = null;
      // Changes made while this request was out go in the next one.
      if (this.revision !== sent) this.schedule();
    });
  }

  private async send(sent: number): Promise<void> {
    this.beforeSend();
    const csrf = field(this.form, '_csrf')?.value ?? '';
    const versionField = field(this.form, 'version');
    const version = Number(versionField?.value ?? this.form.dataset.version);
    let res: Response;
    try {
      res = await fetch(this.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json', 'x-csrf-token': csrf },
        credentials: 'same-origin',
        body: JSON.stringify({ version, fields: formFields(this.form) }),
      });
    } catch {
      this.failed(navigator.onLine ? 'the connection to the server failed' : 'you seem to be offline');
      return;
    }
    const body: unknown = await res.json().catch(() => null);
    const problem = isRecord(body) ? body : {};

    if (res.status === 409) {
      this.stopped = true;
      window.clearTimeout(this.timer);
      this.form.classList.add('is-conflict');
      const by = nameOf(problem.updatedBy);
      announce(
        this.status,
        `Someone else saved a newer version${by ? ` (by ${by})` : ''}. Your text is still here: copy it, then reload to see theirs.`,
      );
      return;
    }
    if (!res.ok) {
      this.failed(withoutFinalStop(str(problem.detail) || str(problem.title)) || `the server answered ${res.status}`);
      return;
    }
    // A 200 that is not our JSON is most likely a sign-in page after a redirect.
    if (!isRecord(body) || typeof body.version !== 'number') {
      this.failed('the server sent an unexpected answer (are you still signed in?)');
      return;
    }
    const ok: SaveOk = { version: body.version, savedAt: str(body.savedAt) };
    if (versionField) versionField.value = String(ok.version);
    this.form.dataset.version = String(ok.version);
    this.savedRevision = sent;
    announce(this.status, `Saved at ${timeOf(ok.savedAt)}`);
  }

  /** Keeps the changes dirty; the next change (or coming back online) tries again. */
  private failed(detail: string): void {
    announce(this.status, `Not saved: ${detail}. Your text is still here; we will try again.`);
  }
}

// ---------------------------------------------------------------------------
// Pasting from word processors. Tables become one paragraph per row (cells
// separated by " | "), since articles have no tables; pictures cannot come in
// by pasting (they need the media library and alt text), and the writer is
// told which ones were left out instead of them vanishing silently.

function pictureName(img: HTMLImageElement): string {
  const alt = img.getAttribute('alt')?.trim();
  if (alt) return `“${alt}”`;
  const src = img.getAttribute('src') ?? '';
  const file = /^https?:|^file:/i.test(src) ? decodeURIComponent(src.split(/[?#]/)[0]!.split('/').pop() ?? '') : '';
  return file ? `“${file}”` : 'a picture without a name';
}

function picturesMessage(names: string[]): string {
  const count = names.length;
  const list = names.length > 1 ? `${names.slice(0, -1).join(', ')} and ${names.at(-1)!}` : names[0]!;
  return `${count === 1 ? 'One picture was' : `${count} pictures were`} not pasted (${list}): pictures come in through the media library, with alt text for readers who cannot see them. Upload ${count === 1 ? 'it' : 'them'} there, then use “Insert picture”.`;
}

function cleanPastedHtml(html: string, report: (message: string) => void): string {
  const doc = new DOMParser().parseFromString(html, 'text/html');
  const names = Array.from(doc.querySelectorAll('img'), (img) => {
    const name = pictureName(img);
    img.remove();
    return name;
  });
  // Word's own drawing markup carries pictures too.
  for (const shape of Array.from(doc.querySelectorAll('v\\:imagedata, imagedata'))) {
    names.push(shape.getAttribute('o:title') ? `“${shape.getAttribute('o:title')}”` : 'a picture without a name');
    shape.remove();
  }
  // Innermost tables first, so a table inside a cell becomes text of its row.
  for (const table of Array.from(doc.querySelectorAll('table')).reverse()) {
    const paragraphs = Array.from(
      table.querySelectorAll(':scope > tr, :scope > thead > tr, :scope > tbody > tr, :scope > tfoot > tr'),
      (row) => Array.from(row.children, (cell) => (cell.textContent ?? '').replace(/\s+/g, ' ').trim()).filter(Boolean),
    )
      .filter((cells) => cells.length > 0)
      .map((cells) => {
        const p = doc.createElement('p');
        p.textContent = cells.join(' | ');
        return p;
      });
    table.replaceWith(...paragraphs);
  }
  report(names.length > 0 ? picturesMessage(names) : '');
  return doc.body.innerHTML;
}

// ---------------------------------------------------------------------------
// People pickers (authors, "Edited by"). The page posts a checkbox per chosen
// person and a list to add one; here they become chips with a remove button
// and an "Add" button, every change announced in the picker's live region.

function setUpPeoplePicker(picker: HTMLElement, changed: () => void): void {
  const name = picker.dataset.peoplePicker ?? '';
  const chosen = picker.querySelector<HTMLElement>('[data-people-chosen]');
  const add = picker.querySelector<HTMLSelectElement>('select[data-people-add]');
  const status = picker.querySelector('[data-people-status]');
  const confirm = picker.querySelector<HTMLElement>('[data-self-confirm]');
  const confirmBox = confirm?.querySelector<HTMLInputElement>('input[type=checkbox]') ?? null;
  if (!name || !chosen || !add) return;
  const selfId = picker.dataset.selfId ?? '';
  const group = picker.querySelector('legend')?.textContent?.trim().toLowerCase() ?? 'the list';
  const nameOf = (id: string) =>
    Array.from(add.options)
      .find((o) => o.value === id)
      ?.textContent?.trim() ?? 'Someone';
  // The list to add from is not posted with JavaScript: "Add" moves the person into the chips at once.
  add.removeAttribute('name');
  let empty = picker.querySelector<HTMLElement>('[data-people-empty]');
  if (!empty) {
    empty = document.createElement('p');
    empty.className = 'empty';
    empty.textContent = 'Nobody yet.';
    chosen.after(empty);
  }
  const emptyNote = empty;

  const ids = () => Array.from(chosen.querySelectorAll<HTMLElement>('[data-person-id]'), (li) => li.dataset.personId ?? '');
  // Taking herself off waits for the confirmation box, so no save ever locks the writer out unasked.
  let confirming = false;
  const refresh = () => {
    const list = ids();
    emptyNote.hidden = list.length > 0;
    if (confirm && confirmBox) {
      const show = confirming || (selfId !== '' && !list.includes(selfId));
      confirm.hidden = !show;
      confirmBox.disabled = !show;
      if (!show) confirmBox.checked = false;
    }
  };

  const chip = (id: string): HTMLLIElement => {
    const li = document.createElement('li');
    li.className = 'people-picker__person people-picker__chip';
    li.dataset.personId = id;
    const input = document.createElement('input');
    input.type = 'hidden';
    input.name = name;
    input.value = id;
    const label = document.createElement('span');
    label.textContent = nameOf(id);
    const remove = document.createElement('button');
    remove.type = 'button';
    remove.className = 'people-picker__remove';
    remove.textContent = 'Remove';
    remove.setAttribute('aria-label', `Remove ${nameOf(id)} from ${group}`);
    remove.addEventListener('click', () => {
      if (id === selfId && confirm && confirmBox && !confirmBox.checked) {
        confirming = true;
        refresh();
        confirmBox.focus();
        announce(
          status,
          `To take yourself off ${group}, tick “Yes, take me off this article”. You would no longer be able to open or edit this draft.`,
        );
        return;
      }
      const items = Array.from(chosen.querySelectorAll<HTMLElement>('[data-person-id]'));
      const at = items.indexOf(li);
      li.remove();
      refresh();
      const next = items[at + 1] ?? items[at - 1];
      (next?.querySelector<HTMLButtonElement>('button') ?? add).focus();
      announce(status, id === selfId ? `Removed you (${nameOf(id)}) from ${group}.` : `Removed ${nameOf(id)} from ${group}.`);
      changed();
    });
    li.append(input, label, ' ', remove);
    return li;
  };

  // Turn the server's checkboxes into chips (an unticked one is left out, as it would be on saving).
  for (const li of Array.from(chosen.querySelectorAll<HTMLElement>('[data-person-id]'))) {
    const box = li.querySelector<HTMLInputElement>('input[type=checkbox]');
    const id = li.dataset.personId ?? '';
    if (box && !box.checked) li.remove();
    else li.replaceWith(chip(id));
  }

  confirmBox?.addEventListener('change', () => {
    const selfChip = chosen.querySelector<HTMLElement>(`[data-person-id="${CSS.escape(selfId)}"]`);
    if (confirmBox.checked && selfChip) {
      confirming = false;
      selfChip.remove();
      refresh();
      announce(status, `Removed you (${nameOf(selfId)}) from ${group}.`);
      changed();
    } else if (!confirmBox.checked && !selfChip) {
      // Unticking undoes it: the writer is back at the head of the list.
      confirming = false;
      const back = chip(selfId);
      chosen.prepend(back);
      refresh();
      back.querySelector('button')?.focus();
      announce(status, `Added you (${nameOf(selfId)}) back to ${group}.`);
      changed();
    }
  });

  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'button button--secondary people-picker__add-button';
  button.textContent = 'Add';
  button.setAttribute('aria-label', `Add the chosen person to ${group}`);
  add.after(' ', button);
  button.addEventListener('click', () => {
    const id = add.value;
    if (id === '') {
      announce(status, 'Choose a person in the list first.');
      add.focus();
      return;
    }
    if (ids().includes(id)) {
      announce(status, `${nameOf(id)} is already in ${group}.`);
      return;
    }
    chosen.append(chip(id));
    add.value = '';
    refresh();
    announce(status, `Added ${nameOf(id)} to ${group}.`);
    changed();
  });
  refresh();
}

// ---------------------------------------------------------------------------
// Start-up.

function start(): void {
  const form = document.querySelector<HTMLFormElement>('form[data-article-form]');
  // The pickers work even if the rich editor cannot start; autosave hears of changes once it runs.
  let peopleChanged = () => {};
  for (const picker of Array.from(form?.querySelectorAll<HTMLElement>('[data-people-picker]') ?? []))
    setUpPeoplePicker(picker, () => peopleChanged());
  const box = form?.querySelector<HTMLElement>('[data-editor]');
  const toolbar = box?.querySelector<HTMLElement>('[data-editor-toolbar]');
  const mount = box?.querySelector<HTMLElement>('[data-editor-mount]');
  const fallback = box?.querySelector<HTMLTextAreaElement>('textarea[data-editor-fallback]');
  const bodyJson = box?.querySelector<HTMLInputElement>('input[name="bodyJson"]');
  if (!form || !box || !toolbar || !mount || !fallback || !bodyJson) return;

  const mediaUrl = form.dataset.mediaUrl ?? '';
  const autosaveUrl = form.dataset.autosaveUrl ?? '';
  const label = fallback.labels?.[0]?.textContent?.trim() || 'Body';

  let pasteStatus = box.querySelector('[data-paste-status]');
  if (!pasteStatus) {
    pasteStatus = document.createElement('p');
    pasteStatus.className = 'field__hint';
    pasteStatus.setAttribute('role', 'status');
    pasteStatus.setAttribute('data-paste-status', '');
    mount.after(pasteStatus);
  }

  // Read the stored document before anything changes on the page: if it cannot
  // be loaded, the page stays as it is without JavaScript.
  let unreadable = false;
  let editor: Editor;
  try {
    editor = new Editor({
      element: null,
      injectCSS: false, // The Content-Security-Policy forbids inline styles; site.css styles the editor.
      content: initialDoc(box.dataset.initialDoc ?? ''),
      enableContentCheck: true,
      onContentError: () => {
        unreadable = true;
      },
      extensions: [
        StarterKit.configure({
          heading: { levels: [2, 3] },
          // Not part of the stored format: the server would drop underlines, so
          // the editor does not offer them. Code blocks (preformatted text, as
          // imported articles have) are kept.
          underline: false,
          link: {
            openOnClick: false,
            autolink: true,
            linkOnPaste: true,
            defaultProtocol: 'https',
            // http, https and mailto are linkify's own; no other schemes are registered.
            protocols: [],
            // Also sees the bare "www.example.org" autolinking finds (it adds the
            // protocol afterwards), hence the lenient second test.
            isAllowedUri: (url) => allowedHref(url) !== null || hrefFromInput(url) !== null,
            // Autolinking checks this, not isAllowedUri: only web and mail addresses.
            shouldAutoLink: (url) => {
              if (/^[a-z][a-z0-9+.-]*:/i.test(url)) return allowedHref(url) !== null;
              const host = (url.includes('@') ? (url.split('@').pop() ?? '') : url).split(/[/?#:]/)[0] ?? '';
              return host.includes('.') && !/^\d{1,3}(\.\d{1,3}){3}$/.test(host);
            },
            // Nothing beyond href is stored or rendered; target="_blank" would only get in the way.
            HTMLAttributes: { target: null, rel: 'noopener noreferrer nofollow', class: null },
          },
        }),
        Figure,
        LinkEdges,
      ],
      editorProps: {
        attributes: { 'aria-label': label, 'aria-multiline': 'true', spellcheck: 'true' },
        transformPastedHTML: (html) => cleanPastedHtml(html, (message) => announce(pasteStatus, message)),
        handlePaste: (_view, event) => {
          // A picture pasted as a file (a screenshot, say) has no HTML to clean.
          const files = Array.from(event.clipboardData?.files ?? []).filter((f) => f.type.startsWith('image/'));
          if (files.length === 0 || event.clipboardData?.getData('text/html')) return false;
          announce(pasteStatus, picturesMessage(files.map((f) => (f.name ? `“${f.name}”` : 'a picture without a name'))));
          return true;
        },
      },
    });
  } catch (error) {
    console.error('The article editor could not start; the plain text box stays.', error);
    return;
  }
  if (unreadable) {
    console.warn('The stored article body could not be loaded into the editor; the plain text box stays.');
    editor.destroy();
    return;
  }

  editor.mount(mount);
  mount.hidden = false;
  toolbar.hidden = false;
  fallback.hidden = true;
  for (const l of Array.from(fallback.labels ?? [])) l.hidden = true;
  // Anything else marked as part of the plain-text fallback (a hint about its syntax, say) goes too.
  for (const el of Array.from(box.querySelectorAll<HTMLElement>('[data-editor-fallback]'))) el.hidden = true;
  // Without a name the textarea is not posted, and the server takes bodyJson.
  fallback.removeAttribute('name');

  const syncBody = () => {
    bodyJson.value = JSON.stringify(editor.getJSON());
  };
  syncBody();

  const status = form.querySelector('[data-save-status]');
  const counter = form.querySelector('[data-word-count]');
  const updateCount = () => {
    if (counter) announce(counter, formatCount(countWords(editor.getText())));
  };
  updateCount();
  // The count is a polite live region; announcing it after every word would
  // talk over the writer. It stays quiet while the editor has focus.
  if (counter) {
    editor.on('focus', () => counter.setAttribute('aria-live', 'off'));
    editor.on('blur', () => counter.setAttribute('aria-live', 'polite'));
  }

  const autosave = autosaveUrl ? new Autosave(form, autosaveUrl, status, syncBody) : null;

  const insertPicture = () => {
    if (!mediaUrl) return;
    void pickPicture(mediaUrl, 'Insert a picture').then((item) => {
      if (item) insertFigure(editor, item);
      else editor.commands.focus();
    });
  };
  const refreshToolbar = buildToolbar(toolbar, editor, insertPicture);
  editor.on('transaction', refreshToolbar);
  editor.on('update', () => {
    syncBody();
    updateCount();
    autosave?.changed();
  });
  if (mediaUrl) primeThumbnails(editor, mediaUrl);

  // Ordinary fields. The editor's own typing is counted by its update event.
  const onFieldChange = (event: Event) => {
    const target = event.target;
    if (!(target instanceof Element) || mount.contains(target)) return;
    if (
      !(target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) ||
      target.name === ''
    )
      return;
    autosave?.changed();
  };
  form.addEventListener('input', onFieldChange);
  form.addEventListener('change', onFieldChange);

  setUpHeroPicker(form, mediaUrl, () => autosave?.changed());
  peopleChanged = () => autosave?.changed();

  // Submitting: the latest JSON goes with the form, and the leave warning steps aside.
  let submitting = false;
  form.addEventListener('submit', (event) => {
    syncBody();
    const saving = autosave?.saving;
    if (saving) {
      // An autosave in flight will bump the version; post with the new one, or
      // the server would take this save for a conflicting edit.
      event.preventDefault();
      const submitter = event.submitter;
      autosave.pause();
      const resubmit = () => form.requestSubmit(submitter && form.contains(submitter) ? submitter : null);
      void saving.then(resubmit, resubmit);
      return;
    }
    submitting = true;
    autosave?.pause();
    // Another handler may cancel the submit; then the page stays and so do the safeguards.
    window.setTimeout(() => {
      if (event.defaultPrevented) {
        submitting = false;
        autosave?.resume();
      }
    }, 0);
  });
  // The workflow buttons beside the form move the article as saved: save what
  // was typed first, so nothing is lost and no "Leave site?" question comes up.
  const moveHint = document.querySelector('[data-move-hint]');
  if (moveHint && autosave) moveHint.textContent = 'These buttons save your latest changes first.';
  for (const moveForm of Array.from(document.querySelectorAll<HTMLFormElement>('form.move-form'))) {
    moveForm.addEventListener('submit', (event) => {
      if (!autosave || (!autosave.dirty && !autosave.saving)) {
        submitting = true;
        return;
      }
      event.preventDefault();
      const submitter = event.submitter;
      announce(status, 'Saving your changes first…');
      void autosave.saveNow().then((saved) => {
        if (!saved) {
          announce(status, 'Not moved: your latest changes could not be saved first. Your text is still here.');
          return;
        }
        submitting = true;
        moveForm.requestSubmit(submitter && moveForm.contains(submitter) ? submitter : null);
      });
    });
  }

  // Back/forward cache: the page can come back after a submit.
  window.addEventListener('pageshow', (event) => {
    if (!event.persisted) return;
    submitting = false;
    autosave?.resume();
  });
  window.addEventListener('online', () => autosave?.retry());

  window.addEventListener('beforeunload', (event) => {
    if (submitting || !autosave?.dirty) return;
    event.preventDefault();
    // Older browsers look at returnValue instead.
    event.returnValue = true;
  });
}

function setUpHeroPicker(form: HTMLFormElement, mediaUrl: string, changed: () => void): void {
  const button = form.querySelector<HTMLButtonElement>('[data-pick-hero]');
  const heroId = field(form, 'heroMediaId');
  if (!button || !heroId || !mediaUrl) return;
  const preview = form.querySelector<HTMLImageElement>('img[data-hero-preview]');
  button.hidden = false;
  button.setAttribute('aria-haspopup', 'dialog');
  button.addEventListener('click', (event) => {
    // Without JavaScript this button may post the form to a picker page.
    event.preventDefault();
    void pickPicture(mediaUrl, 'Choose the lead picture').then((item: MediaItem | null) => {
      button.focus();
      if (!item) return;
      heroId.value = item.mediaId;
      const fill = (name: string, value: string) => {
        const input = field(form, name);
        // Words someone already wrote for this article win over the library's.
        if (input && input.value.trim() === '') input.value = value;
      };
      fill('heroAlt', item.alt);
      fill('heroCaption', item.caption);
      fill('heroCreditCreator', item.creditCreator);
      fill('heroCreditSource', item.creditSource);
      if (preview) {
        if (item.thumb !== '') preview.src = item.thumb;
        preview.alt = item.alt;
        preview.hidden = false;
      }
      // Set from code, so no input event fired.
      changed();
    });
  });
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
else start();
