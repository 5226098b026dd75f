// Importing a subscriber list: reading the CSV (csv-parse: quoted fields,
// doubled quotes, CRLF or LF, a byte-order mark; the delimiter is the one the
// header line uses) and checking it as a whole before anything is written. The
// export (lib/csv) guards formulas with a leading apostrophe; the import undoes
// it, so an exported file imports as the same list.
import { CsvError, parse } from 'csv-parse/sync';
import { unguard } from '../../lib/csv.js';
import { isEmailAddress, normaliseEmail } from '../../lib/email.js';
import type { SubscriptionStatus } from '../../db/schema.js';

export const MAX_IMPORT_BYTES = 2 * 1024 * 1024;
export const MAX_IMPORT_ROWS = 50_000;
/** The first few problems are listed; more would bury the form. */
const MAX_LISTED_PROBLEMS = 20;
const EMAIL_HEADERS = ['email', 'email address', 'e-mail', 'e-mail address'];
const STATUS_HEADERS = ['status'];
const DELIMITERS = [',', ';', '\t'] as const;
/** What a file's status column may say, as the export writes it. */
const IMPORT_STATUSES: readonly SubscriptionStatus[] = ['pending', 'confirmed', 'unsubscribed', 'suppressed'];

export class CsvSyntaxError extends Error {
  constructor(readonly line: number) {
    super(`Line ${line} opens a quoted value that never closes.`);
  }
}

/**
 * The delimiter the header line uses (the most frequent of comma, semicolon and
 * tab outside quotes; a comma when it has none). Only the header decides: a
 * semicolon inside a comma file's data is part of a value.
 */
export function detectDelimiter(text: string): (typeof DELIMITERS)[number] {
  const counts = new Map<string, number>();
  let quoted = false;
  for (const c of text) {
    if (c === '"') quoted = !quoted;
    else if (!quoted && (c === '\n' || c === '\r')) break;
    else if (!quoted && (DELIMITERS as readonly string[]).includes(c)) counts.set(c, (counts.get(c) ?? 0) + 1);
  }
  let best: (typeof DELIMITERS)[number] = ',';
  for (const d of DELIMITERS) if ((counts.get(d) ?? 0) > (counts.get(best) ?? 0)) best = d;
  return best;
}

/** Rows of fields, each with the line it starts on. Throws CsvSyntaxError on an unterminated quote. */
export function parseCsvLines(text: string): { fields: string[]; line: number }[] {
  const input = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(input, {
      delimiter: detectDelimiter(input),
      record_delimiter: ['\r\n', '\n', '\r'],
      relax_column_count: true,
      relax_quotes: true,
      info: true,
    }) as unknown as { record: string[]; info: { lines: number } }[];
  } catch (err) {
    if (err instanceof CsvError && err.code === 'CSV_QUOTE_NOT_CLOSED') {
      const line = Number(/at line (\d+)/.exec(err.message)?.[1] ?? (err as unknown as { lines?: number }).lines ?? 1);
      throw new CsvSyntaxError(line);
    }
    throw err;
  }
  let next = 1;
  return records.map(({ record, info }) => {
    const row = { fields: record, line: next };
    next = info.lines + 1;
    return row;
  });
}

/** Rows of fields. Throws CsvSyntaxError on an unterminated quote. */
export function parseCsv(text: string): string[][] {
  return parseCsvLines(text).map((r) => r.fields);
}

export interface ImportRow {
  email: string;
  /** What the file's status column says; null when the file has none. */
  status: SubscriptionStatus | null;
}

export type ImportCheck =
  | { ok: true; emails: string[]; rows: ImportRow[]; duplicates: number }
  | { ok: false; problem: 'too_large' | 'header' | 'rows' | 'empty' | 'syntax'; messages: string[] };

function listed(messages: string[]): string[] {
  return messages.length <= MAX_LISTED_PROBLEMS
    ? messages
    : [...messages.slice(0, MAX_LISTED_PROBLEMS), `…and ${messages.length - MAX_LISTED_PROBLEMS} more lines like these.`];
}

/**
 * Checks a whole import before anything is written: the first line must name the
 * columns, one of them "email" (and, optionally, "status", as the export has);
 * every other non-empty line must hold a valid address in that column. Any
 * problem refuses the file as a whole.
 */
export function checkImport(bytes: Buffer): ImportCheck {
  if (bytes.length > MAX_IMPORT_BYTES) {
    return {
      ok: false,
      problem: 'too_large',
      messages: [
        `The file is larger than ${MAX_IMPORT_BYTES / 1024 / 1024} MB. Split it into smaller files and import them one after another.`,
      ],
    };
  }
  let rows: { fields: string[]; line: number }[];
  try {
    rows = parseCsvLines(bytes.toString('utf8'));
  } catch (err) {
    if (err instanceof CsvSyntaxError) return { ok: false, problem: 'syntax', messages: [`${err.message} Check the quotes on that line.`] };
    throw err;
  }
  const lines = rows.filter((r) => r.fields.some((f) => f.trim() !== ''));
  const header = lines[0];
  if (!header)
    return {
      ok: false,
      problem: 'empty',
      messages: ['The file is empty. The first line names the columns (one called “email”), then one address per line.'],
    };
  const names = header.fields.map((f) => f.trim().toLowerCase());
  const column = names.findIndex((n) => EMAIL_HEADERS.includes(n));
  const statusColumn = names.findIndex((n) => STATUS_HEADERS.includes(n));
  if (column === -1) {
    const found = header.fields.map((f) => `“${f.trim().slice(0, 40)}”`).join(', ');
    return {
      ok: false,
      problem: 'header',
      messages: [
        `The first line must name the columns, and one of them must be called “email”. This file’s first line is: ${found}. Add a line “email” at the top (or rename the column) and try again.`,
      ],
    };
  }
  const body = lines.slice(1);
  if (body.length === 0) return { ok: false, problem: 'empty', messages: ['The file has a header line but no addresses under it.'] };
  if (body.length > MAX_IMPORT_ROWS) {
    return {
      ok: false,
      problem: 'too_large',
      messages: [
        `The file has ${body.length.toLocaleString('en-GB')} addresses; one import takes at most ${MAX_IMPORT_ROWS.toLocaleString('en-GB')}. Split it into smaller files.`,
      ],
    };
  }
  const problems: string[] = [];
  const seen = new Map<string, ImportRow>();
  let duplicates = 0;
  for (const { fields, line } of body) {
    const raw = unguard((fields[column] ?? '').trim());
    const email = isEmailAddress(raw) ? normaliseEmail(raw) : null;
    const statusText = statusColumn === -1 ? '' : unguard((fields[statusColumn] ?? '').trim()).toLowerCase();
    const status = statusText === '' ? null : (IMPORT_STATUSES.find((s) => s === statusText) ?? undefined);
    if (raw === '') {
      problems.push(`Line ${line}: the email column is empty.`);
    } else if (!email) {
      problems.push(`Line ${line}: “${raw.slice(0, 80)}” is not a valid email address.`);
    } else if (status === undefined) {
      problems.push(`Line ${line}: the status “${statusText.slice(0, 40)}” is not one of ${IMPORT_STATUSES.join(', ')} (or empty).`);
    } else if (seen.has(email)) {
      duplicates++;
    } else {
      seen.set(email, { email, status });
    }
  }
  if (problems.length > 0) return { ok: false, problem: 'rows', messages: listed(problems) };
  return { ok: true, emails: [...seen.keys()], rows: [...seen.values()], duplicates };
}
