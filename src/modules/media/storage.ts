// Where picture files live: folders on this server's disk (the default), or an
// S3-compatible bucket shared by every app server. Both hold the same keys:
// `public/<file>` (stripped masters and variants, which anyone may fetch),
// `private/pictures/<file>` (prize entrants' photographs until their results are
// out) and `private/originals/<file>` (the bytes as uploaded, EXIF and all). The
// private keys are never served as they are: the app reads them for those allowed.
import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { copyFile, mkdir, readdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import type { Readable } from 'node:stream';
import type * as S3 from '@aws-sdk/client-s3';
import type { Config } from '../../config.js';

// The AWS SDK is loaded only when the media live in a bucket: it is tens of megabytes.
const require = createRequire(import.meta.url);
const s3 = () => require('@aws-sdk/client-s3') as typeof S3;

/** The three folders of a store; a key is one of them, a slash and a file name. */
export const MEDIA_FOLDERS = ['public', 'private/pictures', 'private/originals'] as const;
export type MediaFolder = (typeof MEDIA_FOLDERS)[number];

const KEY_RE = /^(public|private\/pictures|private\/originals)\/([A-Za-z0-9][A-Za-z0-9._-]*)$/;

/** The folder and file name of a key, or null for anything else (no way out of the three folders). */
export function parseMediaKey(key: string): { folder: MediaFolder; name: string } | null {
  const match = KEY_RE.exec(key);
  return match ? { folder: match[1] as MediaFolder, name: match[2]! } : null;
}

/** Public files never change their bytes under a name: caches may keep them for a year. */
export const IMMUTABLE = 'public, max-age=31536000, immutable';

const TYPES: Record<string, string> = {
  avif: 'image/avif',
  webp: 'image/webp',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
};

/** The Content-Type of a stored file, from the extension Harbinger gave it. */
export function contentTypeOf(file: string): string {
  return TYPES[file.slice(file.lastIndexOf('.') + 1).toLowerCase()] ?? 'application/octet-stream';
}

export interface MediaStorage {
  readonly kind: 'local' | 's3';
  /** Whether private keys can be kept (the demo seed's bare public folder keeps no originals). */
  readonly keepsPrivate: boolean;
  put(key: string, bytes: Buffer, contentType: string): Promise<void>;
  /** The whole file, or null when there is none. */
  get(key: string): Promise<Buffer | null>;
  /** The file as a stream with its size, or null when there is none. */
  open(key: string): Promise<{ body: Readable; size: number } | null>;
  stat(key: string): Promise<{ size: number } | null>;
  /** Deletes the files that are there; missing ones are no error. */
  delete(keys: string[]): Promise<void>;
  /** Copies a file to another key (a private picture made public), with the headers its new folder gets. */
  copy(from: string, to: string): Promise<void>;
  /** Every key under a folder (for the bundle), in no particular order. */
  list(folder: MediaFolder): AsyncGenerator<string>;
  /** Throws when the store cannot be reached (for /readyz). */
  ready(): Promise<void>;
  /** Where readers fetch a public file directly, or null when the app serves it at /media. */
  publicUrl(file: string): string | null;
  /** Lets go of connections (a command that used the store is done). */
  close(): void;
}

function checkedKey(key: string): { folder: MediaFolder; name: string } {
  const parsed = parseMediaKey(key);
  if (!parsed) throw new Error(`Not a media key: ${key}`);
  return parsed;
}

/**
 * Today's folders: public files in MEDIA_DIR (served at /media), private ones in
 * `<DATA_DIR>/private-media/{pictures,originals}`. Without a private directory
 * (the demo seed) originals are not kept and private pictures cannot be.
 */
export class LocalMediaStorage implements MediaStorage {
  readonly kind = 'local';

  constructor(
    readonly publicDir: string,
    readonly privateDir: string | null = null,
  ) {}

  get keepsPrivate(): boolean {
    return this.privateDir !== null;
  }

  private dirOf(folder: MediaFolder): string {
    if (folder === 'public') return this.publicDir;
    if (!this.privateDir) throw new Error('Private pictures need a private media directory');
    return join(this.privateDir, folder === 'private/pictures' ? 'pictures' : 'originals');
  }

  /** The file a key names on this disk. */
  pathOf(key: string): string {
    const { folder, name } = checkedKey(key);
    return join(this.dirOf(folder), name);
  }

  async put(key: string, bytes: Buffer): Promise<void> {
    const path = this.pathOf(key);
    await mkdir(join(path, '..'), { recursive: true });
    // Written under a temporary name and renamed: a reader never sees half a file.
    const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      await writeFile(temporary, bytes, { flag: 'wx' });
      await rename(temporary, path);
    } catch (error) {
      await unlink(temporary).catch(() => undefined);
      throw error;
    }
  }

  async get(key: string): Promise<Buffer | null> {
    return readFile(this.pathOf(key)).catch(() => null);
  }

  async open(key: string): Promise<{ body: Readable; size: number } | null> {
    const path = this.pathOf(key);
    const info = await stat(path).catch(() => null);
    return info?.isFile() ? { body: createReadStream(path), size: info.size } : null;
  }

  async stat(key: string): Promise<{ size: number } | null> {
    const info = await stat(this.pathOf(key)).catch(() => null);
    return info?.isFile() ? { size: info.size } : null;
  }

  async delete(keys: string[]): Promise<void> {
    await Promise.all(keys.map((key) => unlink(this.pathOf(key)).catch(() => undefined)));
  }

  async copy(from: string, to: string): Promise<void> {
    const target = this.pathOf(to);
    await mkdir(join(target, '..'), { recursive: true });
    const temporary = `${target}.${randomBytes(6).toString('hex')}.tmp`;
    await copyFile(this.pathOf(from), temporary);
    await rename(temporary, target);
  }

  async *list(folder: MediaFolder): AsyncGenerator<string> {
    if (folder !== 'public' && !this.privateDir) return;
    const names = await readdir(this.dirOf(folder)).catch(() => [] as string[]);
    for (const name of names) if (!name.endsWith('.tmp') && parseMediaKey(`${folder}/${name}`)) yield `${folder}/${name}`;
  }

  async ready(): Promise<void> {
    await mkdir(this.publicDir, { recursive: true });
  }

  publicUrl(): null {
    return null;
  }

  close(): void {}
}

/** The S3 settings of the configuration (MEDIA_STORAGE=s3 and S3_*). */
export type S3MediaOptions = Omit<Extract<Config['media'], { storage: 's3' }>, 'storage'>;

function isMissing(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e?.name === 'NoSuchKey' || e?.name === 'NotFound' || e?.$metadata?.httpStatusCode === 404;
}

/**
 * One bucket of an S3-compatible store, through the AWS SDK v3. Public objects
 * carry a year's immutable Cache-Control and their type, so the bucket (or a CDN
 * in front of it, at S3_PUBLIC_URL) serves them as /media would; private objects
 * say `private, no-store`. Only `public/*` may be readable anonymously.
 */
export class S3MediaStorage implements MediaStorage {
  readonly kind = 's3';
  readonly keepsPrivate = true;
  private readonly client: S3.S3Client;

  constructor(private readonly options: S3MediaOptions) {
    this.client = new (s3().S3Client)({
      region: options.region,
      forcePathStyle: options.forcePathStyle,
      ...(options.endpoint ? { endpoint: options.endpoint } : {}),
      ...(options.accessKeyId && options.secretAccessKey
        ? { credentials: { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey } }
        : {}),
    });
  }

  async put(key: string, bytes: Buffer, contentType: string): Promise<void> {
    const { folder } = checkedKey(key);
    await this.client.send(
      new (s3().PutObjectCommand)({
        Bucket: this.options.bucket,
        Key: key,
        Body: bytes,
        ContentType: contentType,
        CacheControl: folder === 'public' ? IMMUTABLE : 'private, no-store',
      }),
    );
  }

  async get(key: string): Promise<Buffer | null> {
    checkedKey(key);
    try {
      const answer = await this.client.send(new (s3().GetObjectCommand)({ Bucket: this.options.bucket, Key: key }));
      return answer.Body ? Buffer.from(await answer.Body.transformToByteArray()) : null;
    } catch (error) {
      if (isMissing(error)) return null;
      throw error;
    }
  }

  async open(key: string): Promise<{ body: Readable; size: number } | null> {
    checkedKey(key);
    try {
      const answer = await this.client.send(new (s3().GetObjectCommand)({ Bucket: this.options.bucket, Key: key }));
      if (!answer.Body) return null;
      return { body: answer.Body as Readable, size: answer.ContentLength ?? 0 };
    } catch (error) {
      if (isMissing(error)) return null;
      throw error;
    }
  }

  async stat(key: string): Promise<{ size: number } | null> {
    checkedKey(key);
    try {
      const answer = await this.client.send(new (s3().HeadObjectCommand)({ Bucket: this.options.bucket, Key: key }));
      return { size: answer.ContentLength ?? 0 };
    } catch (error) {
      if (isMissing(error)) return null;
      throw error;
    }
  }

  async delete(keys: string[]): Promise<void> {
    for (const key of keys) {
      checkedKey(key);
      await this.client.send(new (s3().DeleteObjectCommand)({ Bucket: this.options.bucket, Key: key }));
    }
  }

  async copy(from: string, to: string): Promise<void> {
    // Read and written again rather than CopyObject: the new key needs its folder's
    // headers, and pictures are small (a master is at most 2,400 pixels a side).
    const bytes = await this.get(from);
    if (!bytes) throw new Error(`No media file at ${from}`);
    await this.put(to, bytes, contentTypeOf(to));
  }

  async *list(folder: MediaFolder): AsyncGenerator<string> {
    let token: string | undefined;
    do {
      const page = await this.client.send(
        new (s3().ListObjectsV2Command)({ Bucket: this.options.bucket, Prefix: `${folder}/`, ContinuationToken: token }),
      );
      for (const item of page.Contents ?? []) if (item.Key && parseMediaKey(item.Key)?.folder === folder) yield item.Key;
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }

  async ready(): Promise<void> {
    await this.client.send(new (s3().HeadBucketCommand)({ Bucket: this.options.bucket }));
  }

  publicUrl(file: string): string {
    return `${this.options.publicUrl}/${file}`;
  }

  close(): void {
    this.client.destroy();
  }
}

/** The store the configuration names: MEDIA_STORAGE=s3's bucket, or MEDIA_DIR and `<DATA_DIR>/private-media`. */
export function mediaStorageFor(config: Pick<Config, 'media' | 'mediaDir' | 'dataDir'>): MediaStorage {
  if (config.media.storage === 's3') return new S3MediaStorage(config.media);
  return new LocalMediaStorage(config.mediaDir, join(config.dataDir, 'private-media'));
}

/** Local folders: `publicDir` served at /media, `privateDir` (if any) for originals and private pictures. */
export function mediaDirs(publicDir: string, privateDir: string | null = null): LocalMediaStorage {
  return new LocalMediaStorage(publicDir, privateDir);
}
