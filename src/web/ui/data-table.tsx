// The desks list their records in one kind of table: a caption for screen readers,
// a row of column headings, then the rows the page renders. Kept in one place so
// every heading is scoped to its column and every table carries the class the
// stylesheet styles.
import type { PropsWithChildren } from '@kitajs/html';

export function DataTable(props: PropsWithChildren<{ columns: string[]; caption?: string }>): JSX.Element {
  return (
    <table class="table">
      {props.caption === undefined ? null : (
        <caption class="visually-hidden" safe>
          {props.caption}
        </caption>
      )}
      <thead>
        <tr>
          {props.columns.map((column) => (
            <th scope="col" safe>
              {column}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>{props.children}</tbody>
    </table>
  );
}
