// Dumping tables to a bundle and loading them back (`harbinger export` and
// `harbinger import harbinger`). Each module describes its own tables with a
// TableSpec (its key, the secret columns left out); this file reads and writes
// any of them the same way on SQLite and PostgreSQL, so a row comes out with the
// same bytes from either: keys in column order, timestamps as toISOString gives
// them, rows in the byte order of their primary key.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from './schema.js';

export type TableName = keyof Database;
export type BundleRow = Record<string, unknown>;

export interface TableSpec {
  table: TableName;
  /** The primary key's columns: rows are written in their byte order (SQLite's BINARY, PostgreSQL's "C"). */
  key: readonly string[];
  /** Columns never written: secrets (password hashes, token hashes). They load as null. */
  omit?: readonly string[];
  /** A column naming another row of the same table (a reply's parent): parents are loaded first. */
  parent?: string;
  /** Rows never written (a setting that is a secret or belongs to the running site). */
  skip?: (row: BundleRow) => boolean;
}

/** A module's part of the bundle: its tables in an order their own foreign keys accept. */
export interface BundlePart {
  module: string;
  tables: readonly TableSpec[];
  /** Run in the import's transaction once every table is loaded (jobs rebuilt, for instance). */
  afterLoad?: (trx: Transaction<Database>) => Promise<AfterLoadReport | void>;
}

/** What an afterLoad step did, for the import's printout: e.g. { 'publish jobs': 2 }. */
export type AfterLoadReport = Record<string, number>;

/** Rows read per query while dumping; the walk goes by key, so every page costs the same. */
export const DUMP_PAGE = 1000;
/** Rows per INSERT while loading (fewer for wide tables: SQLite takes at most 32,766 parameters). */
export const LOAD_BATCH = 500;
const MAX_PARAMETERS = 30_000;

/** `created_at`, `sent_at`, `locked_until`: the columns holding an instant (migrations name them so). */
const INSTANT_COLUMN = /_(at|until)$/;

type AnyDb = Kysely<Database> | Transaction<Database>;

function isPostgres(db: AnyDb): boolean {
  // The adapter's class says which database this is without importing the dialects here.
  return db.getExecutor().adapter.constructor.name === 'PostgresAdapter';
}

/**
 * One instant, as toISOString writes it (milliseconds, Z). SQLite keeps what was
 * stored, PostgreSQL's codec already answers this way: after this both agree.
 */
export function normaliseInstant(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const time = Date.parse(value);
  return Number.isNaN(time) ? value : new Date(time).toISOString();
}

/** A row as the bundle holds it: secret columns gone, instants normalised, keys in column order. */
export function bundleRow(spec: TableSpec, row: BundleRow): BundleRow {
  const out: BundleRow = {};
  for (const [column, value] of Object.entries(row)) {
    if (spec.omit?.includes(column)) continue;
    out[column] = INSTANT_COLUMN.test(column) ? normaliseInstant(value) : value;
  }
  return out;
}

/**
 * Reads every row of a table in key order, a page at a time, so memory stays
 * flat however big the table. On PostgreSQL inside a transaction (as the export
 * runs) a cursor walks one sorted pass: an order in the "C" collation cannot use
 * the primary key's index, so paging by key would sort the table once a page.
 * Elsewhere the walk pages by key (SQLite's key order is its index's). Call
 * inside one transaction for a consistent snapshot of several tables.
 */
export async function* dumpTable(db: AnyDb, spec: TableSpec, pageSize = DUMP_PAGE): AsyncGenerator<BundleRow> {
  const pg = isPostgres(db);
  const keyRef = (column: string) => (pg ? sql`${sql.ref(column)} collate "C"` : sql.ref(column));
  const keyList = sql.join(spec.key.map(keyRef));
  if (pg && db.isTransaction) {
    const cursor = sql.raw(`bundle_${spec.table}`);
    await sql`declare ${cursor} no scroll cursor for select * from ${sql.table(spec.table)} order by ${keyList}`.execute(db);
    try {
      for (;;) {
        const { rows } = await sql<BundleRow>`fetch ${sql.raw(String(pageSize))} from ${cursor}`.execute(db);
        for (const row of rows) if (!spec.skip?.(row)) yield bundleRow(spec, row);
        if (rows.length < pageSize) return;
      }
    } finally {
      await sql`close ${cursor}`.execute(db);
    }
  }
  let after: unknown[] | null = null;
  for (;;) {
    const where: ReturnType<typeof sql> = after ? sql`where (${keyList}) > (${sql.join(after)})` : sql``;
    const { rows } = await sql<BundleRow>`select * from ${sql.table(spec.table)} ${where} order by ${keyList} limit ${pageSize}`.execute(
      db,
    );
    for (const row of rows) if (!spec.skip?.(row)) yield bundleRow(spec, row);
    if (rows.length < pageSize) return;
    const last = rows[rows.length - 1]!;
    after = spec.key.map((column) => last[column]);
  }
}

/** How many rows a table holds. */
export async function countRows(db: AnyDb, table: TableName): Promise<number> {
  const { rows } = await sql<{ n: number | string }>`select count(*) as n from ${sql.table(table)}`.execute(db);
  return Number(rows[0]?.n ?? 0);
}

/** Orders rows so that each one's parent (spec.parent) comes before it; a row whose parent is missing keeps its place. */
export function parentsFirst(spec: TableSpec, rows: readonly BundleRow[]): BundleRow[] {
  const column = spec.parent;
  if (!column) return [...rows];
  const byId = new Map(rows.map((row) => [String(row[spec.key[0]!]), row]));
  const placed = new Set<string>();
  const ordered: BundleRow[] = [];
  const visit = (row: BundleRow, depth: number) => {
    const id = String(row[spec.key[0]!]);
    if (placed.has(id)) return;
    const parent = row[column];
    if (typeof parent === 'string' && byId.has(parent) && depth < rows.length) visit(byId.get(parent)!, depth + 1);
    if (placed.has(id)) return;
    placed.add(id);
    ordered.push(row);
  };
  for (const row of rows) visit(row, 0);
  return ordered;
}

export class BundleLoadError extends Error {
  override name = 'BundleLoadError';
}

/** Inserts a table's rows in batches; a refused row names its table and key. */
export async function loadTable(trx: Transaction<Database>, spec: TableSpec, rows: readonly BundleRow[]): Promise<number> {
  const ordered = parentsFirst(spec, rows);
  let loaded = 0;
  let index = 0;
  while (index < ordered.length) {
    const width = Math.max(1, Object.keys(ordered[index]!).length);
    const batch = ordered.slice(index, index + Math.max(1, Math.min(LOAD_BATCH, Math.floor(MAX_PARAMETERS / width))));
    index += batch.length;
    for (const row of batch) {
      if (typeof row !== 'object' || row === null || Array.isArray(row))
        throw new BundleLoadError(`${spec.table}: every row must be a JSON object.`);
    }
    try {
      // The tables are named at run time; the rows were checked as objects above.
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      await (trx as Transaction<any>).insertInto(spec.table).values(batch).execute();
    } catch (error) {
      const first = batch[0]!;
      const key = spec.key.map((column) => String(first[column])).join(', ');
      throw new BundleLoadError(
        `${spec.table}: the database refused the rows from ${key} on (${error instanceof Error ? error.message : String(error)}).`,
      );
    }
    loaded += batch.length;
  }
  return loaded;
}
