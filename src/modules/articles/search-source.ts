// What the site search indexes of an article, split the way the wall splits it:
// the public part (title, dek, byline, the preview paragraphs) apart from the
// text behind the wall, so the search module can keep a visitor's search to the
// first. The search module owns its index; it reads articles only through here.
import type { Db } from '../../db/database.js';
import { docToText } from '../../lib/plain-text.js';
import { previewOf, type RichNode } from '../../lib/rich-text.js';
import { peopleLookups } from '../people/index.js';
import { tagNamesOf } from './drafts.js';

export interface SearchableArticle {
  id: string;
  slug: string;
  title: string;
  dek: string;
  /** The byline phrase and the authors' names. */
  people: string[];
  authorSlugs: string[];
  tags: string[];
  section: { slug: string; name: string };
  /** Everything a visitor may read: the whole body of a free article, the preview paragraphs of a registered one. */
  publicText: string;
  /** The rest of a registered article's body; empty for a free one. */
  gatedText: string;
  publishedAt: string;
}

/** The body split at the wall, by the article page's own preview rule. */
function splitBody(body: RichNode, access: 'free' | 'registered', paragraphs: number): { publicText: string; gatedText: string } {
  if (access === 'free') return { publicText: docToText(body), gatedText: '' };
  const preview = previewOf(body, paragraphs);
  const rest: RichNode = { type: 'doc', content: (body.content ?? []).slice(preview.doc.content?.length ?? 0) };
  return { publicText: docToText(preview.doc), gatedText: docToText(rest) };
}

/** A published article as the search indexes it; null when it is not published (or does not exist). */
export async function searchableArticle(db: Db, id: string, defaultPreviewParagraphs: number): Promise<SearchableArticle | null> {
  const row = await db
    .selectFrom('articles')
    .innerJoin('sections', 'sections.id', 'articles.section_id')
    .select([
      'articles.id',
      'articles.slug',
      'articles.title',
      'articles.dek',
      'articles.byline_phrase',
      'articles.access',
      'articles.preview_paragraphs',
      'articles.body_json',
      'articles.published_at',
      'sections.slug as section_slug',
      'sections.name as section_name',
    ])
    .where('articles.id', '=', id)
    .where('articles.status', '=', 'published')
    .executeTakeFirst();
  if (!row) return null;
  const authorRows = await db.selectFrom('article_authors').select('person_id').where('article_id', '=', id).orderBy('position').execute();
  const byId = new Map(
    (
      await peopleLookups.bylineNames(
        db,
        authorRows.map((a) => a.person_id),
      )
    ).map((p) => [p.id, p]),
  );
  const authors = authorRows.flatMap((a) => (byId.has(a.person_id) ? [byId.get(a.person_id)!] : []));
  const body = JSON.parse(row.body_json) as RichNode;
  return {
    id: row.id,
    slug: row.slug,
    title: row.title,
    dek: row.dek,
    people: [row.byline_phrase, ...authors.map((a) => a.name)].filter(Boolean),
    authorSlugs: authors.map((a) => a.slug),
    tags: await tagNamesOf(db, id),
    section: { slug: row.section_slug, name: row.section_name },
    ...splitBody(body, row.access, row.preview_paragraphs ?? defaultPreviewParagraphs),
    publishedAt: row.published_at ?? '',
  };
}

/** The ids of every published article, for rebuilding the index. */
export async function publishedArticleIds(db: Db): Promise<string[]> {
  return (await db.selectFrom('articles').select('id').where('status', '=', 'published').execute()).map((r) => r.id);
}

/** The ids of the published articles a person wrote, whose bylines change with the person's name. */
export async function publishedArticleIdsBy(db: Db, personId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('articles')
    .innerJoin('article_authors', 'article_authors.article_id', 'articles.id')
    .select('articles.id')
    .where('article_authors.person_id', '=', personId)
    .where('articles.status', '=', 'published')
    .execute();
  return rows.map((r) => r.id);
}
