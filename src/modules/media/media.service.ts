// Stores pictures so that nothing they carry leaks: the type is read from the
// bytes (never the file name), sizes are bounded before decoding, and the
// picture is decoded in full before anything is written. What is served is a
// re-encoded copy (the "master", orientation applied, colour profile kept, EXIF
// and XMP gone) and its responsive variants, made later by the job queue. The
// uploaded original is kept only under private/ in the media store (storage.ts),
// which no route serves. A prize entrant's photograph is private: its files stay
// under private/ until the results that include it are published.
import { createHash, randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import type SharpModule from 'sharp';
import type { Metadata } from 'sharp';
import type { Db } from '../../db/database.js';
import { nowIso, parseJsonArray } from '../../db/database.js';
import type { MediaPurpose, MediaRow, MediaVariant } from '../../db/schema.js';
import { enqueue } from '../../jobs/index.js';
import { newId } from '../../lib/ids.js';
import { BadRequestError } from '../../web/errors.js';
import {
  countRecentUploads,
  findLegacyMedia,
  findMediaByHash,
  findMediaById,
  findMediaByIds,
  findPrivateMediaIdsOf,
  insertMedia,
  markMediaPublic,
  markMediaRemoved,
  updateMediaFile,
  updateVariants,
} from './media.repository.js';
import { contentTypeOf, type MediaFolder, type MediaStorage } from './storage.js';

// sharp (and libvips under it) is loaded with the first picture, not at start:
// it is tens of megabytes, and most requests and processes never need it.
const require = createRequire(import.meta.url);
let sharpModule: typeof SharpModule | undefined;
const sharp = ((...args: Parameters<typeof SharpModule>) =>
  (sharpModule ??= require('sharp') as typeof SharpModule)(...args)) as typeof SharpModule;

/** What the newsroom's staff may upload. */
export const MAX_UPLOAD_BYTES = 20 * 1024 * 1024;
export const MAX_INPUT_PIXELS = 50_000_000;

export interface UploadLimits {
  bytes: number;
  pixels: number;
}

export const STAFF_UPLOAD_LIMITS: UploadLimits = { bytes: MAX_UPLOAD_BYTES, pixels: MAX_INPUT_PIXELS };
/** What a reader (a prize entrant) may upload: a phone photograph fits easily. */
export const READER_UPLOAD_LIMITS: UploadLimits = { bytes: 8 * 1024 * 1024, pixels: 24_000_000 };
/** Photographs one reader account may upload in an hour. */
export const READER_UPLOADS_PER_HOUR = 12;

/** The served master is at most this many pixels on its long edge. */
export const MASTER_MAX_EDGE = 2400;
const WIDTHS = [480, 960, 1600];
const FORMATS = { jpeg: 'image/jpeg', png: 'image/png', webp: 'image/webp', heif: 'image/avif' } as const;
const EXTENSIONS: Record<string, string> = { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/webp': 'webp', 'image/avif': 'avif' };

export const VARIANTS_JOB = 'media_variants';

/** The folder of a picture's served files: private ones (prize entries) are kept apart until published. */
function servedFolder(row: Pick<MediaRow, 'visibility'>): MediaFolder {
  return row.visibility === 'private' ? 'private/pictures' : 'public';
}

/** The storage key of one of a picture's served files. */
export function servedKey(row: Pick<MediaRow, 'visibility'>, file: string): string {
  return `${servedFolder(row)}/${file}`;
}

function originalKey(row: Pick<MediaRow, 'hash' | 'mime'>): string {
  return `private/originals/${row.hash}.${EXTENSIONS[row.mime] ?? 'bin'}`;
}

function servedFiles(row: MediaRow): string[] {
  return [...new Set([row.file, ...parseJsonArray<MediaVariant>(row.variants).map((v) => v.file)])];
}

export interface PictureMeta {
  alt: string;
  caption?: string;
  creditCreator?: string;
  creditSource?: string;
  /** The account that uploaded it, if any. */
  uploadedBy?: string | null;
}

export interface StoreOptions {
  /** 'prize_entry' pictures are private and never listed in the library. */
  purpose?: MediaPurpose;
  limits?: UploadLimits;
  /** Uploads allowed per account in the last hour (counted before decoding). */
  perHour?: number;
  /** 'queue' (uploads) hands the variants to the job queue; 'now' (the demo seed) makes them at once. */
  variants?: 'queue' | 'now';
  /** False for pictures with nothing to keep private (the demo's generated ones): no original is stored. */
  keepOriginal?: boolean;
}

export interface Picture {
  id: string;
  width: number;
  height: number;
  alt: string;
  caption: string;
  creditCreator: string;
  creditSource: string;
  variants: MediaVariant[];
  /** The served master (never the uploaded original). */
  original: string;
  /** Served only to those allowed, at /entry-photos. */
  private: boolean;
  /** Signatures that let anyone holding the page see a private picture until `expires` (ms since the epoch). */
  grant?: { expires: number; signatures: Record<string, string> };
}

export function toPicture(row: MediaRow): Picture {
  return {
    id: row.id,
    width: row.width,
    height: row.height,
    alt: row.alt,
    caption: row.caption,
    creditCreator: row.credit_creator,
    creditSource: row.credit_source,
    variants: parseJsonArray<MediaVariant>(row.variants),
    original: row.file,
    private: row.visibility === 'private',
  };
}

function megabytes(bytes: number): string {
  return `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB`;
}

/** Reads the real type of an image from its header (no pixels decoded); anything else is refused. */
export async function inspectImage(
  bytes: Buffer,
  limits: UploadLimits = STAFF_UPLOAD_LIMITS,
): Promise<{ mime: string; width: number; height: number }> {
  if (bytes.length > limits.bytes) {
    throw new BadRequestError(
      `The picture is ${megabytes(bytes.length)}; the most we accept is ${megabytes(limits.bytes)}. Save a smaller copy and choose it again.`,
      'picture_too_large',
    );
  }
  let meta: Metadata;
  try {
    meta = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch {
    throw new BadRequestError('That file is not a picture we can read. Upload a JPEG, PNG, WebP or AVIF image.', 'not_a_picture');
  }
  const mime = meta.format ? FORMATS[meta.format as keyof typeof FORMATS] : undefined;
  if (!mime || (meta.format === 'heif' && meta.compression !== 'av1')) {
    throw new BadRequestError('Only JPEG, PNG, WebP and AVIF pictures can be uploaded.', 'unsupported_picture');
  }
  const width = meta.autoOrient?.width ?? meta.width ?? 0;
  const height = meta.autoOrient?.height ?? meta.height ?? 0;
  if (width < 1 || height < 1) throw new BadRequestError('The picture has no size.', 'not_a_picture');
  if (width * height > limits.pixels) {
    throw new BadRequestError(
      `The picture is ${width} × ${height} pixels; the most we accept is ${limits.pixels / 1_000_000} megapixels. Save a smaller copy (3,000 pixels wide is plenty) and choose it again.`,
      'picture_too_many_pixels',
    );
  }
  return { mime, width, height };
}

/** Writes a file unless it is there already (the same name always holds the same bytes); true when written. */
async function putNew(storage: MediaStorage, key: string, bytes: Buffer): Promise<boolean> {
  if (await storage.stat(key)) return false;
  await storage.put(key, bytes, contentTypeOf(key));
  return true;
}

const UNREADABLE = 'That picture could not be read: the file may be damaged or cut off. Export it again and upload the new file.';

/**
 * Decodes every pixel and re-encodes: orientation applied, ICC profile kept, no
 * EXIF or XMP, at most MASTER_MAX_EDGE on the long edge. Pictures with
 * transparency stay PNG; everything else becomes JPEG, which every browser shows.
 */
async function makeMaster(
  bytes: Buffer,
  limits: UploadLimits,
): Promise<{ data: Buffer; ext: 'jpg' | 'png'; width: number; height: number }> {
  try {
    const input = sharp(bytes, { limitInputPixels: limits.pixels, failOn: 'error' });
    const { hasAlpha } = await input.metadata();
    const pipeline = input
      .autoOrient()
      .resize({ width: MASTER_MAX_EDGE, height: MASTER_MAX_EDGE, fit: 'inside', withoutEnlargement: true })
      .keepIccProfile();
    const { data, info } = hasAlpha
      ? await pipeline.png({ compressionLevel: 9 }).toBuffer({ resolveWithObject: true })
      : await pipeline
          .flatten({ background: '#ffffff' })
          .jpeg({ quality: 88, mozjpeg: true, progressive: true })
          .toBuffer({ resolveWithObject: true });
    return { data, ext: hasAlpha ? 'png' : 'jpg', width: info.width, height: info.height };
  } catch {
    throw new BadRequestError(UNREADABLE, 'picture_unreadable');
  }
}

/**
 * Stores a picture (or, in the library, returns the one already stored with the
 * same bytes). Nothing is written until the whole picture has decoded; files are
 * written atomically, and removed again if the row cannot be stored.
 */
export async function storePicture(
  db: Db,
  storage: MediaStorage,
  bytes: Buffer,
  meta: PictureMeta,
  options: StoreOptions = {},
): Promise<Picture> {
  const purpose = options.purpose ?? 'library';
  const limits = options.limits ?? STAFF_UPLOAD_LIMITS;
  const alt = meta.alt.trim();
  if (alt === '') throw new BadRequestError('Describe the picture in its alt text: readers who cannot see it rely on it.', 'alt_required');
  const info = await inspectImage(bytes, limits);
  if (options.perHour !== undefined && meta.uploadedBy) {
    const since = new Date(Date.now() - 60 * 60 * 1000).toISOString();
    if ((await countRecentUploads(db, meta.uploadedBy, since)) >= options.perHour) {
      throw new BadRequestError(
        `You have uploaded ${options.perHour} photographs in the last hour, the most we accept. Your other changes are kept; choose the photograph again in an hour.`,
        'too_many_uploads',
      );
    }
  }
  const visibility = purpose === 'library' ? 'public' : 'private';
  // The library shares identical bytes; a private picture gets a key nobody can derive from the file.
  const key = purpose === 'library' ? createHash('sha256').update(bytes).digest('hex') : randomBytes(32).toString('hex');
  if (purpose === 'library') {
    const existing = await findMediaByHash(db, key);
    if (existing) return toPicture(existing);
  }

  const master = await makeMaster(bytes, limits);
  if (visibility === 'private' && !storage.keepsPrivate) throw new Error('Private pictures need a private media store');
  const file = `${key}-full.${master.ext}`;
  const written: string[] = [];
  const row: MediaRow = {
    id: newId(),
    hash: key,
    mime: info.mime,
    bytes: bytes.length,
    width: master.width,
    height: master.height,
    file,
    alt,
    caption: meta.caption?.trim() ?? '',
    credit_creator: meta.creditCreator?.trim() ?? '',
    credit_source: meta.creditSource?.trim() ?? '',
    variants: '[]',
    uploaded_by: meta.uploadedBy ?? null,
    created_at: nowIso(),
    purpose,
    visibility,
    removed_at: null,
  };
  try {
    if (await putNew(storage, servedKey(row, file), master.data)) written.push(servedKey(row, file));
    // Without a private store (the demo seed's generated pictures) there is nothing to keep.
    const keepOriginal = storage.keepsPrivate && options.keepOriginal !== false;
    if (keepOriginal && (await putNew(storage, originalKey(row), bytes))) written.push(originalKey(row));
    await db.transaction().execute(async (trx) => {
      await insertMedia(trx, row);
      if (options.variants !== 'now') await enqueue(trx, VARIANTS_JOB, { mediaId: row.id }, { uniqueKey: `${VARIANTS_JOB}:${row.id}` });
    });
  } catch (error) {
    await storage.delete(written);
    // Two uploads of the same bytes at once: the other one's row stands.
    const raced = purpose === 'library' ? await findMediaByHash(db, key).catch(() => undefined) : undefined;
    if (raced) return toPicture(raced);
    throw error;
  }
  if (options.variants === 'now') return (await makeVariants(db, storage, row.id)) ?? toPicture(row);
  return toPicture(row);
}

function variantWidths(width: number): number[] {
  const widths = WIDTHS.filter((w) => w < width);
  if (widths.length === 0 || width <= 1600) widths.push(Math.min(width, 1600));
  return [...new Set(widths)].sort((a, b) => a - b);
}

/**
 * Makes the AVIF, WebP and JPEG variants of a stored picture from its master
 * (already stripped and bounded) and records them. Idempotent: files already
 * written are kept. Returns null when the picture is gone or removed.
 */
export async function makeVariants(db: Db, storage: MediaStorage, mediaId: string): Promise<Picture | null> {
  const row = await findMediaById(db, mediaId);
  if (!row || row.removed_at) return null;
  const master = await storage.get(servedKey(row, row.file));
  if (!master) throw new Error(`The master of picture ${row.id} (${servedKey(row, row.file)}) is missing`);
  const variants: MediaVariant[] = [];
  const written: string[] = [];
  for (const w of variantWidths(row.width)) {
    const h = Math.round((row.height * w) / row.width);
    for (const format of ['avif', 'webp', 'jpeg'] as const) {
      const file = `${row.hash}-${w}.${format === 'jpeg' ? 'jpg' : format}`;
      const key = servedKey(row, file);
      const stored = await storage.stat(key);
      let size: number;
      if (stored) {
        size = stored.size;
      } else {
        const pipeline = sharp(master, { limitInputPixels: MASTER_MAX_EDGE * MASTER_MAX_EDGE })
          .resize({ width: w })
          .keepIccProfile();
        const out =
          format === 'avif'
            ? await pipeline.avif({ quality: 55, effort: 2 }).toBuffer()
            : format === 'webp'
              ? await pipeline.webp({ quality: 78 }).toBuffer()
              : await pipeline.flatten({ background: '#ffffff' }).jpeg({ quality: 80, mozjpeg: true, progressive: true }).toBuffer();
        await storage.put(key, out, contentTypeOf(file));
        written.push(key);
        size = out.length;
      }
      variants.push({ format, width: w, height: h, file, bytes: size });
    }
  }
  await updateVariants(db, row.id, JSON.stringify(variants));
  const now = await findMediaById(db, row.id);
  if (!now || now.removed_at) {
    // Removed while the variants were being made: take them away again.
    await storage.delete(written);
    return null;
  }
  if (now.visibility !== row.visibility) await copyServedFiles(storage, now, 'private/pictures', 'public');
  return toPicture(now);
}

async function copyServedFiles(storage: MediaStorage, row: MediaRow, from: MediaFolder, to: MediaFolder): Promise<void> {
  for (const file of servedFiles(row)) {
    if ((await storage.stat(`${from}/${file}`)) && !(await storage.stat(`${to}/${file}`)))
      await storage.copy(`${from}/${file}`, `${to}/${file}`);
  }
}

/**
 * Makes private pictures public (a prize photograph that is part of published
 * results): their served files are copied to the public directory, then the row
 * says so. The originals stay private.
 */
export async function publishPictures(db: Db, storage: MediaStorage, ids: (string | null)[]): Promise<number> {
  const rows = await findMediaByIds(db, [...new Set(ids.filter((id): id is string => id !== null))]);
  let published = 0;
  for (const row of rows) {
    if (row.visibility !== 'private' || row.removed_at) continue;
    await copyServedFiles(storage, row, 'private/pictures', 'public');
    await markMediaPublic(db, row.id);
    published++;
  }
  return published;
}

/**
 * Deletes a private picture that nothing uses any more (a prize draft's replaced
 * photograph): its original, master and variants. The row stays, emptied of its
 * description, so uploads can still be counted per account.
 */
export async function discardPrivatePicture(db: Db, storage: MediaStorage, mediaId: string): Promise<boolean> {
  const row = await findMediaById(db, mediaId);
  if (!row || row.purpose === 'library' || row.visibility !== 'private' || row.removed_at) return false;
  await markMediaRemoved(db, row.id, nowIso());
  await storage.delete([...servedFiles(row).map((file) => servedKey(row, file)), originalKey(row)]);
  return true;
}

/**
 * An account is deleted: its private pictures go with it, files and originals
 * included (published winners' pictures are public by then and stay with the
 * results). Runs in the deletion's transaction.
 */
export async function discardPrivatePicturesOf(db: Db, storage: MediaStorage, userId: string): Promise<number> {
  const ids = await findPrivateMediaIdsOf(db, userId);
  for (const id of ids) await discardPrivatePicture(db, storage, id);
  return ids.length;
}

export async function picturesByIds(db: Db, ids: (string | null)[]): Promise<Map<string, Picture>> {
  const wanted = [...new Set(ids.filter((id): id is string => id !== null))];
  const rows = await findMediaByIds(db, wanted);
  return new Map(rows.filter((row) => !row.removed_at).map((row) => [row.id, toPicture(row)]));
}

/** Puts the move of legacy originals on the queue, once, if any picture still has one. */
export async function scheduleLegacyOriginals(db: Db): Promise<boolean> {
  if ((await findLegacyMedia(db, 1)).length === 0) return false;
  await enqueue(db, LEGACY_ORIGINALS_JOB, {}, { uniqueKey: LEGACY_ORIGINALS_JOB });
  return true;
}

/** A private picture and the file asked for, if that file is one of its served files. */
export async function privatePictureFile(db: Db, file: string): Promise<MediaRow | null> {
  const row = await findMediaByHash(db, file.slice(0, 64));
  if (!row || row.visibility !== 'private' || row.removed_at) return null;
  const files = new Set([row.file, ...parseJsonArray<MediaVariant>(row.variants).map((v) => v.file)]);
  return files.has(file) ? row : null;
}

export const LEGACY_ORIGINALS_JOB = 'media_legacy_originals';

/**
 * Pictures stored before originals were kept private have their uploaded bytes
 * in the public directory as `<hash>.<ext>` (EXIF and all). Each gets a stripped
 * master; the original moves to the private directory (or is deleted when there
 * is none). Idempotent: a row is done once its file is a master.
 */
export async function moveLegacyOriginals(db: Db, storage: MediaStorage): Promise<number> {
  let moved = 0;
  for (;;) {
    const rows = await findLegacyMedia(db, 20);
    if (rows.length === 0) return moved;
    for (const row of rows) {
      const legacyKey = `public/${row.file}`;
      const bytes = await storage.get(legacyKey).catch(() => null);
      let file: string | null = null;
      if (bytes) {
        const master = await makeMaster(bytes, { bytes: Number.MAX_SAFE_INTEGER, pixels: MAX_INPUT_PIXELS }).catch(() => null);
        if (master) {
          file = `${row.hash}-full.${master.ext}`;
          await putNew(storage, `public/${file}`, master.data);
        }
        if (storage.keepsPrivate) await storage.put(`private/originals/${row.file}`, bytes, contentTypeOf(row.file));
        await storage.delete([legacyKey]);
      }
      // Without a readable original, the largest variant stands in as the master.
      file ??=
        parseJsonArray<MediaVariant>(row.variants)
          .filter((v) => v.format === 'jpeg')
          .at(-1)?.file ?? `${row.hash}-full.jpg`;
      await updateMediaFile(db, row.id, file);
      moved++;
    }
  }
}

/** Job handlers: variants are made by the queue, at most `concurrency` at once in this process. */
export function mediaJobHandlers(
  db: Db,
  storage: MediaStorage,
  options: { concurrency?: number } = {},
): Record<string, (payload: unknown) => Promise<void>> {
  const limit = Math.max(1, options.concurrency ?? 1);
  let running = 0;
  const waiting: (() => void)[] = [];
  async function withSlot<T>(work: () => Promise<T>): Promise<T> {
    // A finishing job hands its slot straight to the next one waiting, so the count never overshoots.
    if (running >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    else running++;
    try {
      return await work();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else running--;
    }
  }
  return {
    [LEGACY_ORIGINALS_JOB]: async () => {
      await withSlot(() => moveLegacyOriginals(db, storage));
    },
    [VARIANTS_JOB]: async (payload) => {
      const mediaId = (payload as { mediaId?: unknown } | null)?.mediaId;
      if (typeof mediaId !== 'string') return;
      await withSlot(() => makeVariants(db, storage, mediaId));
    },
  };
}
