// Static pages: creating, saving, the workflow (draft → submitted → published,
// unpublished), the footer menu's order and what readers see. Every write runs
// in the caller's transaction or one of its own.
import type { Kysely, Transaction } from 'kysely';
import { nowIso } from '../../db/database.js';
import type { Database } from '../../db/schema.js';
import { newId } from '../../lib/ids.js';
import type { RichNode } from '../../lib/rich-text.js';
import { slugify } from '../../lib/slug.js';
import { BodyFigure, renderBody } from '../articles/index.js';
import * as repo from './pages.repository.js';
import { isReservedSlug, MAX_PAGE_SLUG_LENGTH, PAGE_SLUG_RE } from './slugs.js';

export type { PageRecord } from './pages.repository.js';

type Trx = Kysely<Database> | Transaction<Database>;

/** A page body as HTML, its figures drawn from the media library (as an article's are). */
export function renderPageBody(trx: Trx, doc: RichNode): Promise<string> {
  return renderBody(trx, doc, (picture, attrs) => BodyFigure({ picture, ...attrs }));
}

/**
 * A free slug made from `wanted` (or the title): never reserved, never another
 * page's. A reserved or taken one gets "-page", then "-2", "-3"...
 */
export async function freeSlug(trx: Trx, wanted: string, title: string, exceptId: string | null): Promise<string> {
  let base = PAGE_SLUG_RE.test(wanted) && wanted.length <= MAX_PAGE_SLUG_LENGTH ? wanted : slugify(wanted || title, 'page');
  if (!PAGE_SLUG_RE.test(base)) base = slugify(base, 'page');
  if (isReservedSlug(base)) base = `${base}-page`;
  let candidate = base;
  for (let n = 2; await repo.slugTaken(trx, candidate, exceptId); n++) candidate = `${base}-${n}`;
  return candidate;
}

export interface ImportedPage {
  /** The page made by an earlier run of the same import, or null for a new page. */
  id: string | null;
  slug: string;
  title: string;
  dek: string;
  doc: RichNode;
  status: 'draft' | 'published';
  publishedAt: string | null;
}

/**
 * Writes a page read from another platform's export, in the importer's
 * transaction: a new page (with a free slug) when `id` is null or names no page,
 * otherwise that page, changed in place. The body is rendered here.
 */
export async function importPage(trx: Trx, page: ImportedPage): Promise<{ id: string; slug: string }> {
  const now = nowIso();
  const bodyHtml = await renderPageBody(trx, page.doc);
  const existing = page.id ? await repo.findById(trx, page.id) : undefined;
  const publishedAt = page.status === 'published' ? (page.publishedAt ?? existing?.published_at ?? now) : null;
  if (existing) {
    const slug = await freeSlug(trx, page.slug, page.title, existing.id);
    await repo.updatePage(trx, existing.id, {
      slug,
      title: page.title,
      dek: page.dek,
      status: page.status,
      body_json: JSON.stringify(page.doc),
      body_html: bodyHtml,
      published_at: publishedAt,
      updated_at: now,
    });
    return { id: existing.id, slug };
  }
  const id = page.id ?? newId();
  const slug = await freeSlug(trx, page.slug, page.title, null);
  await repo.insertPage(trx, {
    id,
    slug,
    title: page.title,
    dek: page.dek,
    status: page.status,
    body_json: JSON.stringify(page.doc),
    body_html: bodyHtml,
    menu_position: null,
    published_at: publishedAt,
    created_at: now,
    updated_at: now,
  });
  return { id, slug };
}
