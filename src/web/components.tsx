import type { Pagination } from './http.js';

/** Previous/next links and the page count, for every paginated list. */
export function PaginationNav(props: { pagination: Pagination; basePath: string; label: string }): JSX.Element {
  const { page, pages } = props.pagination;
  if (pages <= 1) return '';
  const href = (n: number) => (n === 1 ? props.basePath : `${props.basePath}?page=${n}`);
  return (
    <nav class="pagination" aria-label={props.label}>
      {page > 1 ? (
        <a href={href(page - 1)} rel="prev">
          ← Newer
        </a>
      ) : (
        <span />
      )}
      <span aria-current="page">
        Page {page} of {pages}
      </span>
      {page < pages ? (
        <a href={href(page + 1)} rel="next">
          Older →
        </a>
      ) : (
        <span />
      )}
    </nav>
  );
}
