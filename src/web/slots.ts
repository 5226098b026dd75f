// Cached pages are shared by every visitor of a kind; the few parts that differ
// per request (a CSRF token, the state of a bookmark button) are left in them as
// slots, HTML comments that are filled in each time the page is sent.
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

export function fillSlots(html: string, csrf: string, bookmark: (articleId: string, slug: string) => string): string {
  return html.replace(SLOT_RE, (_m, whole: string, articleId?: string, slug?: string) => (whole === 'csrf' ? csrfInput(csrf) : bookmark(articleId!, slug!)));
}
