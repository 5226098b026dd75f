// CSV for the subscriber list: reading an import (RFC 4180: quoted fields,
// doubled quotes, CRLF or LF, a byte-order mark) and checking it as a whole
// before anything is written, and writing the export so that no cell can run as
// a formula in a spreadsheet.
import { z } from 'zod';

export const MAX_IMPORT_BYTES = 2 * 1024 * 1024;
export const MAX_IMPORT_ROWS = 50_000;
/** The first few problems are listed; more would bury the form. */
const MAX_LISTED_PROBLEMS = 20;
const EMAIL_HEADERS = ['email', 'email address', 'e-mail', 'e-mail address'];

export class CsvSyntaxError extends Error {
  constructor(readonly line: number) {
    super(`Line ${line} opens a quoted value that never closes.`);
  }
}

/** Rows of fields. Throws CsvSyntaxError on an unterminated quote. */
export function parseCsv(text: string): string[][] {
  const input = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let quoteLine = 1;
  for (let i = 0; i < input.length; i++) {
    const c = input[i]!;
    if (quoted) {
      if (c === '"') {
        if (input[i + 1] === '"') {
          field += '"';
          i++;
        } else {
          quoted = false;
        }
      } else {
        if (c === '\n') line++;
        field += c;
      }
      continue;
    }
    if (c === '"' && field === '') {
      quoted = true;
      quoteLine = line;
    } else if (c === ',' || c === ';') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && input[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      line++;
    } else {
      field += c;
    }
  }
  if (quoted) throw new CsvSyntaxError(quoteLine);
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

const emailSchema = z.email();

export function isEmailAddress(value: string): boolean {
  return value.length <= 254 && emailSchema.safeParse(value).success;
}

export type ImportCheck =
  | { ok: true; emails: string[]; duplicates: number }
  | { ok: false; problem: 'too_large' | 'header' | 'rows' | 'empty' | 'syntax'; messages: string[] };

function listed(messages: string[]): string[] {
  return messages.length <= MAX_LISTED_PROBLEMS ? messages : [...messages.slice(0, MAX_LISTED_PROBLEMS), `…and ${messages.length - MAX_LISTED_PROBLEMS} more lines like these.`];
}

/**
 * Checks a whole import before anything is written: the first line must name the
 * columns, one of them "email"; every other non-empty line must hold a valid
 * address in that column. Any problem refuses the file as a whole.
 */
export function checkImport(bytes: Buffer): ImportCheck {
  if (bytes.length > MAX_IMPORT_BYTES) {
    return { ok: false, problem: 'too_large', messages: [`The file is larger than ${MAX_IMPORT_BYTES / 1024 / 1024} MB. Split it into smaller files and import them one after another.`] };
  }
  let rows: string[][];
  try {
    rows = parseCsv(bytes.toString('utf8'));
  } catch (err) {
    if (err instanceof CsvSyntaxError) return { ok: false, problem: 'syntax', messages: [`${err.message} Check the quotes on that line.`] };
    throw err;
  }
  const lines = rows.map((fields, index) => ({ fields, line: index + 1 })).filter((r) => r.fields.some((f) => f.trim() !== ''));
  const header = lines[0];
  if (!header) return { ok: false, problem: 'empty', messages: ['The file is empty. The first line names the columns (one called “email”), then one address per line.'] };
  const names = header.fields.map((f) => f.trim().toLowerCase());
  const column = names.findIndex((n) => EMAIL_HEADERS.includes(n));
  if (column === -1) {
    const found = header.fields.map((f) => `“${f.trim().slice(0, 40)}”`).join(', ');
    return {
      ok: false,
      problem: 'header',
      messages: [`The first line must name the columns, and one of them must be called “email”. This file’s first line is: ${found}. Add a line “email” at the top (or rename the column) and try again.`],
    };
  }
  const body = lines.slice(1);
  if (body.length === 0) return { ok: false, problem: 'empty', messages: ['The file has a header line but no addresses under it.'] };
  if (body.length > MAX_IMPORT_ROWS) {
    return { ok: false, problem: 'too_large', messages: [`The file has ${body.length.toLocaleString('en-GB')} addresses; one import takes at most ${MAX_IMPORT_ROWS.toLocaleString('en-GB')}. Split it into smaller files.`] };
  }
  const problems: string[] = [];
  const seen = new Set<string>();
  let duplicates = 0;
  for (const { fields, line } of body) {
    const raw = (fields[column] ?? '').trim();
    const email = raw.toLowerCase();
    if (raw === '') {
      problems.push(`Line ${line}: the email column is empty.`);
    } else if (!isEmailAddress(email)) {
      problems.push(`Line ${line}: “${raw.slice(0, 80)}” is not a valid email address.`);
    } else if (seen.has(email)) {
      duplicates++;
    } else {
      seen.add(email);
    }
  }
  if (problems.length > 0) return { ok: false, problem: 'rows', messages: listed(problems) };
  return { ok: true, emails: [...seen], duplicates };
}

/** A cell that a spreadsheet would not evaluate: formulas are prefixed with an apostrophe. */
function cell(value: string | number | null): string {
  let text = value === null ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n;]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(header: string[], rows: (string | number | null)[][]): string {
  return [header, ...rows].map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
}
