import type { Pagination } from './http.js';

/**
 * Previous/next links and the page count, for every paginated list. `query`
 * carries the list's other parameters (a search, a filter) into the links;
 * page 1 is the list's own address, without `page=1`.
 */
export function PaginationNav(props: {
  pagination: Pagination;
  basePath: string;
  label: string;
  query?: Record<string, string> | undefined;
  previous?: string | undefined;
  next?: string | undefined;
}): JSX.Element {
  const { page, pages } = props.pagination;
  if (pages <= 1) return '';
  const href = (n: number) => {
    const params = new URLSearchParams();
    for (const [name, value] of Object.entries(props.query ?? {})) if (value) params.set(name, value);
    if (n > 1) params.set('page', String(n));
    const search = params.toString();
    return search ? `${props.basePath}?${search}` : props.basePath;
  };
  return (
    <nav class="pagination" aria-label={props.label}>
      {page > 1 ? (
        <a href={href(page - 1)} rel="prev" safe>
          {props.previous ?? '← Newer'}
        </a>
      ) : (
        <span />
      )}
      <span aria-current="page">
        Page {page} of {pages}
      </span>
      {page < pages ? (
        <a href={href(page + 1)} rel="next" safe>
          {props.next ?? 'Older →'}
        </a>
      ) : (
        <span />
      )}
    </nav>
  );
}
