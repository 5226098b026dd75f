// Cached pages are shared by every visitor of a kind; the few parts that differ
// per request (a CSRF token, the state of a bookmark button, whether a signed-in
// reader already gets a newsletter) are left in them as slots, HTML comments
// that are filled in each time the page is sent.
import { escapeHtml } from '../lib/rich-text.js';

const SLOT_RE = /<!--slot:(csrf|bookmark:([0-9a-f-]{36}):([a-z0-9-]{1,100}))-->/g;

export const CSRF_SLOT = '<!--slot:csrf-->';

export function bookmarkSlot(articleId: string, slug: string): string {
  return `<!--slot:bookmark:${articleId}:${slug}-->`;
}

export function hasSlots(html: string): boolean {
  return html.includes('<!--slot:');
}

export function csrfInput(token: string): string {
  return `<input type="hidden" name="_csrf" value="${escapeHtml(token)}">`;
}

/** Article ids named by bookmark slots. */
export function slotArticleIds(html: string): string[] {
  return [...html.matchAll(SLOT_RE)].flatMap((m) => (m[2] ? [m[2]] : []));
}

// A newsletter slot wraps the sign-up form, with the note a subscriber sees
// instead carried in the opening comment (base64url, so it cannot end the
// comment). Left unfilled (a page sent without the page server), the sign-up
// form shows, as it did before.
const NEWSLETTER_SLOT_RE = /<!--slot:newsletter:([a-z0-9-]{1,80}):([A-Za-z0-9_-]*)-->([\s\S]*?)<!--slot:newsletter-end-->/g;

export function newsletterSlot(slug: string, signUp: string, subscribedNote: string): string {
  return `<!--slot:newsletter:${slug}:${Buffer.from(subscribedNote).toString('base64url')}-->${signUp}<!--slot:newsletter-end-->`;
}

export function hasNewsletterSlots(html: string): boolean {
  return html.includes('<!--slot:newsletter:');
}

/** Each newsletter slot becomes the subscriber's note for the newsletters in `subscribed`, the sign-up form otherwise. */
export function fillNewsletterSlots(html: string, subscribed: ReadonlySet<string>): string {
  return html.replace(NEWSLETTER_SLOT_RE, (_m, slug: string, note: string, signUp: string) =>
    subscribed.has(slug) ? Buffer.from(note, 'base64url').toString('utf8') : signUp,
  );
}

export function fillSlots(html: string, csrf: string, bookmark: (articleId: string, slug: string) => string): string {
  return html.replace(SLOT_RE, (_m, whole: string, articleId?: string, slug?: string) =>
    whole === 'csrf' ? csrfInput(csrf) : bookmark(articleId!, slug!),
  );
}

type SlotPart =
  | string
  | { kind: 'csrf' }
  | { kind: 'bookmark'; articleId: string; slug: string }
  | { kind: 'newsletter'; slug: string; note: SlotPart[]; signUp: SlotPart[] };

/**
 * A slotted page cut at its slots once, so that each request only joins the
 * pieces: no scan of the whole page per request. Fills exactly as
 * fillNewsletterSlots followed by fillSlots.
 */
export interface CompiledSlots {
  parts: SlotPart[];
  /** Article ids named by bookmark slots (those inside newsletter slots included), in order. */
  articleIds: string[];
  hasNewsletters: boolean;
}

function cutSlots(html: string): SlotPart[] {
  const parts: SlotPart[] = [];
  let at = 0;
  for (const m of html.matchAll(SLOT_RE)) {
    if (m.index > at) parts.push(html.slice(at, m.index));
    parts.push(m[1] === 'csrf' ? { kind: 'csrf' } : { kind: 'bookmark', articleId: m[2]!, slug: m[3]! });
    at = m.index + m[0].length;
  }
  if (at < html.length) parts.push(html.slice(at));
  return parts;
}

export function compileSlots(html: string): CompiledSlots {
  const parts: SlotPart[] = [];
  let at = 0;
  for (const m of html.matchAll(NEWSLETTER_SLOT_RE)) {
    parts.push(...cutSlots(html.slice(at, m.index)));
    const note = Buffer.from(m[2]!, 'base64url').toString('utf8');
    parts.push({ kind: 'newsletter', slug: m[1]!, note: cutSlots(note), signUp: cutSlots(m[3]!) });
    at = m.index + m[0].length;
  }
  parts.push(...cutSlots(html.slice(at)));
  const articleIds: string[] = [];
  const collect = (list: SlotPart[]) => {
    for (const p of list) {
      if (typeof p === 'string') continue;
      if (p.kind === 'bookmark') articleIds.push(p.articleId);
      else if (p.kind === 'newsletter') collect(p.signUp);
    }
  };
  collect(parts);
  return { parts, articleIds, hasNewsletters: parts.some((p) => typeof p !== 'string' && p.kind === 'newsletter') };
}

export function fillCompiledSlots(
  compiled: CompiledSlots,
  csrf: string,
  bookmark: (articleId: string, slug: string) => string,
  subscribed: ReadonlySet<string>,
): string {
  const input = csrfInput(csrf);
  const fill = (list: SlotPart[]): string => {
    let out = '';
    for (const p of list) {
      if (typeof p === 'string') out += p;
      else if (p.kind === 'csrf') out += input;
      else if (p.kind === 'bookmark') out += bookmark(p.articleId, p.slug);
      else out += fill(subscribed.has(p.slug) ? p.note : p.signUp);
    }
    return out;
  };
  return fill(compiled.parts);
}
