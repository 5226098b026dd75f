// The media module's part of a bundle: the media rows, and the files they name
// copied beside bundle.json — public pictures and their variants under
// media/public/, private pictures (prize entries) under media/private/pictures/,
// and the uploaded originals under media/private/originals/. After an import a
// picture still waiting for its variants is handed to the job queue again.
import type { Kysely, Transaction } from 'kysely';
import { dumpTable, type BundlePart, type TableSpec } from '../../db/bundle-tables.js';
import { parseJsonArray } from '../../db/database.js';
import type { Database, MediaVariant } from '../../db/schema.js';
import { enqueue } from '../../jobs/index.js';
import { VARIANTS_JOB } from './media.service.js';
import { parseMediaKey, type MediaStorage } from './storage.js';

const MEDIA: TableSpec = { table: 'media', key: ['id'] };

/** A file of the bundle: where it sits under media/, which is also its key in the media store. */
export interface MediaFile {
  /** e.g. public/3f2a…-full.jpg, private/originals/3f2a….png */
  bundlePath: string;
}

/** The shape of a bundle path: one of the three folders, then a plain file name (no way out of them). */
export const MEDIA_BUNDLE_PATH = /^(public|private\/pictures|private\/originals)\/[A-Za-z0-9][A-Za-z0-9._-]*$/;

/**
 * The media store's key for a bundle path (the bundle's media/ folder has the
 * store's layout), or null for a path outside the three folders or a private one
 * on a store that keeps none.
 */
export function mediaKeyOf(bundlePath: string, storage: MediaStorage): string | null {
  const parsed = parseMediaKey(bundlePath);
  if (!parsed) return null;
  if (parsed.folder !== 'public' && !storage.keepsPrivate) return null;
  return bundlePath;
}

async function originalsByHash(storage: MediaStorage): Promise<Map<string, string[]>> {
  const byHash = new Map<string, string[]>();
  if (!storage.keepsPrivate) return byHash;
  const names: string[] = [];
  for await (const key of storage.list('private/originals')) names.push(key.slice('private/originals/'.length));
  for (const name of names.sort()) {
    const hash = name.slice(0, name.indexOf('.') === -1 ? name.length : name.indexOf('.'));
    byHash.set(hash, [...(byHash.get(hash) ?? []), name]);
  }
  return byHash;
}

export const mediaBundle: BundlePart & {
  /** Every file the media rows name that is in the store, in the rows' order; `missing` counts those that are not (removed pictures). */
  files(db: Kysely<Database> | Transaction<Database>, storage: MediaStorage): AsyncGenerator<MediaFile, { missing: number }>;
} = {
  module: 'media',
  tables: [MEDIA],
  async *files(db, storage) {
    const originals = await originalsByHash(storage);
    let missing = 0;
    for await (const row of dumpTable(db, MEDIA)) {
      const folder = row.visibility === 'private' ? 'private/pictures' : 'public';
      const served = [String(row.file), ...parseJsonArray<MediaVariant>(String(row.variants)).map((v) => v.file)];
      const names = [...new Set(served)].map((name) => `${folder}/${name}`);
      for (const name of originals.get(String(row.hash)) ?? []) names.push(`private/originals/${name}`);
      for (const bundlePath of names) {
        const key = mediaKeyOf(bundlePath, storage);
        if (key && (await storage.stat(key))) yield { bundlePath };
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
