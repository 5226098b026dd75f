// Generated data for the scale benchmark (bench/scale.ts): a magazine ten years
// old, with 100,000 published articles in five sections, 2,000 people, 500 tags,
// 50,000 reader accounts with 200,000 bookmarks and 200,000 newsletter
// subscribers, written into a freshly migrated database (SQLite or PostgreSQL).
//
// It is a bench, so it writes most tables directly with multi-row Kysely inserts
// in transactions (batches of at most BATCH rows: PostgreSQL takes 65,535
// parameters a statement, SQLite 32,766) rather than through the services, which
// write one row at a time. Subscriptions go through the newsletter repository's
// bulk insert. The search index is written in bulk too, as putDocument
// (src/modules/search/search.repository.ts) would write it row by row: the
// document, then SQLite's FTS5 row sharing its rowid or PostgreSQL's weighted
// tsvectors. The text is plain ASCII, which the search's folding leaves as is.
//
// The data is shaped to expose unpaginated listings: one prolific writer with
// about 3,000 articles (at 100,000), one tag on about 5,000, one reader with
// a long bookmark list, and a newsletter with every subscriber.
import { sql, PostgresAdapter, type Insertable, type Transaction } from 'kysely';
import type { Db } from '../src/db/database.js';
import type { Database, RoleName } from '../src/db/schema.js';
import { setSetting } from '../src/db/settings.js';
import { newId } from '../src/lib/ids.js';
import { countDocWords, docToText } from '../src/lib/plain-text.js';
import { renderRichText, rt, type RichNode } from '../src/lib/rich-text.js';
import { confirmedSubscription, insertSubscriptions } from '../src/modules/newsletter/newsletter.repository.js';

export interface ScaleOptions {
  articles: number;
  people: number;
  tags: number;
  readers: number;
  bookmarks: number;
  subscribers: number;
  /** Seeds the pseudo-random choices, so two runs make the same magazine. */
  seed?: number;
}

/** The full-size magazine of the benchmark. */
export const FULL_SCALE: ScaleOptions = {
  articles: 100_000,
  people: 2_000,
  tags: 500,
  readers: 50_000,
  bookmarks: 200_000,
  subscribers: 200_000,
};

/** The full-size figures scaled to `articles` (at least a handful of each). */
export function scaledOptions(articles: number, seed = 1): ScaleOptions {
  const f = articles / FULL_SCALE.articles;
  const at = (n: number, min: number) => Math.max(min, Math.round(n * f));
  return {
    articles,
    people: at(FULL_SCALE.people, 10),
    tags: at(FULL_SCALE.tags, 5),
    readers: at(FULL_SCALE.readers, 5),
    bookmarks: at(FULL_SCALE.bookmarks, 10),
    subscribers: at(FULL_SCALE.subscribers, 10),
    seed,
  };
}

/** What the generator made that a benchmark needs to build its addresses and sign in. */
export interface ScaleData {
  sectionSlugs: string[];
  sectionIds: string[];
  /** The editor-in-chief's account (a person with the role and a linked user). */
  editorUserId: string;
  editorPersonSlug: string;
  /** The reader with the longest bookmark list. */
  readerUserId: string;
  /** About 3% of the articles (3,000 at 100,000). */
  prolificPersonSlug: string;
  prolificPersonId: string;
  prolificArticles: number;
  /** About 5% of the articles (5,000 at 100,000). */
  busyTagSlug: string;
  busyTagArticles: number;
  oldestArticleSlug: string;
  newestArticleSlug: string;
  newsletterSlug: string;
  /** A draft issue of that newsletter, for the composer. */
  draftIssueId: string;
  readerBookmarks: number;
}

const BATCH = 1000;
const DAY = 86_400_000;
const SECTIONS = [
  { slug: 'news', name: 'News', description: 'What happened, checked and explained.' },
  { slug: 'culture', name: 'Culture', description: 'Books, music, film and the arts, reviewed by young critics.' },
  { slug: 'society', name: 'Society', description: 'How we live: schools, cities, families and work.' },
  { slug: 'science', name: 'Science', description: 'Discoveries, climate and technology.' },
  { slug: 'opinion', name: 'Opinion', description: 'Arguments our writers stand behind.' },
];
const FIRST = [
  'Ana',
  'Ben',
  'Chloe',
  'Dara',
  'Elif',
  'Femi',
  'Greta',
  'Hugo',
  'Ines',
  'Jonas',
  'Kemal',
  'Lena',
  'Mateo',
  'Nora',
  'Omar',
  'Priya',
];
const LAST = ['Okafor', 'Lindqvist', 'Moreau', 'Novak', 'Haddad', 'Costa', 'Fischer', 'Tanaka', 'Mensah', 'Silva', 'Kowalski', 'Rossi'];
const CITIES = ['Lyon, France', 'Porto, Portugal', 'Leeds, United Kingdom', 'Gdansk, Poland', 'Accra, Ghana', 'Valencia, Spain'];
const WORDS = (
  'city school river council budget climate youth music archive street market library election science garden ' +
  'festival report housing transport water energy museum theatre village harbour station forest summer winter ' +
  'teacher student mayor artist farmer nurse reporter neighbour family friend history future change question ' +
  'answer story evidence record plan protest vote league match season film album novel poem stage screen ' +
  'bridge tower square park road bike train bus field coast island mountain valley desert rain storm heat'
).split(' ');

/** A deterministic pseudo-random stream (a 32-bit LCG), so every run generates the same magazine. */
function random(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296;
  };
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');
const dateOnly = (ms: number) => new Date(ms).toISOString().slice(0, 10);

function* chunks<T>(rows: T[], size = BATCH): Generator<T[]> {
  for (let i = 0; i < rows.length; i += size) yield rows.slice(i, i + size);
}

async function insertAll<T extends keyof Database>(
  db: Db | Transaction<Database>,
  table: T,
  rows: Insertable<Database[T]>[],
  size = BATCH,
): Promise<void> {
  for (const part of chunks(rows, size)) await db.insertInto(table).values(part).execute();
}

/**
 * Fills a freshly migrated, empty database with the magazine `options` describes.
 * `log` hears one line per phase with its duration.
 */
export async function generateScaleData(db: Db, options: ScaleOptions, log: (line: string) => void = () => {}): Promise<ScaleData> {
  const next = random(options.seed ?? 1);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  const nowMs = Date.now();
  const now = new Date(nowMs).toISOString();
  const start = nowMs - 3652 * DAY;
  let phaseStarted = performance.now();
  const phase = (name: string) => {
    const t = performance.now();
    log(`${name} in ${((t - phaseStarted) / 1000).toFixed(1)} s`);
    phaseStarted = t;
  };
  const words = (n: number) => Array.from({ length: n }, () => pick(WORDS)).join(' ');
  const title = (n: number) => {
    const text = words(n);
    return text.charAt(0).toUpperCase() + text.slice(1);
  };

  // ---- sections, people, roles, tags, accounts of the staff ----
  const sectionIds = SECTIONS.map(() => newId(start));
  const peopleCount = Math.max(3, options.people);
  const people = Array.from({ length: peopleCount }, (_, i) => {
    const name = i === 0 ? 'Ines Okafor' : i === 1 ? 'Mateo Prolific' : `${pick(FIRST)} ${pick(LAST)}`;
    const bio = rt.doc(rt.p(`${name} writes about ${words(3)} and ${words(2)}.`));
    return {
      id: newId(start + i),
      slug: i === 0 ? 'ines-okafor' : i === 1 ? 'mateo-prolific' : `${name.toLowerCase().replace(' ', '-')}-${i}`,
      name,
      photo_media_id: null,
      // Writers between 13 and 21 at the magazine's start.
      birth_date: dateOnly(start - (13 + Math.floor(next() * 9)) * 365.25 * DAY - Math.floor(next() * 365) * DAY),
      birthplace: pick(CITIES),
      show_birthplace: i % 3 === 0 ? 1 : 0,
      locations: JSON.stringify([pick(CITIES)]),
      languages: JSON.stringify(i % 2 === 0 ? ['English'] : ['English', 'French']),
      bio_json: JSON.stringify(bio),
      bio_html: renderRichText(bio),
      user_id: null as string | null,
      created_at: now,
      updated_at: now,
    };
  });
  const editorUserId = newId(start);
  people[0]!.user_id = editorUserId;
  const roles: Insertable<Database['role_assignments']>[] = people.map((p, i) => {
    const role: RoleName =
      i === 0
        ? 'editor_in_chief'
        : i <= 5
          ? 'section_editor'
          : i === 6
            ? 'newsletter_editor'
            : i % 4 === 0
              ? 'staff_writer'
              : 'contributor';
    return {
      id: newId(start),
      person_id: p.id,
      role,
      section_id: role === 'section_editor' ? sectionIds[(i - 1) % SECTIONS.length]! : null,
      newsroom_id: null,
      starts_on: dateOnly(start + Math.floor(next() * 3000) * DAY * (i === 0 ? 0 : 1)),
      // A fifth of the contributors have moved on.
      ends_on: role === 'contributor' && i % 5 === 1 ? dateOnly(nowMs - 30 * DAY) : null,
      created_at: now,
    };
  });
  const tagCount = Math.max(2, options.tags);
  const tags = Array.from({ length: tagCount }, (_, i) => ({
    id: newId(start),
    slug: i === 0 ? 'climate' : `tag-${pad(i, 4)}`,
    name: i === 0 ? 'Climate' : `${title(1)} ${i}`,
  }));
  await db.transaction().execute(async (trx) => {
    await insertAll(
      trx,
      'sections',
      SECTIONS.map((s, position) => ({ id: sectionIds[position]!, ...s, position, created_at: now })),
    );
    await insertAll(trx, 'users', [
      {
        id: editorUserId,
        email: 'editor@scale.example',
        email_verified_at: now,
        password_hash: null,
        display_name: people[0]!.name,
        birth_year: null,
        created_at: now,
        updated_at: now,
      },
    ]);
    await insertAll(trx, 'people', people);
    await insertAll(trx, 'role_assignments', roles);
    await insertAll(trx, 'tags', tags);
  });
  phase(`${SECTIONS.length} sections, ${peopleCount} people, ${tagCount} tags`);

  // ---- articles, their authors, editors and tags, and the search index ----
  const count = options.articles;
  const prolificEvery = Math.max(1, Math.round(count / Math.max(1, Math.round(count * 0.03))));
  const busyTagEvery = 20;
  const paragraphs = Array.from({ length: 64 }, () => words(45 + Math.floor(next() * 30)) + '.');
  const articleIds: string[] = [];
  const articleSlugs: string[] = [];
  let prolificArticles = 0;
  let busyTagArticles = 0;
  const peopleById = new Map(people.map((p) => [p.id, p]));
  /** Milliseconds spent writing each kind of row, for the log. */
  const steps = new Map<string, number>();
  // PostgreSQL: the search index's GIN indexes are built once at the end, which is many times faster than
  // growing them row by row; their definitions are read back from the catalogue, so they stay the migration's.
  const ginIndexes = pg
    ? (
        await sql<{ indexname: string; indexdef: string }>`select indexname, indexdef from pg_indexes
          where schemaname = current_schema() and tablename = 'search_documents' and indexdef ilike '% using gin %'`.execute(db)
      ).rows
    : [];
  for (const index of ginIndexes) await sql`drop index ${sql.id(index.indexname)}`.execute(db);
  for (let from = 0; from < count; from += BATCH) {
    const articles: Insertable<Database['articles']>[] = [];
    const authors: Insertable<Database['article_authors']>[] = [];
    const editors: Insertable<Database['article_editors']>[] = [];
    const articleTags: Insertable<Database['article_tags']>[] = [];
    const documents: Insertable<Database['search_documents']>[] = [];
    for (let i = from; i < Math.min(count, from + BATCH); i += 1) {
      const publishedMs = start + Math.floor(((i + next() * 0.5) * (nowMs - start - DAY)) / count);
      const publishedAt = new Date(publishedMs).toISOString();
      const id = newId(publishedMs);
      const slug = `${title(3).toLowerCase().replace(/ /g, '-')}-${i}`;
      const section = i % SECTIONS.length;
      const access = i % 4 === 3 ? 'registered' : 'free';
      const blocks: RichNode[] = [];
      const paragraphCount = 6 + (i % 5);
      for (let b = 0; b < paragraphCount; b += 1) {
        if (b === 3 && i % 3 === 0) blocks.push(rt.h2(title(4)));
        if (b === 5 && i % 7 === 0) blocks.push(rt.quote(paragraphs[(i + b) % paragraphs.length]!));
        blocks.push(
          b === 1
            ? rt.p(paragraphs[(i * 7 + b) % paragraphs.length]!, ' ', rt.em(words(3)))
            : rt.p(paragraphs[(i * 7 + b) % paragraphs.length]!),
        );
      }
      const body = rt.doc(...blocks);
      const headline = title(6 + (i % 5));
      const dek = `${title(12)}.`;
      articles.push({
        id,
        slug,
        status: 'published',
        title: headline,
        dek,
        section_id: sectionIds[section]!,
        newsroom_id: null,
        hero_media_id: null,
        access,
        preview_paragraphs: null,
        body_json: JSON.stringify(body),
        body_html: renderRichText(body),
        word_count: countDocWords(body),
        published_at: publishedAt,
        version: 1,
        created_at: publishedAt,
        updated_at: publishedAt,
      });
      articleIds.push(id);
      articleSlugs.push(slug);

      const byline: string[] = [];
      if (i % prolificEvery === 0) {
        byline.push(people[1]!.id);
        prolificArticles += 1;
      } else byline.push(people[2 + Math.floor(next() * (peopleCount - 2))]!.id);
      if (i % 7 === 0) {
        const second = people[2 + Math.floor(next() * (peopleCount - 2))]!.id;
        if (!byline.includes(second)) byline.push(second);
      }
      const publicationDay = publishedAt.slice(0, 10);
      for (const [position, personId] of byline.entries()) {
        const birth = peopleById.get(personId)!.birth_date;
        const age = Number(publicationDay.slice(0, 4)) - Number(birth.slice(0, 4)) - (publicationDay.slice(5) < birth.slice(5) ? 1 : 0);
        authors.push({ article_id: id, person_id: personId, position, age_at_publication: age });
      }
      editors.push({ article_id: id, person_id: people[1 + (section % 5)]!.id, position: 0 });

      const tagIndexes = new Set<number>();
      if (i % busyTagEvery === 0) tagIndexes.add(0);
      while (tagIndexes.size < 1 + (i % 3)) tagIndexes.add(1 + Math.floor(next() * (tagCount - 1)));
      if (tagIndexes.has(0)) busyTagArticles += 1;
      for (const [position, t] of [...tagIndexes].entries()) articleTags.push({ article_id: id, tag_id: tags[t]!.id, position });

      // As search-source.ts splits it: a registered article's first paragraphs are public (the site default is 3).
      const preview = rt.doc(...blocks.slice(0, 3));
      const rest = rt.doc(...blocks.slice(3));
      documents.push({
        id: `article:${id}`,
        kind: 'article',
        slug,
        title: headline,
        dek,
        people: byline.map((p) => peopleById.get(p)!.name).join(' '),
        tags: [...tagIndexes].map((t) => tags[t]!.name).join(' '),
        section: SECTIONS[section]!.name,
        public_body: docToText(access === 'free' ? body : preview),
        gated_body: access === 'free' ? '' : docToText(rest),
        section_slug: SECTIONS[section]!.slug,
        author_slugs: byline.map((p) => peopleById.get(p)!.slug).join(' '),
        year: Number(publishedAt.slice(0, 4)),
        published_at: publishedAt,
      });
    }
    await db.transaction().execute(async (trx) => {
      const step = async (name: string, work: () => Promise<void>) => {
        const t = performance.now();
        await work();
        steps.set(name, (steps.get(name) ?? 0) + performance.now() - t);
      };
      await step('articles', () => insertAll(trx, 'articles', articles));
      await step('authors, editors, tags', async () => {
        await insertAll(trx, 'article_authors', authors);
        await insertAll(trx, 'article_editors', editors);
        await insertAll(trx, 'article_tags', articleTags);
      });
      if (!pg) {
        await step('search documents', () => insertAll(trx, 'search_documents', documents, 500));
        const ids = documents.map((d) => d.id);
        await step('search words', async () => {
          await sql`insert into search_fts (rowid, title, dek, people, tags, section, public_body, gated_body, published_at)
            select key, title, dek, people, tags, section, public_body, gated_body, published_at
            from search_documents where id in (${sql.join(ids)})`.execute(trx);
        });
      } else {
        // The documents as one JSON parameter, their tsvectors made as they are inserted: an update
        // afterwards would write every row twice.
        await step('search documents and words', async () => {
          for (const part of chunks(documents, 500)) {
            await sql`insert into search_documents (id, kind, slug, title, dek, people, tags, section, public_body, gated_body,
                section_slug, author_slugs, year, published_at, public_tsv, full_tsv)
              select id, kind, slug, title, dek, people, tags, section, public_body, gated_body,
                section_slug, author_slugs, year, published_at, tsv, tsv || setweight(to_tsvector('simple', gated_body), 'D')
              from (
                select d.id, d.kind, d.slug, d.title, d.dek, d.people, d.tags, d.section, d.public_body, d.gated_body,
                  d.section_slug, d.author_slugs, d.year, d.published_at, setweight(to_tsvector('simple', d.title), 'A') || setweight(to_tsvector('simple', d.dek), 'B')
                  || setweight(to_tsvector('simple', d.people || ' ' || d.tags || ' ' || d.section), 'C')
                  || setweight(to_tsvector('simple', d.public_body), 'D') as tsv
                from json_populate_recordset(null::search_documents, ${JSON.stringify(part)}::json) as d
              ) as docs`.execute(trx);
          }
        });
      }
    });
    if ((from / BATCH) % 20 === 19) log(`  ${from + BATCH} articles…`);
  }
  if (ginIndexes.length > 0) {
    const t = performance.now();
    await db.transaction().execute(async (trx) => {
      await sql`set local maintenance_work_mem = '256MB'`.execute(trx);
      for (const index of ginIndexes) await sql.raw(index.indexdef).execute(trx);
    });
    steps.set('search indexes', performance.now() - t);
  }
  await db.transaction().execute(async (trx) => {
    await setSetting(trx, 'editors_pick_article_id', articleIds[articleIds.length - 2] ?? articleIds[0]!);
    await setSetting(trx, 'featured_person_id', people[1]!.id);
  });
  log(`  writing: ${[...steps].map(([name, t]) => `${name} ${(t / 1000).toFixed(1)} s`).join(', ')}`);
  phase(`${count} articles (${prolificArticles} by ${people[1]!.slug}, ${busyTagArticles} tagged ${tags[0]!.slug}) and their search index`);

  // ---- readers and their bookmarks ----
  const readerCount = Math.max(1, options.readers);
  const readerIds = Array.from({ length: readerCount }, (_, i) => newId(start + i * 1000));
  for (const part of chunks(readerIds.map((id, i) => ({ id, i })))) {
    await insertAll(
      db,
      'users',
      part.map(({ id, i }) => ({
        id,
        email: `reader-${pad(i, 6)}@scale.example`,
        email_verified_at: i % 10 === 9 ? null : now,
        password_hash: null,
        display_name: `${pick(FIRST)} ${pick(LAST)}`,
        birth_year: 1990 + Math.floor(next() * 20),
        created_at: now,
        updated_at: now,
      })),
    );
  }
  // The first reader keeps a long list (2% of all bookmarks, at most one per article); the rest share the others.
  const readerBookmarks = Math.min(count, Math.max(1, Math.round(options.bookmarks * 0.02)));
  const bookmarkRows: Insertable<Database['bookmarks']>[] = [];
  const seen = new Set<string>();
  for (let b = 0; b < readerBookmarks; b += 1) {
    const a = Math.floor((b * count) / readerBookmarks);
    seen.add(`0:${a}`);
    bookmarkRows.push({
      user_id: readerIds[0]!,
      article_id: articleIds[a]!,
      created_at: new Date(nowMs - (readerBookmarks - b) * 60_000).toISOString(),
    });
  }
  for (let b = readerBookmarks; b < options.bookmarks; b += 1) {
    const r = readerCount > 1 ? 1 + Math.floor(next() * (readerCount - 1)) : 0;
    const a = Math.floor(next() * count);
    const key = `${r}:${a}`;
    if (seen.has(key)) continue;
    seen.add(key);
    bookmarkRows.push({
      user_id: readerIds[r]!,
      article_id: articleIds[a]!,
      created_at: new Date(nowMs - Math.floor(next() * 365) * DAY).toISOString(),
    });
  }
  seen.clear();
  await db.transaction().execute(async (trx) => insertAll(trx, 'bookmarks', bookmarkRows));
  phase(`${readerCount} readers, ${bookmarkRows.length} bookmarks (${readerBookmarks} for the first reader)`);

  // ---- the newsletter (made by the migration), its subscribers and a draft issue ----
  const newsletter = await db.selectFrom('newsletters').select(['id', 'slug']).orderBy('position').executeTakeFirstOrThrow();
  await db.transaction().execute(async (trx) => {
    for (let from = 0; from < options.subscribers; from += BATCH) {
      const rows = [];
      for (let s = from; s < Math.min(options.subscribers, from + BATCH); s += 1) {
        const at = new Date(start + Math.floor((s * (nowMs - start)) / options.subscribers)).toISOString();
        const linked = s < readerCount && s % 2 === 0;
        const row = confirmedSubscription({
          newsletterId: newsletter.id,
          email: linked ? `reader-${pad(s, 6)}@scale.example` : `subscriber-${pad(s, 7)}@scale.example`,
          userId: linked ? readerIds[s]! : null,
          source: s % 5 === 0 ? 'import' : 'form',
          consent: 'bench',
          consentBy: null,
          at,
        });
        // Most are confirmed; some left, a few never confirmed.
        if (s % 10 === 7) rows.push({ ...row, status: 'unsubscribed' as const, unsubscribed_at: at });
        else if (s % 25 === 3) rows.push({ ...row, status: 'pending' as const, confirmed_at: null });
        else rows.push(row);
      }
      await insertSubscriptions(trx, rows);
    }
  });
  const intro = rt.doc(rt.p(`This week: ${words(12)}.`));
  const draftIssueId = newId();
  // The composer's items, as the newsletter service suggests them (IssueItem of issue-email.ts).
  const latest = articleIds.slice(-3).map((articleId, k) => {
    const i = count - 3 + k;
    return {
      articleId,
      slug: articleSlugs[i]!,
      title: `Article ${i}`,
      dek: '',
      byline: people[1]!.name,
      section: SECTIONS[i % SECTIONS.length]!,
      publishedAt: now,
      picture: null,
    };
  });
  await insertAll(db, 'newsletter_issues', [
    {
      id: draftIssueId,
      newsletter_id: newsletter.id,
      number: null,
      subject: 'This week at the magazine',
      intro_json: JSON.stringify(intro),
      intro_html: renderRichText(intro),
      items: JSON.stringify(latest),
      status: 'draft',
      scheduled_at: null,
      started_at: null,
      sent_at: null,
      recipients_count: 0,
      sent_count: 0,
      failed_count: 0,
      created_by: editorUserId,
      created_at: now,
      updated_at: now,
    },
  ]);
  phase(`${options.subscribers} subscribers of ${newsletter.slug} and a draft issue`);

  // The planner's statistics, as a database that has been running a while has them (PostgreSQL: this schema's tables only),
  // and PostgreSQL's visibility map, which autovacuum keeps there: without it an index-only scan reads every row it
  // counts, and the planner reads the table instead (a server may run with autovacuum off, as the test server does).
  if (pg) {
    const tables = [
      'sections',
      'people',
      'role_assignments',
      'tags',
      'articles',
      'article_authors',
      'article_editors',
      'article_tags',
      'search_documents',
      'users',
      'bookmarks',
      'subscriptions',
      'newsletter_issues',
      'settings',
    ];
    for (const table of tables) await sql`vacuum (analyze) ${sql.table(table)}`.execute(db);
  } else {
    await sql`analyze`.execute(db);
  }
  phase('statistics (vacuum, analyze)');

  return {
    sectionSlugs: SECTIONS.map((s) => s.slug),
    sectionIds,
    editorUserId,
    editorPersonSlug: people[0]!.slug,
    readerUserId: readerIds[0]!,
    prolificPersonSlug: people[1]!.slug,
    prolificPersonId: people[1]!.id,
    prolificArticles,
    busyTagSlug: tags[0]!.slug,
    busyTagArticles,
    oldestArticleSlug: articleSlugs[0]!,
    newestArticleSlug: articleSlugs[articleSlugs.length - 1]!,
    newsletterSlug: newsletter.slug,
    draftIssueId,
    readerBookmarks,
  };
}
