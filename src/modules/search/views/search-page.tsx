// The search page: the form (the query kept in it, with its filters), then the
// results with the field each was found in and a marked snippet, or a clear word
// about why there are none. Never indexed by search engines.
import { Layout } from '../../../web/layout.js';
import type { PageContext } from '../../../web/page-context.js';
import type { SearchFilters, SearchOutcome, SearchResult } from '../search.service.js';

export interface SearchPageProps {
  ctx: PageContext;
  query: string;
  filters: SearchFilters;
  page: number;
  outcome: SearchOutcome;
  choices: { sections: { slug: string; name: string }[]; years: number[] };
}

/** The address of another page of the same search. */
export function searchHref(query: string, filters: SearchFilters, page: number): string {
  const params = new URLSearchParams({ q: query });
  for (const name of ['section', 'author', 'year'] as const) if (filters[name]) params.set(name, filters[name]);
  if (page > 1) params.set('page', String(page));
  return `/search?${params.toString()}`;
}

function Filters(props: Pick<SearchPageProps, 'filters' | 'choices'>): JSX.Element {
  const { filters, choices } = props;
  return (
    <div class="search-filters">
      <label for="search-section">Section</label>
      <select id="search-section" name="section">
        <option value="">All sections</option>
        {choices.sections.map((s) => (
          <option value={s.slug} selected={filters.section === s.slug} safe>
            {s.name}
          </option>
        ))}
      </select>
      <label for="search-year">Year</label>
      <select id="search-year" name="year">
        <option value="">Any year</option>
        {choices.years.map((y) => (
          <option value={String(y)} selected={filters.year === String(y)}>
            {y}
          </option>
        ))}
      </select>
      {filters.author ? <input type="hidden" name="author" value={filters.author} /> : ''}
    </div>
  );
}

function Result(props: { result: SearchResult }): JSX.Element {
  const { result } = props;
  const date = result.publishedAt ? result.publishedAt.slice(0, 10) : '';
  /** Escaped by the snippet builder, with only its own <mark> elements added. */
  const safeSnippet = result.snippet?.safeHtml ?? '';
  return (
    <li class="search-result">
      <h2 class="search-result__title">
        <a href={result.href} safe>
          {result.title}
        </a>
      </h2>
      <p class="search-result__meta">
        <span safe>{result.kind === 'person' ? `Person · ${result.meta}` : result.meta}</span>
        {date ? (
          <time datetime={date} safe>
            {` · ${date}`}
          </time>
        ) : (
          ''
        )}
      </p>
      {result.snippet ? (
        <p class="search-result__snippet">
          <span class="search-result__field" safe>{`${result.snippet.label}: `}</span>
          {safeSnippet}
        </p>
      ) : (
        ''
      )}
    </li>
  );
}

function Suggestions(): JSX.Element {
  return (
    <ul class="search-suggestions">
      <li>Check the spelling, or try fewer or more general words.</li>
      <li>Search for a writer’s name, a section or a tag.</li>
      <li>
        Put "quotes" around words to find them together; put a minus before a word (-word) to leave it out; end a word with * to find words
        that start with it.
      </li>
      <li>Remove the section or year filter.</li>
    </ul>
  );
}

function Pages(props: { query: string; filters: SearchFilters; page: number; pages: number }): JSX.Element {
  const { query, filters, page, pages } = props;
  if (pages <= 1) return '';
  return (
    <nav class="pagination" aria-label="Search result pages">
      {page > 1 ? (
        <a href={searchHref(query, filters, page - 1)} rel="prev">
          ← Previous results
        </a>
      ) : (
        <span />
      )}
      <span aria-current="page">
        Page {page} of {pages}
      </span>
      {page < pages ? (
        <a href={searchHref(query, filters, page + 1)} rel="next">
          More results →
        </a>
      ) : (
        <span />
      )}
    </nav>
  );
}

function resultCount(total: number, more: boolean): string {
  if (more) return `More than ${total.toLocaleString('en-GB')} results: the best come first.`;
  return `${total} ${total === 1 ? 'result' : 'results'}`;
}

function Outcome(props: Pick<SearchPageProps, 'query' | 'filters' | 'page' | 'outcome'>): JSX.Element {
  const { outcome } = props;
  if (outcome.kind === 'empty') return <p>Search the magazine’s articles and the people who write them.</p>;
  if (outcome.kind === 'refused')
    return (
      <p class="notice" role="alert" safe>
        {outcome.message}
      </p>
    );
  if (outcome.total === 0)
    return (
      <>
        <p role="status">Nothing matches that search.</p>
        <Suggestions />
      </>
    );
  return (
    <>
      <p role="status" safe>
        {resultCount(outcome.total, outcome.more)}
      </p>
      <ol class="search-results">
        {outcome.results.map((result) => (
          <Result result={result} />
        ))}
      </ol>
      <Pages query={props.query} filters={props.filters} page={props.page} pages={outcome.pages} />
    </>
  );
}

export function SearchPage(props: SearchPageProps): JSX.Element {
  const { ctx, query } = props;
  const title = query ? `Search: ${query.slice(0, 80)}` : 'Search';
  return (
    <Layout ctx={ctx} meta={{ title, description: 'Search the magazine.', canonicalPath: '/search', noIndex: true }}>
      <div class="wrap">
        <header class="page-header">
          <h1>Search</h1>
        </header>
        <form class="search-form" role="search" action="/search" method="get" aria-label="Search the magazine">
          <label for="search-q">Search for</label>
          <input id="search-q" type="search" name="q" value={query} maxlength="500" />
          <Filters filters={props.filters} choices={props.choices} />
          <button type="submit">Search</button>
        </form>
        <Outcome query={query} filters={props.filters} page={props.page} outcome={props.outcome} />
      </div>
    </Layout>
  );
}
