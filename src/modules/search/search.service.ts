// Site search: keeps the index in step with published articles and people, and
// answers a reader's query with one page of ranked results and their snippets.
// A visitor's search matches and quotes only what a visitor may read.
import type { Db } from '../../db/database.js';
import { todayUtc } from '../../lib/dates.js';
import { publishedArticleIds, publishedArticleIdsBy, searchableArticle, type SearchableArticle } from '../articles/index.js';
import { peopleLookups, personCards, type PersonCard } from '../people/index.js';
import { cleanQuery, ftsExpression, MAX_QUERY_LENGTH, parseQuery, positiveTerms, tsqueryExpression, type Term } from './query.js';
import * as repo from './search.repository.js';
import { snippetOf, type Snippet, type SnippetField } from './snippet.js';

export interface SearchFilters {
  section: string;
  author: string;
  year: string;
}

export interface SearchResult {
  kind: 'article' | 'person';
  href: string;
  title: string;
  /** Section and date of an article; role of a person. */
  meta: string;
  publishedAt: string | null;
  snippet: Snippet | null;
}

export type SearchOutcome =
  | { kind: 'empty' }
  | { kind: 'refused'; message: string }
  | { kind: 'results'; results: SearchResult[]; total: number; more: boolean; pages: number };

export const PAGE_SIZE = 10;

const articleDocId = (id: string) => `article:${id}`;
const personDocId = (id: string) => `person:${id}`;

function articleDocument(a: SearchableArticle): repo.SearchDocument {
  return {
    id: articleDocId(a.id),
    kind: 'article',
    slug: a.slug,
    title: a.title,
    dek: a.dek,
    people: a.people.join(', '),
    tags: a.tags.join(', '),
    section: a.section.name,
    public_body: a.publicText,
    gated_body: a.gatedText,
    section_slug: a.section.slug,
    author_slugs: a.authorSlugs.join(' '),
    year: a.publishedAt ? Number(a.publishedAt.slice(0, 4)) : null,
    published_at: a.publishedAt || null,
  };
}

/** The words of a public biography: its sanitized HTML without the markup. */
function bioText(safeHtml: string): string {
  const entities: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" };
  return safeHtml
    .replace(/<[^>]*>/g, ' ')
    .replace(/&(amp|lt|gt|quot|#39);/g, (e) => entities[e]!)
    .replace(/\s+/g, ' ')
    .trim();
}

function personDocument(card: PersonCard): repo.SearchDocument {
  return {
    id: personDocId(card.id),
    kind: 'person',
    slug: card.slug,
    title: card.name,
    dek: card.role?.title ?? '',
    people: '',
    tags: '',
    section: '',
    public_body: bioText(card.safeBioHtml),
    gated_body: '',
    section_slug: null,
    author_slugs: '',
    year: null,
    published_at: null,
  };
}

function snippetFields(doc: repo.SearchDocument, fullText: boolean): SnippetField[] {
  const body = fullText && doc.gated_body ? `${doc.public_body} ${doc.gated_body}` : doc.public_body;
  if (doc.kind === 'person')
    return [
      { label: 'Name', text: doc.title },
      { label: 'Role', text: doc.dek },
      { label: 'Biography', text: body },
    ];
  return [
    { label: 'Headline', text: doc.title },
    { label: 'Summary', text: doc.dek },
    { label: 'Byline', text: doc.people },
    { label: 'Tags', text: doc.tags },
    { label: 'Section', text: doc.section },
    { label: 'Text', text: body },
  ];
}

function toResult(doc: repo.SearchDocument, terms: Term[], fullText: boolean): SearchResult {
  const article = doc.kind === 'article';
  const publishedAt = doc.published_at ? String(doc.published_at) : null;
  return {
    kind: doc.kind,
    href: article ? `/articles/${doc.slug}` : `/people/${doc.slug}`,
    title: doc.title,
    meta: article ? doc.section : doc.dek,
    publishedAt,
    snippet: snippetOf(snippetFields(doc, fullText), terms),
  };
}

export class SearchService {
  constructor(
    private readonly db: Db,
    private readonly previewParagraphs: number,
  ) {}

  /** Brings an article's entry up to date inside the caller's transaction: added or replaced if published, else removed. */
  async indexArticle(trx: Db, articleId: string): Promise<void> {
    const article = await searchableArticle(trx, articleId, this.previewParagraphs);
    if (article) await repo.putDocument(trx, articleDocument(article));
    else await repo.removeDocument(trx, articleDocId(articleId));
  }

  /** Brings a person's entry, and the bylines of their published articles, up to date inside the caller's transaction. */
  async indexPerson(trx: Db, personId: string): Promise<void> {
    const card = (await personCards(trx, [personId], todayUtc())).get(personId);
    // An unlisted profile (byline privacy) is not found by search; its articles are, under the name it shows.
    if (card?.listed) await repo.putDocument(trx, personDocument(card));
    else await repo.removeDocument(trx, personDocId(personId));
    for (const articleId of await publishedArticleIdsBy(trx, personId)) await this.indexArticle(trx, articleId);
  }

  /** Rebuilds the whole index from the published articles and the people, in one transaction. */
  async reindex(): Promise<{ articles: number; people: number }> {
    return this.db.transaction().execute(async (trx) => {
      await repo.removeAll(trx, 'article');
      await repo.removeAll(trx, 'person');
      const ids = await publishedArticleIds(trx);
      for (const id of ids) await this.indexArticle(trx, id);
      const people = await peopleLookups.listPeopleForPicker(trx);
      const cards = await personCards(
        trx,
        people.map((p) => p.id),
        todayUtc(),
      );
      const listed = [...cards.values()].filter((card) => card.listed);
      for (const card of listed) await repo.putDocument(trx, personDocument(card));
      return { articles: ids.length, people: listed.length };
    });
  }

  /** The years the year filter offers, newest first. */
  years(): Promise<number[]> {
    return repo.yearRange(this.db);
  }

  /** One page of results for a query; `fullText` when the reader may read registered articles. */
  async search(query: string, filters: SearchFilters, page: number, fullText: boolean): Promise<SearchOutcome> {
    if (cleanQuery(query) === '') return { kind: 'empty' };
    if (query.length > MAX_QUERY_LENGTH)
      return { kind: 'refused', message: `That search is too long. Try a few words (at most ${MAX_QUERY_LENGTH} characters).` };
    const terms = parseQuery(query);
    const fts = ftsExpression(terms, fullText ? undefined : repo.PUBLIC_COLUMNS);
    if (!fts || positiveTerms(terms).length === 0)
      return { kind: 'refused', message: 'Type a word or a name to search for: there was nothing to look up in that search.' };
    const { rows, total } = await repo.searchIndex(this.db, {
      fts,
      tsquery: tsqueryExpression(terms) ?? '',
      fullText,
      section: filters.section || undefined,
      author: filters.author || undefined,
      year: filters.year ? Number(filters.year) : undefined,
      limit: PAGE_SIZE,
      offset: (page - 1) * PAGE_SIZE,
    });
    const counted = Math.min(total, repo.COUNT_LIMIT);
    return {
      kind: 'results',
      results: rows.map((doc) => toResult(doc, terms, fullText)),
      total: counted,
      more: total > repo.COUNT_LIMIT,
      pages: Math.max(1, Math.ceil(counted / PAGE_SIZE)),
    };
  }
}
