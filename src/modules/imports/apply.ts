// The import engine: takes the items a reader (WordPress, Ghost) produces and
// writes each through the module that owns its tables (people, articles,
// static pages, redirects, media, newsroom, newsletter), in a transaction per
// batch. The ledger (import_items) remembers what each item became and its
// checksum, so a second run updates what changed, skips what did not, and an
// interrupted run is finished by running it again. A dry run does the same work
// in one transaction that is rolled back, and stores no picture.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Transaction } from 'kysely';
import type { Db } from '../../db/database.js';
import { nowIso } from '../../db/database.js';
import type { ArticleStatus, Database } from '../../db/schema.js';
import { newId } from '../../lib/ids.js';
import { countDocWords } from '../../lib/plain-text.js';
import { richDocSchema, type RichNode } from '../../lib/rich-text.js';
import { slugify } from '../../lib/slug.js';
import { BodyFigure, drafts, renderBody } from '../articles/index.js';
import { storePicture, type MediaStorage } from '../media/index.js';
import { recordImportedArticle } from '../newsroom/index.js';
import { importPerson } from '../people/index.js';
import { normaliseRedirectPath, RedirectRefused, setRedirect } from '../redirects/index.js';
import { importPage } from '../static-pages/index.js';
import { findEntries, findEntry, recordEntry, type LedgerEntry } from './ledger.js';
import { applyMember } from './members.js';
import type { ImportItem, ImportSource, ImportedPerson, ImportedPost, ImportedTerm, PictureRef } from './model.js';
import type { ImportReport, Outcome, ReportItem } from './report.js';

type Trx = Transaction<Database>;

/** Changes when the engine writes items differently, so that a re-run rewrites them. */
const ENGINE_VERSION = 'engine-1';

export const DEFAULT_BATCH_SIZE = 100;

export interface ApplyOptions {
  db: Db;
  /** Where pictures go; null leaves every picture out (with a warning). */
  media: MediaStorage | null;
  report: ImportReport;
  dryRun?: boolean;
  batchSize?: number;
  /** Called after each batch with the number of items handled so far. */
  onProgress?: (done: number) => void;
  /** For Ghost members: the newsletter they join (the first one when not given). */
  newsletterSlug?: string;
}

/** The ledger's name for an import's origin: the format and the old site's address. */
export function ledgerSource(source: ImportSource): string {
  return `${source.format}:${source.siteUrl}`;
}

const FORMAT_NAMES: Record<ImportSource['format'], string> = { wordpress: 'WordPress', ghost: 'Ghost' };

/**
 * A stable checksum of an item as read: the same item read twice gives the same
 * one. A picture counts by whether its file was found, not where, so the same
 * uploads copied elsewhere change nothing.
 */
export function checksumOf(item: ImportItem): string {
  const text = JSON.stringify(item, (key, value: unknown) => (key === 'file' ? value !== null : value));
  return createHash('sha256').update(ENGINE_VERSION).update(text).digest('hex');
}

const hashed = (value: string) => createHash('sha256').update(value.trim().toLowerCase()).digest('hex').slice(0, 32);

/** The ledger keys a person is known by: the source's id, and its login and email (the email only hashed). */
function personKeys(person: ImportedPerson): string[] {
  return [
    person.sourceId,
    ...(person.login ? [`login:${person.login.toLowerCase()}`] : []),
    ...(person.email ? [`email:${hashed(person.email)}`] : []),
  ];
}

interface Plan {
  item: ImportItem;
  checksum: string;
  kind: string;
  sourceId: string;
  title?: string;
  entry: LedgerEntry | undefined;
  /** 'unchanged' is settled before the transaction; the others are decided while writing. */
  unchanged: boolean;
  warnings: string[];
  /** The body with its pictures' media ids filled in (posts). */
  doc?: RichNode;
  hero?: { mediaId: string; alt: string; caption: string } | null;
  photoMediaId?: string | null;
}

class DryRunRollback extends Error {}

/** What the engine remembers between batches: what people and terms became here. */
interface State {
  source: string;
  format: string;
  people: Map<string, string>;
  sections: Map<string, { id: string; slug: string }>;
  tags: Map<string, { slug: string; name: string }>;
  pictures: Map<string, { mediaId: string } | { problem: string }>;
  defaultSectionId: string | null;
}

export async function applyImport(
  source: ImportSource,
  items: AsyncIterable<ImportItem> | Iterable<ImportItem>,
  options: ApplyOptions,
): Promise<ImportReport> {
  const { db, report } = options;
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  const state: State = {
    source: ledgerSource(source),
    format: FORMAT_NAMES[source.format],
    people: new Map(),
    sections: new Map(),
    tags: new Map(),
    pictures: new Map(),
    defaultSectionId: null,
  };

  const run = async (exec: Db | Trx, dryRun: boolean) => {
    let batch: ImportItem[] = [];
    for await (const item of items) {
      batch.push(item);
      if (batch.length >= batchSize) {
        await flush(exec, dryRun, batch, state, options);
        batch = [];
        options.onProgress?.(report.done);
      }
    }
    if (batch.length > 0) await flush(exec, dryRun, batch, state, options);
    options.onProgress?.(report.done);
  };

  try {
    if (options.dryRun) {
      await db
        .transaction()
        .execute(async (trx) => {
          await run(trx, true);
          throw new DryRunRollback();
        })
        .catch((error: unknown) => {
          if (!(error instanceof DryRunRollback)) throw error;
        });
    } else await run(db, false);
    report.finish();
  } catch (error) {
    report.finish(error instanceof Error ? error.message : String(error));
    throw error;
  }
  return report;
}

async function flush(exec: Db | Trx, dryRun: boolean, batch: ImportItem[], state: State, options: ApplyOptions): Promise<void> {
  const plans = await plan(exec, batch, state);
  for (const p of plans) if (!p.unchanged) await preparePictures(p, state, options, dryRun);
  const done: ReportItem[] = [];
  const write = async (trx: Trx) => {
    for (const p of plans) done.push(await applyOne(trx, p, state, options));
  };
  if (dryRun) await write(exec as Trx);
  else await options.db.transaction().execute(write);
  // Reported once the batch is committed: a batch rolled back reports nothing.
  for (const item of done) options.report.add(item);
}

function describe(item: ImportItem): { kind: string; sourceId: string; title?: string } {
  switch (item.type) {
    case 'person':
      return { kind: 'person', sourceId: item.person.sourceId, title: item.person.name };
    case 'section':
      return { kind: 'section', sourceId: item.term.sourceId, title: item.term.name };
    case 'tag':
      return { kind: 'tag', sourceId: item.term.sourceId, title: item.term.name };
    case 'post':
      return { kind: item.post.kind, sourceId: item.post.sourceId, title: item.post.title };
    case 'member':
      return { kind: 'subscriber', sourceId: item.member.sourceId };
    case 'skipped':
      return { kind: item.kind, sourceId: item.sourceId };
  }
}

/** Reads the ledger for a batch: which items are new, which changed, which are as last imported. */
async function plan(exec: Db | Trx, batch: ImportItem[], state: State): Promise<Plan[]> {
  const byKind = new Map<string, string[]>();
  for (const item of batch) {
    const d = describe(item);
    if (item.type === 'skipped' || item.type === 'member' || item.type === 'person') continue;
    byKind.set(d.kind, [...(byKind.get(d.kind) ?? []), d.sourceId]);
  }
  const entries = new Map<string, Map<string, LedgerEntry>>();
  for (const [kind, ids] of byKind) entries.set(kind, await findEntries(exec, state.source, kind, ids));
  const plans: Plan[] = [];
  for (const item of batch) {
    const d = describe(item);
    const checksum = checksumOf(item);
    let entry: LedgerEntry | undefined;
    if (item.type === 'person') {
      for (const key of personKeys(item.person)) {
        entry = await findEntry(exec, state.source, 'person', key);
        if (entry) break;
      }
    } else entry = entries.get(d.kind)?.get(d.sourceId);
    let unchanged = entry !== undefined && entry.checksum === checksum;
    // An article deleted here since the last run is made again.
    if (unchanged && item.type === 'post' && item.post.kind === 'article' && !(await drafts.findArticle(exec, entry!.targetId)))
      unchanged = false;
    if (unchanged) remember(item, entry!, state);
    plans.push({ item, checksum, ...d, entry, unchanged, warnings: [] });
  }
  return plans;
}

/** What an unchanged item became, for the items after it that refer to it. */
function remember(item: ImportItem, entry: LedgerEntry, state: State): void {
  if (item.type === 'person') for (const key of personKeys(item.person)) state.people.set(key, entry.targetId);
  if (item.type === 'section') state.sections.set(item.term.sourceId, { id: entry.targetId, slug: item.term.slug });
  if (item.type === 'tag') state.tags.set(item.term.sourceId, { slug: item.term.slug, name: item.term.name });
}

/** A picture's file name, for notes and warnings. */
function fileName(ref: Pick<PictureRef, 'url'>): string {
  try {
    const name = new URL(ref.url, 'http://relative.invalid').pathname.split('/').filter(Boolean).pop();
    return name ? decodeURIComponent(name) : ref.url;
  } catch {
    return ref.url;
  }
}

/**
 * Stores a picture through the media library (content checks, metadata
 * stripped, variants queued; the same bytes are stored once). In a dry run,
 * only whether the file is there. Returns the media id, or why it could not.
 */
async function storeRef(
  ref: PictureRef,
  state: State,
  options: ApplyOptions,
  dryRun: boolean,
): Promise<{ mediaId: string } | { problem: string }> {
  if (!ref.file) return { problem: `${fileName(ref)} is not in the uploads directory (--uploads)` };
  const cached = state.pictures.get(ref.file);
  if (cached) return cached;
  let result: { mediaId: string } | { problem: string };
  if (dryRun || !options.media) {
    result = options.media || dryRun ? { mediaId: '' } : { problem: `${fileName(ref)}: no media directory` };
  } else {
    const alt =
      ref.alt.trim() ||
      ref.caption.trim() ||
      fileName(ref)
        .replace(/\.[a-z0-9]+$/i, '')
        .replace(/[-_]+/g, ' ');
    try {
      const bytes = await readFile(ref.file);
      const picture = await storePicture(options.db, options.media, bytes, {
        alt,
        caption: ref.caption,
        ...(ref.credit ? { creditCreator: ref.credit } : {}),
      });
      result = { mediaId: picture.id };
    } catch (error) {
      result = { problem: `${fileName(ref)} could not be stored: ${error instanceof Error ? error.message : String(error)}` };
    }
  }
  if (state.pictures.size < 50_000) state.pictures.set(ref.file, result);
  return result;
}

const note = (text: string): RichNode => ({ type: 'paragraph', content: [{ type: 'text', text }] });

async function preparePictures(p: Plan, state: State, options: ApplyOptions, dryRun: boolean): Promise<void> {
  if (p.item.type === 'person' && p.item.person.photo) {
    const stored = await storeRef(p.item.person.photo, state, options, dryRun);
    if ('problem' in stored) p.warnings.push(`Profile photo not imported: ${stored.problem}.`);
    p.photoMediaId = 'mediaId' in stored && stored.mediaId ? stored.mediaId : null;
  }
  if (p.item.type !== 'post') return;
  const post = p.item.post;
  const refs = new Map(post.pictures.map((r) => [r.url, r]));
  const missing = (name: string) => `[Picture not imported: ${name}]`;
  const walk = async (node: RichNode): Promise<RichNode> => {
    if (node.type === 'figure') {
      const attrs = { ...(node.attrs ?? {}) };
      const src = typeof attrs.src === 'string' ? attrs.src : '';
      delete attrs.src;
      const ref = refs.get(src) ?? {
        url: src,
        file: null,
        alt: typeof attrs.alt === 'string' ? attrs.alt : '',
        caption: typeof attrs.caption === 'string' ? attrs.caption : '',
      };
      const stored = await storeRef(ref, state, options, dryRun);
      if ('problem' in stored) {
        p.warnings.push(`Picture not imported: ${stored.problem}; the body says so where it was.`);
        return note(missing(fileName(ref)));
      }
      return { ...node, attrs: { ...attrs, mediaId: stored.mediaId } };
    }
    if (!node.content) return node;
    const content: RichNode[] = [];
    for (const child of node.content) content.push(await walk(child));
    return { ...node, content };
  };
  p.doc = await walk(post.doc);
  if (post.hero) {
    const stored = await storeRef(post.hero, state, options, dryRun);
    if ('problem' in stored) {
      p.warnings.push(`Featured picture not imported: ${stored.problem}.`);
      p.hero = null;
    } else p.hero = { mediaId: stored.mediaId, alt: post.hero.alt, caption: post.hero.caption };
    if (!post.hero.alt.trim())
      p.warnings.push(`The featured picture ${fileName(post.hero)} had no alt text on the old site: describe it in the media library.`);
  }
}

async function applyOne(trx: Trx, p: Plan, state: State, options: ApplyOptions): Promise<ReportItem> {
  const base = { kind: p.kind, sourceId: p.sourceId, ...(p.title ? { title: p.title } : {}) };
  const { item } = p;
  if (item.type === 'skipped') return { ...base, outcome: 'skipped', reason: item.reason, warnings: [] };
  if (item.type === 'member') {
    const result = await applyMember(trx, item.member, {
      source: state.source,
      dryRun: options.dryRun === true,
      ...(options.newsletterSlug ? { newsletterSlug: options.newsletterSlug } : {}),
    });
    return { ...base, outcome: result.outcome, ...(result.reason ? { reason: result.reason } : {}), warnings: [] };
  }
  if (p.unchanged) {
    if (item.type === 'post' && item.post.featured) options.report.summary.editorsPickCandidates.push(item.post.title);
    return { ...base, outcome: 'unchanged', warnings: [] };
  }
  const now = nowIso();
  let outcome: Outcome;
  let address: string;
  switch (item.type) {
    case 'person':
      ({ outcome, address } = await applyPerson(trx, p, item.person, state, now));
      break;
    case 'section':
    case 'tag':
      ({ outcome, address } = await applyTerm(trx, p, item.type, item.term, state, now));
      break;
    case 'post': {
      const checked = richDocSchema.safeParse(p.doc ?? item.post.doc);
      if (!checked.success)
        return {
          ...base,
          outcome: 'failed',
          reason: `Its body could not be converted: ${checked.error.issues[0]?.message}`,
          warnings: p.warnings,
        };
      p.doc = checked.data;
      ({ outcome, address } =
        item.post.kind === 'page'
          ? await applyPage(trx, p, item.post, state, now)
          : await applyArticle(trx, p, item.post, state, now, options));
      break;
    }
  }
  return { ...base, outcome, address, warnings: [...(item.type === 'post' ? item.post.warnings : []), ...p.warnings] };
}

/** Makes each old address lead to the new one; a refused one (a loop, an address of this site's own) is a warning. */
async function redirect(trx: Trx, p: Plan, oldPaths: string[], to: string, state: State): Promise<void> {
  for (const from of oldPaths) {
    if (normaliseRedirectPath(from) === to) continue;
    try {
      const result = await setRedirect(trx, { from, to, source: state.format.toLowerCase() });
      if (result === 'kept') p.warnings.push(`${from} keeps the redirect set by hand in the newsroom.`);
    } catch (error) {
      if (!(error instanceof RedirectRefused)) throw error;
      p.warnings.push(`No redirect from ${from}: ${error.message}`);
    }
  }
}

async function applyPerson(trx: Trx, p: Plan, person: ImportedPerson, state: State, now: string) {
  const saved = await importPerson(trx, {
    id: p.entry?.targetId ?? null,
    name: person.name,
    slug: person.slug,
    bio: person.bio,
    location: person.location,
    photoMediaId: p.photoMediaId ?? null,
    now,
  });
  for (const key of personKeys(person)) {
    state.people.set(key, saved.id);
    await recordEntry(trx, state.source, { kind: 'person', sourceId: key, targetId: saved.id, checksum: p.checksum }, now);
  }
  const address = `/people/${saved.slug}`;
  await redirect(trx, p, person.oldPaths, address, state);
  return { outcome: (saved.created ? 'created' : 'updated') as Outcome, address };
}

async function sectionFor(
  trx: Trx,
  term: ImportedTerm,
  state: State,
  now: string,
): Promise<{ id: string; slug: string; created: boolean }> {
  const known = state.sections.get(term.sourceId);
  if (known) return { ...known, created: false };
  const entry = await findEntry(trx, state.source, 'section', term.sourceId);
  const slug = entry ? await drafts.sectionSlugOf(trx, entry.targetId) : undefined;
  const section = slug
    ? { id: entry!.targetId, slug, created: false }
    : await drafts.ensureSection(trx, {
        id: newId(),
        slug: slugify(term.slug, slugify(term.name, 'section')),
        name: term.name,
        description: term.description ?? '',
        now,
      });
  state.sections.set(term.sourceId, { id: section.id, slug: section.slug });
  return section;
}

async function applyTerm(trx: Trx, p: Plan, type: 'section' | 'tag', term: ImportedTerm, state: State, now: string) {
  let targetId: string;
  let address: string;
  let created: boolean;
  if (type === 'section') {
    state.sections.delete(term.sourceId);
    const section = await sectionFor(trx, term, state, now);
    ({ id: targetId, created } = section);
    address = `/sections/${section.slug}`;
  } else {
    const slug = slugify(term.slug, slugify(term.name, 'tag'));
    const tag = await drafts.ensureTag(trx, { id: newId(), slug, name: term.name });
    created = !p.entry;
    targetId = tag.id;
    state.tags.set(term.sourceId, { slug: tag.slug, name: term.name });
    address = `/tags/${tag.slug}`;
  }
  await recordEntry(trx, state.source, { kind: type, sourceId: term.sourceId, targetId, checksum: p.checksum }, now);
  await redirect(trx, p, term.oldPaths, address, state);
  return { outcome: (created || !p.entry ? 'created' : 'updated') as Outcome, address };
}

async function defaultSection(trx: Trx, state: State, now: string): Promise<string> {
  state.defaultSectionId ??=
    (await drafts.firstSectionId(trx)) ??
    (await drafts.ensureSection(trx, { id: newId(), slug: 'news', name: 'News', description: '', now })).id;
  return state.defaultSectionId;
}

async function personIdFor(trx: Trx, sourceId: string, state: State): Promise<string | undefined> {
  const known = state.people.get(sourceId);
  if (known) return known;
  const entry = await findEntry(trx, state.source, 'person', sourceId);
  if (entry) state.people.set(sourceId, entry.targetId);
  return entry?.targetId;
}

async function applyArticle(trx: Trx, p: Plan, post: ImportedPost, state: State, now: string, options: ApplyOptions) {
  const existing = p.entry ? await drafts.findArticle(trx, p.entry.targetId) : undefined;
  const sectionId = post.section ? (await sectionFor(trx, post.section, state, now)).id : await defaultSection(trx, state, now);
  const authorIds: string[] = [];
  for (const sourceId of post.authorSourceIds) {
    const id = await personIdFor(trx, sourceId, state);
    if (id && !authorIds.includes(id)) authorIds.push(id);
    if (!id) p.warnings.push(`The author ${sourceId} is not in the export: left off the byline.`);
  }
  const doc = p.doc!;
  const bodyHtml = await renderBody(trx, doc, (picture, attrs) => BodyFigure({ picture, ...attrs }));
  // An article keeps the address it was given, whatever the old site's slug became since.
  const slug = existing ? existing.slug : await drafts.uniqueArticleSlug(trx, post.slug);
  if (!existing && slug !== post.slug)
    p.warnings.push(`Another article already has the address /articles/${post.slug}: this one is at /articles/${slug}.`);
  // An article published here is never taken down by an import.
  let status: ArticleStatus = post.status;
  if (existing?.status === 'published' && status !== 'published') {
    status = 'published';
    p.warnings.push('Published here already: left published, though the old site no longer has it published.');
  }
  const publishedAt = status === 'published' ? (post.publishedAt ?? existing?.published_at ?? now) : null;
  const scheduledAt = status === 'scheduled' ? (post.publishedAt ?? now) : null;
  const hero = p.hero && p.hero.mediaId ? p.hero : null;
  const fields = {
    slug,
    status,
    title: post.title,
    dek: post.dek,
    section_id: sectionId,
    hero_media_id: hero?.mediaId ?? null,
    hero_caption: hero?.caption ?? '',
    hero_alt: hero?.alt ?? '',
    access: post.access,
    body_json: JSON.stringify(doc),
    body_html: bodyHtml,
    word_count: countDocWords(doc),
    published_at: publishedAt,
    scheduled_at: scheduledAt,
  };
  const revision = (articleId: string, version: number) => ({
    id: newId(),
    article_id: articleId,
    version,
    kind: 'save' as const,
    user_id: null,
    author_name: `Import from ${state.format}`,
    title: post.title,
    dek: post.dek,
    body_json: fields.body_json,
    fields: JSON.stringify({ sectionId, access: post.access, slug }),
    created_at: now,
    updated_at: now,
  });
  let id: string;
  if (existing) {
    id = existing.id;
    await drafts.updateArticle(trx, id, { ...fields, version: existing.version + 1, updated_at: now });
    await drafts.insertRevision(trx, revision(id, existing.version + 1));
    await drafts.replaceAuthors(trx, id, authorIds);
  } else {
    const stamp = post.publishedAt ? Date.parse(post.publishedAt) : Date.now();
    id = newId(Number.isNaN(stamp) ? Date.now() : stamp);
    const created = post.publishedAt ?? now;
    await drafts.createDraft(trx, {
      article: { id, ...fields, created_at: created < now ? created : now, updated_at: created < now ? created : now },
      authorIds,
      revision: revision(id, 1),
    });
  }
  await drafts.replaceTags(
    trx,
    id,
    post.tags.map((t) => {
      const known = state.tags.get(t.sourceId);
      return { id: newId(), slug: known?.slug ?? slugify(t.slug, slugify(t.name, 'tag')), name: known?.name ?? t.name };
    }),
  );
  const notes = [
    existing ? `Updated from ${state.format}.` : `Imported from ${state.format}.`,
    post.note,
    ...(post.warnings.length + p.warnings.length > 0 ? [`Check: ${[...post.warnings, ...p.warnings].join(' ')}`] : []),
  ];
  await recordImportedArticle(trx, {
    articleId: id,
    from: existing ? existing.status : state.format,
    to: status,
    actorName: `Import from ${state.format}`,
    note: notes.filter(Boolean).join(' '),
    scheduledAt,
    now,
  });
  await drafts.articleChanged(trx, id);
  const address = `/articles/${slug}`;
  // A draft's old address does not give its new one away; a scheduled article's leads there once it is out.
  if (status === 'published' || status === 'scheduled') await redirect(trx, p, post.oldPaths, address, state);
  if (post.featured) options.report.summary.editorsPickCandidates.push(post.title);
  await recordEntry(trx, state.source, { kind: 'article', sourceId: post.sourceId, targetId: id, checksum: p.checksum }, now);
  return { outcome: (existing ? 'updated' : 'created') as Outcome, address };
}

async function applyPage(trx: Trx, p: Plan, post: ImportedPost, state: State, now: string) {
  const status = post.status === 'published' ? 'published' : 'draft';
  const saved = await importPage(trx, {
    id: p.entry?.targetId ?? null,
    slug: post.slug,
    title: post.title,
    dek: post.dek,
    doc: p.doc!,
    status,
    publishedAt: status === 'published' ? post.publishedAt : null,
  });
  if (post.status !== 'published' && post.status !== 'draft')
    p.warnings.push(`The old site had it ${post.status}: it is a draft page here.`);
  if (saved.slug !== post.slug) p.warnings.push(`The address /${post.slug} is taken here: the page is at /${saved.slug}.`);
  const address = `/${saved.slug}`;
  if (status === 'published') await redirect(trx, p, post.oldPaths, address, state);
  await recordEntry(trx, state.source, { kind: 'page', sourceId: post.sourceId, targetId: saved.id, checksum: p.checksum }, now);
  return { outcome: (p.entry ? 'updated' : 'created') as Outcome, address };
}
