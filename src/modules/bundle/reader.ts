// Reading bundle.json. The export writes it one row per line, so a bundle of any
// size is read a line at a time: a first pass checks every row and counts them
// before anything is written, a second hands the rows over in batches while they
// load. A bundle.json laid out differently (reformatted by hand, say) is still
// valid JSON and is read whole, up to MAX_BUNDLE_JSON_BYTES.
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { LOAD_BATCH, type BundleRow, type TableName, type TableSpec } from '../../db/bundle-tables.js';

export const BUNDLE_FORMAT = 'harbinger-bundle';
/** Raised when a change to the tables means an older Harbinger could not load the bundle as it is (docs/bundle.md). */
export const BUNDLE_VERSION = 1;
/** A bundle.json not laid out as the export writes it is read whole: V8 strings stop a little above this. */
export const MAX_BUNDLE_JSON_BYTES = 500 * 1024 * 1024;

export class BundleFormatError extends Error {
  override name = 'BundleFormatError';
}

export interface BundleJson {
  /** Rows per table, every bundled table named (0 for those the file leaves out). */
  counts: Record<string, number>;
  /** The rows in batches, table by table in the file's order (a table may come in several batches). */
  batches(): AsyncGenerator<{ table: TableName; rows: BundleRow[] }>;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const HEADER = ['{', `  "format": "${BUNDLE_FORMAT}",`, `  "version": ${BUNDLE_VERSION},`, '  "tables": {'];
const TABLE_OPEN = /^ {4}"([a-z_]+)": \[(\],?)?$/;
const TABLE_CLOSE = /^ {4}\],?$/;
const ROW = /^ {6}(\{.*\}),?$/;

/** Not the export's layout: the caller reads the file whole instead. */
class NotLineLayout extends Error {}

function versionProblem(format: unknown, version: unknown): string | null {
  if (format !== BUNDLE_FORMAT) return `bundle.json is not a Harbinger bundle (its format is not "${BUNDLE_FORMAT}").`;
  if (version !== BUNDLE_VERSION) return `bundle.json is version ${String(version)}; this Harbinger reads version ${BUNDLE_VERSION}.`;
  return null;
}

/**
 * Walks the export's layout line by line, yielding each row with its table;
 * throws NotLineLayout at the first line that does not fit it, and
 * BundleFormatError for a bundle that fits it but is wrong (another version,
 * an unknown table).
 */
async function* walkLines(path: string, specs: readonly TableSpec[]): AsyncGenerator<{ table: TableName; row: BundleRow }> {
  const order = specs.map((s) => s.table as string);
  const input = createReadStream(path, { encoding: 'utf8' });
  const lines = createInterface({ input, crlfDelay: Infinity });
  let index = 0;
  let table: TableName | null = null;
  let last = -1;
  let ended = false;
  try {
    for await (const line of lines) {
      if (index < HEADER.length) {
        if (line !== HEADER[index]) {
          const field = /^ {2}"(format|version)": (.*?),?$/.exec(line);
          if (field && index > 0) {
            const value: unknown = JSON.parse(field[2]!);
            const problem = field[1] === 'format' ? versionProblem(value, BUNDLE_VERSION) : versionProblem(BUNDLE_FORMAT, value);
            if (problem) throw new BundleFormatError(problem);
          }
          throw new NotLineLayout();
        }
        index++;
        continue;
      }
      if (ended) {
        if (line === '}' || line === '') continue;
        throw new NotLineLayout();
      }
      if (table === null) {
        if (line === '  }') {
          ended = true;
          continue;
        }
        const open = TABLE_OPEN.exec(line);
        if (!open) throw new NotLineLayout();
        const position = order.indexOf(open[1]!);
        if (position === -1) throw new BundleFormatError(`bundle.json holds a table this Harbinger does not know: ${open[1]}.`);
        if (position <= last) throw new NotLineLayout();
        last = position;
        if (!open[2]) table = open[1] as TableName;
        continue;
      }
      if (TABLE_CLOSE.test(line)) {
        table = null;
        continue;
      }
      const row = ROW.exec(line);
      if (!row) throw new NotLineLayout();
      let value: unknown;
      try {
        value = JSON.parse(row[1]!);
      } catch {
        throw new NotLineLayout();
      }
      if (!isObject(value)) throw new BundleFormatError(`bundle.json: ${table} must be a list of rows.`);
      yield { table, row: value };
    }
  } finally {
    lines.close();
    input.destroy();
  }
  if (!ended) throw new NotLineLayout();
}

async function readWhole(path: string, specs: readonly TableSpec[]): Promise<Map<TableName, BundleRow[]>> {
  const { size } = await stat(path);
  if (size > MAX_BUNDLE_JSON_BYTES)
    throw new BundleFormatError(
      `bundle.json is ${Math.round(size / 1024 / 1024)} MB and not laid out one row per line as the export writes it; such a file is read whole, at most ${MAX_BUNDLE_JSON_BYTES / 1024 / 1024} MB.`,
    );
  let data: unknown;
  try {
    data = JSON.parse(await readFile(path, 'utf8'));
  } catch {
    throw new BundleFormatError('bundle.json is not valid JSON.');
  }
  if (!isObject(data)) throw new BundleFormatError(`bundle.json is not a Harbinger bundle (its format is not "${BUNDLE_FORMAT}").`);
  const problem = versionProblem(data.format, data.version);
  if (problem) throw new BundleFormatError(problem);
  if (!isObject(data.tables)) throw new BundleFormatError('bundle.json has no tables.');
  const known = new Set(specs.map((s) => s.table as string));
  const strange = Object.keys(data.tables).filter((t) => !known.has(t));
  if (strange.length) throw new BundleFormatError(`bundle.json holds tables this Harbinger does not know: ${strange.join(', ')}.`);
  const tables = new Map<TableName, BundleRow[]>();
  for (const spec of specs) {
    const rows = data.tables[spec.table] ?? [];
    if (!Array.isArray(rows) || !rows.every(isObject)) throw new BundleFormatError(`bundle.json: ${spec.table} must be a list of rows.`);
    tables.set(spec.table, rows);
  }
  return tables;
}

/** Checks bundle.json through and counts its rows; nothing is kept in memory but the counts (for the export's layout). */
export async function openBundleJson(path: string, specs: readonly TableSpec[]): Promise<BundleJson> {
  const counts: Record<string, number> = Object.fromEntries(specs.map((s) => [s.table, 0]));
  try {
    for await (const { table } of walkLines(path, specs)) counts[table]!++;
    return {
      counts,
      async *batches() {
        let batch: { table: TableName; rows: BundleRow[] } | null = null;
        for await (const { table, row } of walkLines(path, specs)) {
          if (batch && (batch.table !== table || batch.rows.length >= LOAD_BATCH)) {
            yield batch;
            batch = null;
          }
          batch ??= { table, rows: [] };
          batch.rows.push(row);
        }
        if (batch) yield batch;
      },
    };
  } catch (error) {
    if (!(error instanceof NotLineLayout)) throw error;
  }
  const tables = await readWhole(path, specs);
  for (const [table, rows] of tables) counts[table] = rows.length;
  return {
    counts,
    async *batches() {
      for (const spec of specs) {
        const rows = tables.get(spec.table)!;
        for (let i = 0; i < rows.length; i += LOAD_BATCH) yield { table: spec.table, rows: rows.slice(i, i + LOAD_BATCH) };
      }
    },
  };
}
