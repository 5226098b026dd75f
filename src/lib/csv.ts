// The one CSV writer for every export (subscriber lists, prize entries and
// scores), so all of them follow one formula rule: a cell a spreadsheet would
// run as a formula — one starting with = + - @, a tab or a carriage return (or
// the full-width = + - @) — gets a leading apostrophe. Names and comments are
// typed by the public, and "=HYPERLINK(…)" in a cell is an attack on whoever
// opens the file. csv-stringify does the quoting and the escaping.
import { stringify } from 'csv-stringify/sync';

export type CsvCell = string | number | null;

export interface CsvOptions {
  /** Quote every cell, empty ones included, rather than only those that need it. */
  quoteAll?: boolean;
}

/**
 * CRLF lines; quotes where needed (also around semicolons, for spreadsheets that
 * split on them) or around every cell; null as an empty cell. Numbers are not
 * guarded, so a negative score stays a number.
 */
export function toCsv(header: readonly string[], rows: readonly (readonly CsvCell[])[], options: CsvOptions = {}): string {
  return stringify(
    [header, ...rows].map((row) => row.map((cell) => cell ?? '')),
    {
      record_delimiter: 'windows',
      escape_formulas: true,
      quoted_match: /;/,
      ...(options.quoteAll ? { quoted: true, quoted_empty: true } : {}),
    },
  );
}

/** What the formula guard adds: an apostrophe before one of the characters it guards. */
const GUARDED = /^'[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;

/** Undoes the formula guard, so an exported file imports as it was: `'+plus@example.com` was `+plus@example.com`. */
export function unguard(value: string): string {
  return GUARDED.test(value) ? value.slice(1) : value;
}
