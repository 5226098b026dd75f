// Stores pictures: the type is read from the bytes (never the file name), sizes
// are bounded before decoding, and sharp writes AVIF, WebP and JPEG variants at a
// few widths, all named by the content hash so a file never changes once written.
import { createHash } from 'node:crypto';
import { mkdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp, { type Metadata } from 'sharp';
import type { Db } from '../../db/database.js';
import { nowIso, parseJsonArray } from '../../db/database.js';
import type { MediaRow, MediaVariant } from '../../db/schema.js';
import { newId } from '../../lib/ids.js';
import { BadRequestError } from '../../web/errors.js';
import { findMediaByHash, findMediaByIds, insertMedia } from './media.repository.js';

export const MAX_UPLOAD_BYTES = 20 * 1024 * 1024;
export const MAX_INPUT_PIXELS = 50_000_000;
const WIDTHS = [480, 960, 1600];
const FORMATS = { jpeg: 'image/jpeg', png: 'image/png', webp: 'image/webp', heif: 'image/avif' } as const;
const EXTENSIONS: Record<string, string> = { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/webp': 'webp', 'image/avif': 'avif' };

export interface PictureMeta {
  alt: string;
  caption?: string;
  creditCreator?: string;
  creditSource?: string;
  /** The account that uploaded it, if any. */
  uploadedBy?: string | null;
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
  original: string;
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
  };
}

/** Reads the real type of an image from its bytes; anything else is refused. */
export async function inspectImage(bytes: Buffer): Promise<{ mime: string; width: number; height: number }> {
  if (bytes.length > MAX_UPLOAD_BYTES) {
    throw new BadRequestError(`The picture is larger than ${MAX_UPLOAD_BYTES / 1024 / 1024} MB.`, 'picture_too_large');
  }
  let meta: Metadata;
  try {
    // Reading the header only: no pixels are decoded here.
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
  if (width * height > MAX_INPUT_PIXELS) {
    throw new BadRequestError(
      `The picture is ${width} × ${height} pixels; the most we accept is ${MAX_INPUT_PIXELS / 1_000_000} megapixels.`,
      'picture_too_many_pixels',
    );
  }
  return { mime, width, height };
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

async function writeVariants(bytes: Buffer, hash: string, width: number, height: number, mediaDir: string): Promise<MediaVariant[]> {
  const widths = WIDTHS.filter((w) => w < width);
  if (widths.length === 0 || width <= 1600) widths.push(Math.min(width, 1600));
  const unique = [...new Set(widths)].sort((a, b) => a - b);
  const variants: MediaVariant[] = [];
  for (const w of unique) {
    const h = Math.round((height * w) / width);
    for (const format of ['avif', 'webp', 'jpeg'] as const) {
      const file = `${hash}-${w}.${format === 'jpeg' ? 'jpg' : format}`;
      const path = join(mediaDir, file);
      let size: number;
      if (await exists(path)) {
        size = (await stat(path)).size;
      } else {
        const pipeline = sharp(bytes, { limitInputPixels: MAX_INPUT_PIXELS }).autoOrient().resize({ width: w });
        const out =
          format === 'avif'
            ? await pipeline.avif({ quality: 55, effort: 2 }).toBuffer()
            : format === 'webp'
              ? await pipeline.webp({ quality: 78 }).toBuffer()
              : await pipeline.jpeg({ quality: 80, mozjpeg: true, progressive: true }).toBuffer();
        await writeFile(path, out);
        size = out.length;
      }
      variants.push({ format, width: w, height: h, file, bytes: size });
    }
  }
  return variants;
}

/** Stores a picture (or returns the one already stored with the same bytes). */
export async function storePicture(db: Db, mediaDir: string, bytes: Buffer, meta: PictureMeta): Promise<Picture> {
  const alt = meta.alt.trim();
  if (alt === '') throw new BadRequestError('Describe the picture in its alt text: readers who cannot see it rely on it.', 'alt_required');
  const info = await inspectImage(bytes);
  const hash = createHash('sha256').update(bytes).digest('hex');
  const existing = await findMediaByHash(db, hash);
  if (existing) return toPicture(existing);
  await mkdir(mediaDir, { recursive: true });
  const file = `${hash}.${EXTENSIONS[info.mime]}`;
  if (!(await exists(join(mediaDir, file)))) await writeFile(join(mediaDir, file), bytes);
  const variants = await writeVariants(bytes, hash, info.width, info.height, mediaDir);
  const row: MediaRow = {
    id: newId(),
    hash,
    mime: info.mime,
    bytes: bytes.length,
    width: info.width,
    height: info.height,
    file,
    alt,
    caption: meta.caption?.trim() ?? '',
    credit_creator: meta.creditCreator?.trim() ?? '',
    credit_source: meta.creditSource?.trim() ?? '',
    variants: JSON.stringify(variants),
    uploaded_by: meta.uploadedBy ?? null,
    created_at: nowIso(),
  };
  await insertMedia(db, row);
  return toPicture(row);
}

export async function picturesByIds(db: Db, ids: (string | null)[]): Promise<Map<string, Picture>> {
  const wanted = [...new Set(ids.filter((id): id is string => id !== null))];
  const rows = await findMediaByIds(db, wanted);
  return new Map(rows.map((row) => [row.id, toPicture(row)]));
}
