// Static pages: creating, saving, the workflow (draft → submitted → published,
// unpublished), the footer menu's order and what readers see. Every write runs
// in the caller's transaction or one of its own.
import type { Kysely, Transaction } from 'kysely';
import { recordAudit } from '../../db/audit.js';
import { nowIso, type Db } from '../../db/database.js';
import type { Database, PageStatus } from '../../db/schema.js';
import { newId } from '../../lib/ids.js';
import { parseDoc, type RichNode } from '../../lib/rich-text.js';
import { slugify } from '../../lib/slug.js';
import { AppError, ConflictError, ForbiddenError, NotFoundError } from '../../web/errors.js';
import { canEditPage, canEditPages, canMovePage, canPublishPages, type Actor } from '../access/index.js';
import { BodyFigure, renderBody } from '../articles/index.js';
import { RedirectRefused, setRedirect } from '../redirects/index.js';
import * as repo from './pages.repository.js';
import { isReservedSlug, MAX_PAGE_SLUG_LENGTH, PAGE_SLUG_RE, slugProblem } from './slugs.js';
import { pageKey, SITEMAPS } from '../../web/surrogate-keys.js';

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
  const fields = {
    title: page.title,
    dek: page.dek,
    status: page.status,
    body_json: JSON.stringify(page.doc),
    body_html: bodyHtml,
    published_at: page.status === 'published' ? (page.publishedAt ?? existing?.published_at ?? now) : null,
    updated_at: now,
  };
  if (existing) {
    const slug = await freeSlug(trx, page.slug, page.title, existing.id);
    await repo.updatePage(trx, existing.id, { slug, ...fields });
    return { id: existing.id, slug };
  }
  const id = page.id ?? newId();
  const slug = await freeSlug(trx, page.slug, page.title, null);
  await repo.insertPage(trx, { id, slug, ...fields, menu_position: null, created_at: now });
  return { id, slug };
}

/** Saves of a published page by the same person within this window make one audit record. */
const LIVE_EDIT_WINDOW_MS = 5 * 60 * 1000;

/** Edits of a published page change what readers see: audited, one record per person per five-minute burst of saves. */
async function auditLiveEdit(trx: Trx, actor: Actor, pageId: string, details: object, now: string): Promise<void> {
  const since = new Date(Date.parse(now) - LIVE_EDIT_WINDOW_MS).toISOString();
  const recent = await trx
    .selectFrom('audit_log')
    .select('id')
    .where('subject_id', '=', pageId)
    .where('action', '=', 'page.edited_live')
    .where('user_id', '=', actor.userId)
    .where('created_at', '>', since)
    .executeTakeFirst();
  if (recent) return;
  await recordAudit(trx, {
    userId: actor.userId,
    actorName: actor.name,
    action: 'page.edited_live',
    subjectType: 'page',
    subjectId: pageId,
    details,
  });
}

/**
 * A published page moved to another address: the old one redirects to it. A
 * redirect that would close a loop (a page moved back to an address it had) is
 * not made; the page's own route answers its current address first anyway.
 */
async function redirectOldSlug(trx: Trx, from: string, to: string): Promise<void> {
  try {
    await setRedirect(trx, { from: `/${from}`, to: `/${to}`, source: 'static-pages' });
  } catch (err) {
    if (!(err instanceof RedirectRefused)) throw err;
  }
}

/** A save refused for one field (a slug in use, say): the form comes back with the message beside it. */
export class PageRefusedError extends AppError {
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(422, 'page_refused', message, 'Not saved');
  }
}

export const PAGE_STATUS_LABELS: Record<PageStatus, string> = {
  draft: 'Draft',
  submitted: 'Submitted',
  published: 'Published',
  unpublished: 'Unpublished',
};

export interface PageEdit {
  title: string;
  slug: string;
  dek: string;
  /** The new body, or null to keep the stored one. */
  doc: RichNode | null;
}

export interface MenuEntry {
  slug: string;
  title: string;
}

/** The newsroom's pages desk and what readers see of static pages. */
export class PagesService {
  private menu: Promise<MenuEntry[]> | null = null;
  private published = new Map<string, Promise<repo.PageRecord | null>>();

  constructor(
    private readonly db: Db,
    /** Called after any change readers can see (the render cache, the footer, the sitemap), with its surrogate keys when it knows them. */
    private readonly publicChanged: (keys?: readonly string[]) => Promise<void>,
  ) {}

  /** Drops what was remembered of published pages; called when published content changes. */
  forget(): void {
    this.menu = null;
    this.published.clear();
  }

  /** The footer menu: published pages in the editor-in-chief's order. */
  footerMenu(): Promise<MenuEntry[]> {
    if (!this.menu) {
      const menu = repo
        .listMenu(this.db)
        .then((rows) => rows.filter((r) => r.status === 'published').map((r) => ({ slug: r.slug, title: r.title })));
      // A failed read is not remembered: the next page asks again.
      menu.catch(() => {
        if (this.menu === menu) this.menu = null;
      });
      this.menu = menu;
    }
    return this.menu;
  }

  /** A published page by its slug, or null: drafts never leave here. */
  publishedBySlug(slug: string): Promise<repo.PageRecord | null> {
    let found = this.published.get(slug);
    if (!found) {
      // Only a bounded number of misses are remembered, so a crawler trying addresses cannot fill memory.
      if (this.published.size > 1000) this.published.clear();
      const lookup = repo.findPublishedBySlug(this.db, slug).then((row) => row ?? null);
      lookup.catch(() => {
        if (this.published.get(slug) === lookup) this.published.delete(slug);
      });
      this.published.set(slug, lookup);
      found = lookup;
    }
    return found;
  }

  async list(): Promise<repo.PageRecord[]> {
    return repo.listAll(this.db);
  }

  async listMenu(): Promise<repo.PageRecord[]> {
    return repo.listMenu(this.db);
  }

  async get(id: string): Promise<repo.PageRecord> {
    const row = await repo.findById(this.db, id);
    if (!row) throw new NotFoundError('There is no such page. It may have been deleted.');
    return row;
  }

  /** Checks a slug typed in the newsroom: its shape, the site's own addresses, and the other pages. */
  private async checkSlug(trx: Trx, slug: string, exceptId: string | null): Promise<void> {
    const problem = slugProblem(slug);
    if (problem) throw new PageRefusedError(problem, 'slug');
    if (await repo.slugTaken(trx, slug, exceptId))
      throw new PageRefusedError(`Another page is already at “/${slug}”: choose another address.`, 'slug');
  }

  /** A new draft page; the slug is made from the title when none is given. */
  async create(actor: Actor, input: { title: string; slug: string }): Promise<string> {
    if (!canEditPages(actor)) throw new ForbiddenError('Static pages are written by the editor-in-chief, the managing editor and mentors.');
    return this.db.transaction().execute(async (trx) => {
      const slug = input.slug === '' ? await freeSlug(trx, '', input.title, null) : input.slug;
      await this.checkSlug(trx, slug, null);
      const id = newId();
      const now = nowIso();
      const doc: RichNode = { type: 'doc', content: [] };
      await repo.insertPage(trx, {
        id,
        slug,
        title: input.title,
        dek: '',
        status: 'draft',
        body_json: JSON.stringify(doc),
        body_html: '',
        menu_position: null,
        published_at: null,
        created_at: now,
        updated_at: now,
      });
      return id;
    });
  }

  /**
   * Saves the editor's form over the version it was typed on: when someone saved
   * in between, nothing is written and a ConflictError says so.
   */
  async save(
    actor: Actor,
    id: string,
    edit: PageEdit,
    expectedVersion: number,
    intent: 'save' | 'submit' = 'save',
  ): Promise<{ version: number; savedAt: string }> {
    const result = await this.db.transaction().execute(async (trx) => {
      const row = await repo.findById(trx, id);
      if (!row) throw new NotFoundError('There is no such page. It may have been deleted.');
      if (!canEditPage(actor, row.status))
        throw new ForbiddenError(
          row.status === 'published'
            ? 'This page is published: only the editor-in-chief changes it now. Ask them, or to unpublish it first.'
            : 'Static pages are written by the editor-in-chief, the managing editor and mentors.',
        );
      if (!Number.isInteger(expectedVersion) || row.version !== expectedVersion) throw this.conflict();
      await this.checkSlug(trx, edit.slug, id);
      const now = nowIso();
      const doc = edit.doc ?? parseDoc(row.body_json);
      const toSubmit = intent === 'submit' && row.status !== 'submitted';
      if (toSubmit && !canMovePage(actor, row.status, 'submitted'))
        throw new ForbiddenError('This page cannot be submitted from its current state.');
      const updated = await repo.updatePage(
        trx,
        id,
        {
          title: edit.title,
          slug: edit.slug,
          dek: edit.dek,
          body_json: JSON.stringify(doc),
          body_html: await renderPageBody(trx, doc),
          updated_at: now,
          ...(toSubmit ? { status: 'submitted' as const } : {}),
        },
        expectedVersion,
      );
      if (!updated) throw this.conflict();
      if (row.status === 'published') {
        await auditLiveEdit(trx, actor, id, { title: edit.title, slug: edit.slug, version: expectedVersion + 1 }, now);
        // Links to the old address keep working: it leads to the new one.
        if (edit.slug !== row.slug) await redirectOldSlug(trx, row.slug, edit.slug);
      }
      // Same address and title: only the page's own text changed (the footer menu shows titles).
      const textOnly = edit.slug === row.slug && edit.title === row.title;
      return {
        version: expectedVersion + 1,
        savedAt: now,
        live: row.status === 'published',
        keys: textOnly ? [pageKey(row.slug), SITEMAPS] : undefined,
      };
    });
    if (result.live) await this.publicChanged(result.keys);
    return { version: result.version, savedAt: result.savedAt };
  }

  private conflict(): ConflictError {
    return new ConflictError(
      'Someone else saved a newer version of this page while you were editing. Nothing of yours was saved: your text is still in the form below. Copy your changes, then reload to see theirs.',
      'version_conflict',
    );
  }

  /** A step of the workflow (submit, publish, unpublish, back to draft). */
  async move(actor: Actor, id: string, to: PageStatus): Promise<void> {
    const row = await this.get(id);
    if (!canMovePage(actor, row.status, to)) {
      if ((to === 'published' || to === 'unpublished') && !canPublishPages(actor))
        throw new ForbiddenError('Only the editor-in-chief publishes and unpublishes the magazine’s pages. Submit it for them to publish.');
      throw new ForbiddenError(`A page cannot go from “${PAGE_STATUS_LABELS[row.status]}” to “${PAGE_STATUS_LABELS[to]}”.`);
    }
    await this.db.transaction().execute(async (trx) => {
      const now = nowIso();
      const moved = await repo.updatePage(
        trx,
        id,
        {
          status: to,
          updated_at: now,
          ...(to === 'published' ? { published_at: row.published_at ?? now } : {}),
        },
        row.version,
      );
      if (!moved) throw this.conflict();
      if (to === 'published' || to === 'unpublished') {
        await recordAudit(trx, {
          userId: actor.userId,
          actorName: actor.name,
          action: `page.${to}`,
          subjectType: 'page',
          subjectId: id,
          details: { title: row.title, slug: row.slug, from: row.status },
        });
      }
    });
    if (to === 'published' || row.status === 'published') await this.publicChanged();
  }

  async delete(actor: Actor, id: string): Promise<repo.PageRecord> {
    if (!canPublishPages(actor)) throw new ForbiddenError('Only the editor-in-chief deletes the magazine’s pages.');
    const row = await this.db.transaction().execute(async (trx) => {
      const found = await repo.findById(trx, id);
      if (!found) throw new NotFoundError('There is no such page. It may have been deleted already.');
      await repo.deletePage(trx, id);
      await this.renumberMenu(trx);
      await recordAudit(trx, {
        userId: actor.userId,
        actorName: actor.name,
        action: 'page.deleted',
        subjectType: 'page',
        subjectId: id,
        details: { title: found.title, slug: found.slug, status: found.status },
      });
      return found;
    });
    if (row.status === 'published') await this.publicChanged();
    return row;
  }

  /** Menu positions 0, 1, 2... in their current order, after a page left the menu. */
  private async renumberMenu(trx: Trx): Promise<repo.PageRecord[]> {
    const rows = await repo.listMenu(trx);
    for (const [i, r] of rows.entries()) if (r.menu_position !== i) await repo.setMenuPosition(trx, r.id, i);
    return rows.map((r, i) => ({ ...r, menu_position: i }));
  }

  /** Adds a page to the end of the footer menu, takes it out, or moves it one place up or down. */
  async changeMenu(actor: Actor, id: string, change: 'add' | 'remove' | 'up' | 'down'): Promise<repo.PageRecord> {
    if (!canPublishPages(actor)) throw new ForbiddenError('The editor-in-chief orders the footer menu.');
    const row = await this.db.transaction().execute(async (trx) => {
      const page = await repo.findById(trx, id);
      if (!page) throw new NotFoundError('There is no such page. It may have been deleted.');
      const menu = await this.renumberMenu(trx);
      const at = menu.findIndex((r) => r.id === id);
      if (change === 'add' && at === -1) await repo.setMenuPosition(trx, id, menu.length);
      if (change === 'remove' && at !== -1) {
        await repo.setMenuPosition(trx, id, null);
        await this.renumberMenu(trx);
      }
      const other = change === 'up' ? at - 1 : change === 'down' ? at + 1 : -1;
      if (at !== -1 && other >= 0 && other < menu.length) {
        await repo.setMenuPosition(trx, menu[other]!.id, at);
        await repo.setMenuPosition(trx, id, other);
      }
      return page;
    });
    await this.publicChanged();
    return row;
  }
}

/** A published page from the demo seed or a script, at the end of the footer menu when asked, in the caller's transaction. */
export async function addPublishedPage(
  trx: Trx,
  input: { slug: string; title: string; dek: string; doc: RichNode; inMenu: boolean },
): Promise<{ id: string; slug: string }> {
  const made = await importPage(trx, {
    id: null,
    slug: input.slug,
    title: input.title,
    dek: input.dek,
    doc: input.doc,
    status: 'published',
    publishedAt: null,
  });
  if (input.inMenu) await repo.setMenuPosition(trx, made.id, (await repo.listMenu(trx)).length);
  return made;
}

/** Published pages for the sitemap: their slugs and when they last changed. */
export async function sitemapPages(db: Trx): Promise<{ slug: string; lastmod: string }[]> {
  return (await repo.listPublished(db)).map((p) => ({ slug: p.slug, lastmod: p.updated_at }));
}
