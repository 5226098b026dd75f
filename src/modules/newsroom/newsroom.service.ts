// The editorial desk: drafts, saves with conflict detection and revisions, the
// workflow (submit, review, request changes, approve, schedule, publish,
// unpublish) with its timeline, editorial comments, notifications and audit.
import type { FastifyBaseLogger } from 'fastify';
import type { Db } from '../../db/database.js';
import { nowIso } from '../../db/database.js';
import type { ArticleRow, ArticleStatus } from '../../db/schema.js';
import { dateInZone, todayUtc } from '../../lib/dates.js';
import { newId } from '../../lib/ids.js';
import { slugify } from '../../lib/slug.js';
import { countDocWords } from '../../lib/plain-text.js';
import { normalizeDoc, type RichNode } from '../../lib/rich-text.js';
import { renderEmail, type SiteIdentity } from '../../mail/layout.js';
import { AppError, ConflictError, ForbiddenError, NotFoundError, BadRequestError } from '../../web/errors.js';
import { paginate } from '../../web/http.js';
import { cancel, enqueue } from '../../jobs/index.js';
import { agesOn, peopleLookups, staffNames } from '../people/index.js';
import { cacheKeys, drafts } from '../articles/index.js';
import { checkPublication, refusedWriters } from '../consent/index.js';
import { HOME } from '../../web/surrogate-keys.js';
import { getSetting, setSetting } from '../../db/settings.js';
import { recordAudit } from '../../db/audit.js';
import { bodyFromInput } from '../../web/rich-body-input.js';
import type { ArticleInput } from './article-input.js';
import * as repo from './newsroom.repository.js';
import {
  canComment,
  canEdit,
  canEditCredits,
  canMove,
  canRecomputeAges,
  canSetWritingRules,
  canView,
  canViewAudit,
  isChief,
  type Actor,
  type ArticleFacts,
} from '../access/index.js';

/** The setting that holds the fewest words an article needs before it can be submitted for review. */
export const MIN_SUBMIT_WORDS_SETTING = 'newsroom_min_submit_words';
export const MAX_MIN_SUBMIT_WORDS = 5_000;

/** Whether this save would take away the saving person's own right to edit the article. */
export function removesOwnAccess(actor: Actor, facts: ArticleFacts, authorIds: string[]): boolean {
  return canEdit(actor, facts) && !canEdit(actor, { ...facts, authorIds });
}

/** Refused saves that the form explains next to a field, keeping everything typed. */
export class SaveRefusedError extends AppError {
  constructor(
    message: string,
    code: string,
    readonly field: string,
  ) {
    super(422, code, message, 'Not saved');
  }
}

/** Autosaves by the same person within this window update one revision instead of adding another. */
export const AUTOSAVE_COALESCE_MS = 5 * 60_000;

export const STATUS_LABELS: Record<ArticleStatus, string> = {
  draft: 'Draft',
  submitted: 'Submitted',
  in_review: 'In review',
  changes_requested: 'Changes requested',
  approved: 'Approved',
  scheduled: 'Scheduled',
  published: 'Published',
  unpublished: 'Unpublished',
};

export interface DeskDeps {
  db: Db;
  site: SiteIdentity;
  log: FastifyBaseLogger;
  /** Renders a body document to sanitized HTML (pictures from the media library). */
  renderBody(doc: RichNode): Promise<string>;
  /**
   * Tells every process (and the CDN) that readers' pages changed: those showing
   * these surrogate keys (web/surrogate-keys.ts), or every page without keys.
   */
  contentChanged(keys?: readonly string[]): Promise<void>;
}

export class NewsroomService {
  constructor(private readonly deps: DeskDeps) {}

  private get db() {
    return this.deps.db;
  }

  async facts(articleId: string): Promise<{ row: ArticleRow; facts: ArticleFacts }> {
    const row = await drafts.findArticle(this.db, articleId);
    if (!row) throw new NotFoundError('There is no article with this address.');
    const [authorIds, editorIds] = await Promise.all([drafts.authorIdsOf(this.db, articleId), drafts.editorIdsOf(this.db, articleId)]);
    return { row, facts: { status: row.status, sectionId: row.section_id, authorIds, editorIds } };
  }

  /** Loads an article for someone who may see it in the newsroom; 403 otherwise. */
  async open(actor: Actor, articleId: string) {
    const { row, facts } = await this.facts(articleId);
    if (!canView(actor, facts)) throw new ForbiddenError('This article belongs to another section or writer.');
    const [tags, events, comments, revisions] = await Promise.all([
      drafts.tagNamesOf(this.db, articleId),
      repo.eventsOf(this.db, articleId),
      repo.commentsOf(this.db, articleId),
      drafts.revisionsOf(this.db, articleId),
    ]);
    return { row, facts, tags, events, comments, revisions };
  }

  async create(actor: Actor, input: { title: string; sectionId: string }): Promise<string> {
    const id = newId();
    const now = nowIso();
    const base = slugify(input.title, 'untitled');
    const slug = `${base}-${id.slice(-6)}`;
    const body: RichNode = { type: 'doc', content: [] };
    const bodyJson = JSON.stringify(body);
    await this.db.transaction().execute(async (trx) => {
      await drafts.createDraft(trx, {
        article: {
          id,
          slug,
          status: 'draft',
          title: input.title,
          section_id: input.sectionId,
          body_json: bodyJson,
          body_html: '',
          created_at: now,
          updated_at: now,
        },
        authorIds: [actor.personId],
        revision: {
          id: newId(),
          article_id: id,
          version: 1,
          kind: 'save',
          user_id: actor.userId,
          author_name: actor.name,
          title: input.title,
          dek: '',
          body_json: bodyJson,
          fields: '{}',
          created_at: now,
          updated_at: now,
        },
      });
    });
    return id;
  }

  /**
   * Saves the editor's form. `expectedVersion` is the version the editor loaded;
   * if someone saved since, nothing is written and a ConflictError says so.
   * A save that would lock the saving writer out of the article (by taking her
   * off the authors) needs `confirmRemoveSelf`.
   */
  async save(
    actor: Actor,
    articleId: string,
    input: ArticleInput,
    expectedVersion: number,
    kind: 'save' | 'autosave',
    options: { confirmRemoveSelf?: boolean } = {},
  ): Promise<{ version: number; savedAt: string }> {
    const { row, facts } = await this.facts(articleId);
    const prepared = await this.prepareSave(actor, row, facts, input, expectedVersion, options);
    const live = row.status === 'published';
    const before = live ? await cacheKeys.listingKeysOf(this.db, articleId) : [];
    await this.db.transaction().execute(async (trx) => {
      await this.writeSave(trx, actor, row, facts, input, prepared, kind);
    });
    if (live) await this.deps.contentChanged(cacheKeys.editKeys(articleId, before, await cacheKeys.listingKeysOf(this.db, articleId)));
    return { version: expectedVersion + 1, savedAt: prepared.now };
  }

  /**
   * "Submit for review" from the editor: saves what is in the form and submits
   * that version, in one transaction. Nothing is written if either step is refused.
   */
  async saveAndSubmit(
    actor: Actor,
    articleId: string,
    input: ArticleInput,
    expectedVersion: number,
    note: string,
    options: { confirmRemoveSelf?: boolean } = {},
  ): Promise<void> {
    const { row, facts } = await this.facts(articleId);
    const prepared = await this.prepareSave(actor, row, facts, input, expectedVersion, options);
    const after: ArticleFacts = {
      ...facts,
      authorIds: input.authorIds,
      editorIds: canEditCredits(actor) ? input.editorIds : facts.editorIds,
    };
    if (!canMove(actor, after, 'submitted')) {
      throw new ForbiddenError(
        `You cannot move this article from “${STATUS_LABELS[row.status]}” to “${STATUS_LABELS.submitted}”.`,
        'move_not_allowed',
      );
    }
    await this.checkLongEnough(countDocWords(prepared.body));
    await this.db.transaction().execute(async (trx) => {
      const tdb = trx as unknown as Db;
      await this.writeSave(tdb, actor, row, facts, input, prepared, 'save');
      const saved: ArticleRow = { ...row, title: input.title, version: expectedVersion + 1, updated_at: prepared.now };
      await this.moveIn(tdb, actor, saved, after, 'submitted', note);
    });
  }

  /** The fewest words an article needs before it can be submitted (at least one). */
  async minSubmitWords(): Promise<number> {
    const value = Number(await getSetting(this.db, MIN_SUBMIT_WORDS_SETTING));
    return Number.isInteger(value) && value > 0 ? Math.min(value, MAX_MIN_SUBMIT_WORDS) : 1;
  }

  /** A page of the audit log, with the names of the people and accounts it mentions; for those who answer for the newsroom. */
  async auditLog(actor: Actor, page: number, pageSize = 50) {
    if (!canViewAudit(actor))
      throw new ForbiddenError('The audit log is for the editor-in-chief, the managing editor, mentors and administrators.');
    const pagination = paginate(page, pageSize, await repo.countAudit(this.db));
    const rows = await repo.listAudit(this.db, pageSize, pagination.offset);
    const people = rows.filter((r) => r.subject_type === 'person').map((r) => r.subject_id);
    const accounts = [
      ...rows.flatMap((r) => (r.user_id ? [r.user_id] : [])),
      ...rows.filter((r) => r.subject_type === 'user').map((r) => r.subject_id),
    ];
    return { rows, names: await staffNames(this.db, people, accounts), pagination };
  }

  async setMinSubmitWords(actor: Actor, words: number): Promise<void> {
    if (!canSetWritingRules(actor)) throw new ForbiddenError('The editor-in-chief sets the newsroom’s writing rules.');
    if (!Number.isInteger(words) || words < 1 || words > MAX_MIN_SUBMIT_WORDS)
      throw new BadRequestError(`Choose a whole number from 1 to ${MAX_MIN_SUBMIT_WORDS.toLocaleString('en-GB')}.`, 'invalid_min_words');
    await this.db.transaction().execute(async (trx) => {
      await setSetting(trx, MIN_SUBMIT_WORDS_SETTING, String(words));
      await recordAudit(trx, {
        userId: actor.userId,
        actorName: actor.name,
        action: 'newsroom.min_submit_words',
        subjectType: 'setting',
        subjectId: MIN_SUBMIT_WORDS_SETTING,
        details: { words },
      });
    });
  }

  private async checkLongEnough(words: number): Promise<void> {
    const min = await this.minSubmitWords();
    if (words >= min) return;
    const message =
      words === 0
        ? 'The article is empty: write it before submitting it for review. Nothing was submitted.'
        : `The article has ${words.toLocaleString('en-GB')} ${words === 1 ? 'word' : 'words'}; the editor-in-chief asks for at least ${min.toLocaleString('en-GB')} before review. Nothing was submitted.`;
    throw new SaveRefusedError(message, 'too_few_words', 'body');
  }

  private async prepareSave(
    actor: Actor,
    row: ArticleRow,
    facts: ArticleFacts,
    input: ArticleInput,
    expectedVersion: number,
    options: { confirmRemoveSelf?: boolean },
  ) {
    if (!canEdit(actor, facts)) throw new ForbiddenError('You cannot edit this article in its current state.');
    if (row.version !== expectedVersion) throw this.conflict(row);
    if (!options.confirmRemoveSelf && removesOwnAccess(actor, facts, input.authorIds)) {
      throw new SaveRefusedError(
        'You took yourself off the authors: you would no longer be able to open or edit this draft. Add yourself back, or tick “Yes, take me off this article” to confirm. Nothing was saved.',
        'removes_own_access',
        'authorIds',
      );
    }
    const body = normalizeDoc(bodyFromInput(input) ?? (JSON.parse(row.body_json) as RichNode));
    const bodyHtml = await this.deps.renderBody(body);
    const tags = input.tags
      .split(',')
      .map((t) => t.trim())
      .filter(Boolean)
      .slice(0, 12)
      .map((name) => ({ id: newId(), slug: slugify(name, 'tag'), name }))
      .filter((t, i, all) => all.findIndex((other) => other.slug === t.slug) === i);
    return { body, bodyHtml, tags, now: nowIso(), expectedVersion };
  }

  private async writeSave(
    trx: Db,
    actor: Actor,
    row: ArticleRow,
    facts: ArticleFacts,
    input: ArticleInput,
    prepared: {
      body: RichNode;
      bodyHtml: string;
      tags: { id: string; slug: string; name: string }[];
      now: string;
      expectedVersion: number;
    },
    kind: 'save' | 'autosave',
  ): Promise<void> {
    const { body, bodyHtml, tags, now, expectedVersion } = prepared;
    const articleId = row.id;
    const published = row.status === 'published';
    const saved = await drafts.updateArticle(
      trx,
      articleId,
      {
        title: input.title,
        dek: input.dek,
        byline_phrase: input.bylinePhrase,
        section_id: input.sectionId,
        newsroom_id: input.newsroomId || null,
        hero_media_id: input.heroMediaId || null,
        hero_caption: input.heroCaption,
        hero_alt: input.heroAlt,
        hero_credit_creator: input.heroCreditCreator,
        hero_credit_source: input.heroCreditSource,
        access: input.access,
        preview_paragraphs: input.previewParagraphs === '' ? null : input.previewParagraphs,
        body_json: JSON.stringify(body),
        body_html: bodyHtml,
        word_count: countDocWords(body),
        version: expectedVersion + 1,
        updated_at: now,
      },
      { expectedVersion },
    );
    if (!saved) throw this.conflict(row);
    const authorsChanged = input.authorIds.join() !== facts.authorIds.join();
    await drafts.replaceAuthors(trx, articleId, input.authorIds);
    if (published && !authorsChanged) await this.freezeAges(trx, articleId, row.published_at!);
    if (canEditCredits(actor)) await drafts.replaceEditors(trx, articleId, input.editorIds);
    await drafts.replaceTags(trx, articleId, tags);
    await this.keepRevision(trx, actor, articleId, expectedVersion + 1, kind, { title: input.title, dek: input.dek, body }, input, now);
    if (published) await this.auditLiveEdit(trx, actor, articleId, input.title, expectedVersion + 1, now);
    await drafts.articleChanged(trx, articleId);
  }

  /** Edits of a published article change the live page: they are audited, one record per person per five-minute burst of saves. */
  private async auditLiveEdit(db: Db, actor: Actor, articleId: string, title: string, version: number, now: string) {
    const since = new Date(Date.parse(now) - AUTOSAVE_COALESCE_MS).toISOString();
    const recent = await db
      .selectFrom('audit_log')
      .select('id')
      .where('subject_id', '=', articleId)
      .where('action', '=', 'article.edited_live')
      .where('user_id', '=', actor.userId)
      .where('created_at', '>', since)
      .executeTakeFirst();
    if (recent) return;
    await recordAudit(db, {
      userId: actor.userId,
      actorName: actor.name,
      action: 'article.edited_live',
      subjectType: 'article',
      subjectId: articleId,
      details: { title, version },
    });
  }

  private conflict(row: ArticleRow): ConflictError {
    const error = new ConflictError(
      'Someone else saved a newer version of this article while you were editing. Nothing of yours was saved: copy your changes, then reload to see theirs.',
      'version_conflict',
    );
    (error as ConflictError & { currentVersion?: number }).currentVersion = row.version;
    return error;
  }

  private async keepRevision(
    db: Db,
    actor: Actor,
    articleId: string,
    version: number,
    kind: 'save' | 'autosave' | 'restore',
    content: { title: string; dek: string; body: RichNode },
    fields: object,
    now: string,
  ) {
    const last = await drafts.latestRevision(db, articleId);
    const values = {
      version,
      title: content.title,
      dek: content.dek,
      body_json: JSON.stringify(content.body),
      fields: JSON.stringify(fields),
      updated_at: now,
    };
    if (
      kind === 'autosave' &&
      last &&
      last.kind === 'autosave' &&
      last.user_id === actor.userId &&
      Date.parse(now) - Date.parse(last.created_at) < AUTOSAVE_COALESCE_MS
    ) {
      await drafts.updateRevision(db, last.id, values);
      return;
    }
    await drafts.insertRevision(db, {
      id: newId(),
      article_id: articleId,
      kind,
      user_id: actor.userId,
      author_name: actor.name,
      created_at: now,
      ...values,
    });
  }

  /** Restores a revision's title, standfirst and body; the restore is itself a new revision. */
  async restore(actor: Actor, articleId: string, revisionId: string): Promise<void> {
    const { row, facts } = await this.facts(articleId);
    if (!canEdit(actor, facts)) throw new ForbiddenError('You cannot edit this article in its current state.');
    const revision = await drafts.findRevision(this.db, articleId, revisionId);
    if (!revision) throw new NotFoundError('There is no such revision.');
    const body = JSON.parse(revision.body_json) as RichNode;
    const now = nowIso();
    const bodyHtml = await this.deps.renderBody(body);
    await this.db.transaction().execute(async (trx) => {
      const changes = {
        title: revision.title,
        dek: revision.dek,
        body_json: revision.body_json,
        body_html: bodyHtml,
        word_count: countDocWords(body),
        version: row.version + 1,
        updated_at: now,
      };
      if (!(await drafts.updateArticle(trx, articleId, changes, { expectedVersion: row.version }))) throw this.conflict(row);
      await this.keepRevision(
        trx,
        actor,
        articleId,
        row.version + 1,
        'restore',
        { title: revision.title, dek: revision.dek, body },
        JSON.parse(revision.fields) as object,
        now,
      );
      await recordAudit(trx, {
        userId: actor.userId,
        actorName: actor.name,
        action: 'article.restored',
        subjectType: 'article',
        subjectId: articleId,
        details: { title: revision.title, revision: revision.version, status: row.status },
      });
      await drafts.articleChanged(trx, articleId);
    });
    // A restore brings back the text (headline, dek, body), not the article's place in lists.
    if (row.status === 'published') await this.deps.contentChanged(cacheKeys.editKeys(articleId, [], []));
  }

  async revision(actor: Actor, articleId: string, revisionId: string) {
    const { facts } = await this.facts(articleId);
    if (!canView(actor, facts)) throw new ForbiddenError('This article belongs to another section or writer.');
    const revision = await drafts.findRevision(this.db, articleId, revisionId);
    if (!revision) throw new NotFoundError('There is no such revision.');
    return revision;
  }

  /**
   * Freezes each author's age on the byline at the first publication date. An
   * age frozen once stays (a republication or a live edit keeps it) unless the
   * editor-in-chief asks to recompute it from a corrected birth date.
   */
  private async freezeAges(db: Db, articleId: string, publishedAt: string, recompute = false) {
    const authors = await drafts.authorAgesOf(db, articleId);
    const missing = authors.filter((a) => recompute || a.age_at_publication === null);
    const ages = await agesOn(
      db,
      missing.map((a) => ({ personId: a.person_id, frozenAge: null })),
      dateInZone(publishedAt),
    );
    for (const a of missing) await drafts.setAgeAtPublication(db, articleId, a.person_id, ages.get(a.person_id) ?? null);
  }

  /**
   * Authors whose frozen byline age differs from the age their current birth
   * date gives on the first publication day (after a correction), for the editor
   * to mention before a republication. Only ages, never dates.
   */
  async ageCorrections(articleId: string): Promise<{ personId: string; frozen: number; current: number | null }[]> {
    const row = await drafts.findArticle(this.db, articleId);
    if (!row?.published_at) return [];
    const authors = await drafts.authorAgesOf(this.db, articleId);
    const frozen = authors.filter((a): a is typeof a & { age_at_publication: number } => a.age_at_publication !== null);
    const current = await agesOn(
      this.db,
      frozen.map((a) => ({ personId: a.person_id, frozenAge: null })),
      dateInZone(row.published_at),
    );
    return frozen.flatMap((a) =>
      current.get(a.person_id) === a.age_at_publication
        ? []
        : [{ personId: a.person_id, frozen: a.age_at_publication, current: current.get(a.person_id) ?? null }],
    );
  }

  /** Moves an article along the workflow, if the rules allow this actor to. */
  async move(
    actor: Actor,
    articleId: string,
    to: ArticleStatus,
    note: string,
    scheduledAt?: string,
    options: { recomputeAges?: boolean } = {},
  ): Promise<void> {
    const { row, facts } = await this.facts(articleId);
    if (!canMove(actor, facts, to)) {
      throw new ForbiddenError(
        `You cannot move this article from “${STATUS_LABELS[row.status]}” to “${STATUS_LABELS[to]}”.`,
        'move_not_allowed',
      );
    }
    if (options.recomputeAges && !canRecomputeAges(actor))
      throw new ForbiddenError('Only the editor-in-chief recomputes the ages on a byline.', 'recompute_not_allowed');
    if (to === 'scheduled') {
      if (!scheduledAt || Number.isNaN(Date.parse(scheduledAt))) throw new BadRequestError('Choose when to publish.', 'schedule_required');
      if (Date.parse(scheduledAt) <= Date.now())
        throw new BadRequestError('Choose a time in the future, or publish now.', 'schedule_in_past');
    }
    if ((to === 'submitted' || to === 'published' || to === 'scheduled') && row.title.trim() === '')
      throw new BadRequestError('Give the article a headline first.');
    if (to === 'submitted') await this.checkLongEnough(row.word_count);
    await this.db.transaction().execute(async (trx) => {
      await this.moveIn(trx, actor, row, facts, to, note, scheduledAt, options);
    });
    if (to === 'published' || row.status === 'published')
      await this.deps.contentChanged(cacheKeys.publicationKeys(row.id, await cacheKeys.listingKeysOf(this.db, row.id)));
  }

  /** The move itself, inside the caller's transaction; the rules are checked by the caller. */
  private async moveIn(
    trx: Db,
    actor: Actor,
    row: ArticleRow,
    facts: ArticleFacts,
    to: ArticleStatus,
    note: string,
    scheduledAt?: string,
    options: { recomputeAges?: boolean } = {},
  ): Promise<void> {
    const articleId = row.id;
    const now = nowIso();
    const changes: Partial<ArticleRow> = { status: to, updated_at: now };
    if (to === 'scheduled') changes.scheduled_at = new Date(scheduledAt!).toISOString();
    if (to === 'published') {
      changes.published_at = row.published_at ?? now;
      changes.scheduled_at = null;
    }
    if (row.status === 'scheduled' && to !== 'published') changes.scheduled_at = null;
    // A writer younger than the age of digital consent on the day it goes out needs a guardian's consent on record.
    if (to === 'published') await checkPublication(trx, facts.authorIds, now, 'publish');
    if (to === 'scheduled') await checkPublication(trx, facts.authorIds, changes.scheduled_at!, 'schedule');
    await drafts.updateArticle(trx, articleId, changes);
    await repo.insertEvent(trx, {
      id: newId(),
      article_id: articleId,
      user_id: actor.userId,
      actor_name: actor.name,
      from_status: row.status,
      to_status: to,
      note: note.trim().slice(0, 2000),
      created_at: now,
    });
    // "Edited by" comes from the people who reviewed the piece.
    if (['in_review', 'changes_requested', 'approved'].includes(to) && !isAuthorOnly(actor, facts))
      await drafts.addEditor(trx, articleId, actor.personId);
    const recomputeAges = to === 'published' && options.recomputeAges === true;
    if (to === 'published') await this.freezeAges(trx, articleId, changes.published_at!, recomputeAges);
    if (to === 'scheduled') {
      await enqueue(
        trx,
        'publish_article',
        { articleId, userId: actor.userId, actorName: actor.name },
        { runAt: changes.scheduled_at!, uniqueKey: `publish:${articleId}` },
      );
    }
    if (row.status === 'scheduled' && to !== 'published') await cancel(trx, `publish:${articleId}`);
    if (to === 'published' || to === 'unpublished' || to === 'scheduled') {
      await recordAudit(trx, {
        userId: actor.userId,
        actorName: actor.name,
        action: `article.${to}`,
        subjectType: 'article',
        subjectId: articleId,
        details: {
          title: row.title,
          from: row.status,
          ...(to === 'scheduled' ? { at: changes.scheduled_at } : {}),
          ...(recomputeAges ? { agesRecomputed: true } : {}),
        },
      });
    }
    await this.notify(trx, { ...row, status: to }, facts, to, actor.name, note, actor.personId);
    await drafts.articleChanged(trx, articleId);
  }

  /** Publishes a scheduled article (run by the job queue). Does nothing if it was unscheduled meanwhile. */
  async publishScheduled(payload: { articleId: string; userId: string | null; actorName: string }): Promise<void> {
    const row = await drafts.findArticle(this.db, payload.articleId);
    if (!row || row.status !== 'scheduled') return;
    const now = nowIso();
    const facts = { status: row.status, sectionId: row.section_id, authorIds: await drafts.authorIdsOf(this.db, row.id), editorIds: [] };
    let refused = false;
    await this.db.transaction().execute(async (trx) => {
      const tdb = trx as unknown as Db;
      // A guardian may have withdrawn consent since it was scheduled: the article goes back to the approved pile instead.
      const withoutConsent = await refusedWriters(tdb, facts.authorIds, dateInZone(now));
      if (withoutConsent.length > 0) {
        refused = await this.refuseScheduled(tdb, row, payload, withoutConsent, now);
        return;
      }
      const publishedAt = row.published_at ?? now;
      const changes = { status: 'published' as const, published_at: publishedAt, scheduled_at: null, updated_at: now };
      if (!(await drafts.updateArticle(trx, row.id, changes, { status: 'scheduled' }))) return;
      await repo.insertEvent(trx, {
        id: newId(),
        article_id: row.id,
        user_id: payload.userId,
        actor_name: `${payload.actorName} (scheduled)`,
        from_status: 'scheduled',
        to_status: 'published',
        note: '',
        created_at: now,
      });
      await this.freezeAges(tdb, row.id, publishedAt);
      await recordAudit(trx, {
        userId: payload.userId,
        actorName: payload.actorName,
        action: 'article.published',
        subjectType: 'article',
        subjectId: row.id,
        details: { title: row.title, scheduled: true },
      });
      await this.notify(tdb, { ...row, status: 'published' }, facts, 'published', payload.actorName, '');
      await drafts.articleChanged(tdb, row.id);
    });
    if (refused) return;
    await this.deps.contentChanged(cacheKeys.publicationKeys(row.id, await cacheKeys.listingKeysOf(this.db, row.id)));
  }

  /** A scheduled article whose writer lacks a guardian's consent on the day: back to approved, with the reason on its timeline. */
  private async refuseScheduled(
    trx: Db,
    row: ArticleRow,
    payload: { userId: string | null; actorName: string },
    writers: { name: string }[],
    now: string,
  ): Promise<boolean> {
    const changes = { status: 'approved' as const, scheduled_at: null, updated_at: now };
    if (!(await drafts.updateArticle(trx, row.id, changes, { status: 'scheduled' }))) return false;
    const names = writers.map((w) => w.name).join(', ');
    await repo.insertEvent(trx, {
      id: newId(),
      article_id: row.id,
      user_id: payload.userId,
      actor_name: `${payload.actorName} (scheduled)`,
      from_status: 'scheduled',
      to_status: 'approved',
      note: `Not published: no guardian’s consent on record for ${names}.`,
      created_at: now,
    });
    await recordAudit(trx, {
      userId: payload.userId,
      actorName: payload.actorName,
      action: 'article.publish_refused',
      subjectType: 'article',
      subjectId: row.id,
      details: { title: row.title, reason: 'guardian_consent', writers: names },
    });
    await drafts.articleChanged(trx, row.id);
    return true;
  }

  /** Emails about a move go through the job queue, in the same transaction as the move. */
  private async notify(
    db: Db,
    row: ArticleRow,
    facts: ArticleFacts,
    to: ArticleStatus,
    actorName: string,
    note: string,
    actorPersonId?: string,
  ) {
    let recipients: string[] = [];
    let subject = '';
    let lines: string[] = [];
    const editUrl = `${this.deps.site.siteUrl}/newsroom/articles/${row.id}`;
    if (to === 'submitted') {
      recipients = await peopleLookups.peopleWithRole(db, ['section_editor'], todayUtc(), row.section_id);
      if (recipients.length === 0) recipients = await peopleLookups.peopleWithRole(db, ['editor_in_chief', 'managing_editor'], todayUtc());
      subject = `Submitted for review: ${row.title}`;
      lines = [`${actorName} submitted “${row.title}” for review.`];
    } else if (to === 'changes_requested' || to === 'approved') {
      recipients = facts.authorIds;
      subject = to === 'approved' ? `Approved: ${row.title}` : `Changes requested: ${row.title}`;
      lines = [
        to === 'approved' ? `${actorName} approved “${row.title}”.` : `${actorName} asked for changes to “${row.title}”.`,
        ...(note ? [`Their note: ${note}`] : []),
      ];
    } else if (to === 'published') {
      recipients = facts.authorIds;
      subject = `Published: ${row.title}`;
      lines = [`“${row.title}” is published. Congratulations!`];
    } else {
      return;
    }
    const people = await peopleLookups.emailsOfPeople(db, recipients);
    for (const person of people) {
      const link = to === 'published' ? `${this.deps.site.siteUrl}/articles/${row.slug}` : editUrl;
      const message = renderEmail(this.deps.site, {
        subject,
        paragraphs: [`Hello ${person.name.split(' ')[0]},`, ...lines],
        action: { label: to === 'published' ? 'Read it' : 'Open the article', url: link },
      });
      await enqueue(db, 'send_email', { to: person.email, ...message });
    }
    if (to === 'approved')
      await this.notifyPublishers(db, row, actorName, note, [...recipients, ...(actorPersonId ? [actorPersonId] : [])]);
  }

  /** An approved article waits for a publisher: the editor-in-chief and managing editor hear of it (not the approver, not the authors again). */
  private async notifyPublishers(db: Db, row: ArticleRow, actorName: string, note: string, alreadyKnow: string[]) {
    const publishers = (await peopleLookups.peopleWithRole(db, ['editor_in_chief', 'managing_editor'], todayUtc())).filter(
      (id) => !alreadyKnow.includes(id),
    );
    const subject = `Ready to publish: ${row.title}`;
    for (const person of await peopleLookups.emailsOfPeople(db, publishers)) {
      const message = renderEmail(this.deps.site, {
        subject,
        paragraphs: [
          `Hello ${person.name.split(' ')[0]},`,
          `${actorName} approved “${row.title}”. It is ready to publish or schedule.`,
          ...(note ? [`Their note: ${note}`] : []),
        ],
        action: { label: 'Open the article', url: `${this.deps.site.siteUrl}/newsroom/articles/${row.id}` },
      });
      await enqueue(db, 'send_email', { to: person.email, ...message });
    }
  }

  async chooseEditorsPick(actor: Actor, articleId: string): Promise<void> {
    if (!isChief(actor)) throw new ForbiddenError('The editor-in-chief and mentors choose the editor’s pick.');
    const row = await drafts.findArticle(this.db, articleId);
    if (!row || row.status !== 'published') throw new BadRequestError('Only a published article can be the editor’s pick.');
    await this.db.transaction().execute(async (trx) => {
      await setSetting(trx, 'editors_pick_article_id', articleId);
      await recordAudit(trx, {
        userId: actor.userId,
        actorName: actor.name,
        action: 'article.editors_pick',
        subjectType: 'article',
        subjectId: articleId,
        details: { title: row.title },
      });
    });
    // Only the home page shows the editor's pick.
    await this.deps.contentChanged([HOME]);
  }

  async comment(actor: Actor, articleId: string, body: string, parentId: string | null): Promise<void> {
    const { facts } = await this.facts(articleId);
    if (!canComment(actor, facts)) throw new ForbiddenError('Only the writers and editors of this article can comment on it.');
    const text = body.trim();
    if (text === '') throw new BadRequestError('Write something first.', 'empty_comment');
    if (text.length > 5000) throw new BadRequestError('Keep comments under 5,000 characters.', 'comment_too_long');
    if (parentId) {
      const comments = await repo.commentsOf(this.db, articleId);
      if (!comments.some((c) => c.id === parentId)) throw new BadRequestError('That comment no longer exists.');
    }
    const commentId = newId();
    await this.db.transaction().execute(async (trx) => {
      await repo.insertComment(trx, {
        id: commentId,
        article_id: articleId,
        parent_id: parentId,
        user_id: actor.userId,
        author_name: actor.name,
        body: text,
        created_at: nowIso(),
      });
      await recordAudit(trx, {
        userId: actor.userId,
        actorName: actor.name,
        action: 'comment.added',
        subjectType: 'article',
        subjectId: articleId,
        details: { title: (await drafts.findArticle(trx, articleId))?.title ?? '', commentId, ...(parentId ? { reply: true } : {}) },
      });
    });
  }

  /** The dashboard's lists. */
  async dashboard(actor: Actor) {
    const reviewSections = actor.roles.filter((r) => r.role === 'section_editor' && r.sectionId).map((r) => r.sectionId!);
    const all = isChief(actor);
    const visibleTo = { personId: actor.personId, sectionIds: reviewSections, all };
    const [myDrafts, changesRequested, waiting, approved, scheduled, recentlyPublished] = await Promise.all([
      drafts.listDesk(this.db, { authorId: actor.personId, statuses: ['draft'] }, 20, 0),
      drafts.listDesk(this.db, { authorId: actor.personId, statuses: ['changes_requested'] }, 20, 0),
      all || reviewSections.length
        ? drafts.listDesk(this.db, { statuses: ['submitted', 'in_review'], ...(all ? {} : { sectionIds: reviewSections }) }, 20, 0)
        : Promise.resolve({ rows: [], more: false }),
      // Approved articles wait for those who may publish them.
      all ? drafts.listDesk(this.db, { statuses: ['approved'] }, 20, 0) : Promise.resolve(null),
      drafts.listDesk(this.db, { statuses: ['scheduled'], visibleTo }, 20, 0),
      drafts.listDesk(this.db, { statuses: ['published'], visibleTo }, 10, 0),
    ]);
    return {
      myDrafts: myDrafts.rows,
      changesRequested: changesRequested.rows,
      waiting: waiting.rows,
      ...(approved ? { approved: approved.rows } : {}),
      scheduled: scheduled.rows,
      recentlyPublished: recentlyPublished.rows,
    };
  }

  async list(
    actor: Actor,
    filter: { status?: ArticleStatus; sectionId?: string; authorId?: string; q?: string },
    page: number,
    pageSize = 25,
  ) {
    const reviewSections = actor.roles.filter((r) => r.role === 'section_editor' && r.sectionId).map((r) => r.sectionId!);
    return drafts.listDesk(
      this.db,
      {
        ...(filter.status ? { statuses: [filter.status] } : {}),
        ...(filter.sectionId ? { sectionIds: [filter.sectionId] } : {}),
        ...(filter.authorId ? { authorId: filter.authorId } : {}),
        ...(filter.q ? { q: filter.q } : {}),
        visibleTo: { personId: actor.personId, sectionIds: reviewSections, all: isChief(actor) },
      },
      pageSize,
      (page - 1) * pageSize,
    );
  }
}

function isAuthorOnly(actor: Actor, facts: ArticleFacts): boolean {
  return (
    facts.authorIds.includes(actor.personId) &&
    !isChief(actor) &&
    !actor.roles.some((r) => r.role === 'section_editor' && r.sectionId === facts.sectionId)
  );
}
