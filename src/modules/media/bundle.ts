// The media module's part of a bundle: the media rows, and the files they name
// copied beside bundle.json — public pictures and their variants under
// media/public/, private pictures (prize entries) under media/private/pictures/,
// and the uploaded originals under media/private/originals/. After an import a
// picture still waiting for its variants is handed to the job queue again.
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Kysely, Transaction } from 'kysely';
import { dumpTable, type BundlePart, type TableSpec } from '../../db/bundle-tables.js';
import { parseJsonArray } from '../../db/database.js';
import type { Database, MediaVariant } from '../../db/schema.js';
import { enqueue } from '../../jobs/index.js';
import { VARIANTS_JOB, type MediaDirs } from './media.service.js';

const MEDIA: TableSpec = { table: 'media', key: ['id'] };

/** A file of the bundle: where it sits under media/ and where it lives on this server. */
export interface MediaFile {
  /** e.g. public/3f2a…-full.jpg, private/originals/3f2a….png */
  bundlePath: string;
  path: string;
}

/** The shape of a bundle path: one of the three folders, then a plain file name (no way out of them). */
export const MEDIA_BUNDLE_PATH = /^(public|private\/pictures|private\/originals)\/[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** Where a bundle path's file goes on this server, or null for a path outside the three folders. */
export function mediaPathOf(bundlePath: string, dirs: MediaDirs): string | null {
  const match = MEDIA_BUNDLE_PATH.exec(bundlePath);
  if (!match) return null;
  const name = bundlePath.slice(match[1]!.length + 1);
  if (match[1] === 'public') return join(dirs.publicDir, name);
  if (!dirs.privateDir) return null;
  return join(dirs.privateDir, match[1] === 'private/pictures' ? 'pictures' : 'originals', name);
}

async function isFile(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.isFile(),
    () => false,
  );
}

async function originalsByHash(dirs: MediaDirs): Promise<Map<string, string[]>> {
  const byHash = new Map<string, string[]>();
  if (!dirs.privateDir) return byHash;
  const names = await readdir(join(dirs.privateDir, 'originals')).catch(() => [] as string[]);
  for (const name of names.sort()) {
    const hash = name.slice(0, name.indexOf('.') === -1 ? name.length : name.indexOf('.'));
    byHash.set(hash, [...(byHash.get(hash) ?? []), name]);
  }
  return byHash;
}

export const mediaBundle: BundlePart & {
  /** Every file the media rows name that is on disk, in the rows' order; `missing` counts those that are not (removed pictures). */
  files(db: Kysely<Database> | Transaction<Database>, dirs: MediaDirs): AsyncGenerator<MediaFile, { missing: number }>;
} = {
  module: 'media',
  tables: [MEDIA],
  async *files(db, dirs) {
    const originals = await originalsByHash(dirs);
    let missing = 0;
    for await (const row of dumpTable(db, MEDIA)) {
      const folder = row.visibility === 'private' ? 'private/pictures' : 'public';
      const served = [String(row.file), ...parseJsonArray<MediaVariant>(String(row.variants)).map((v) => v.file)];
      const names = [...new Set(served)].map((name) => `${folder}/${name}`);
      for (const name of originals.get(String(row.hash)) ?? []) names.push(`private/originals/${name}`);
      for (const bundlePath of names) {
        const path = mediaPathOf(bundlePath, dirs);
        if (path && (await isFile(path))) yield { bundlePath, path };
        else if (row.removed_at === null) missing++;
      }
    }
    return { missing };
  },
  async afterLoad(trx) {
    const waiting = await trx
      .selectFrom('media')
      .select('id')
      .where('variants', '=', '[]')
      .where('removed_at', 'is', null)
      .orderBy('id')
      .execute();
    for (const { id } of waiting) await enqueue(trx, VARIANTS_JOB, { mediaId: id }, { uniqueKey: `${VARIANTS_JOB}:${id}` });
    return { 'pictures queued for their variants': waiting.length };
  },
};
