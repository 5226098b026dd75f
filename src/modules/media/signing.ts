// Signed addresses for private pictures: a juror's page carries links that work
// for anyone holding them, but only until they expire, and only for the file
// they name. The key is derived from the site secret, for this use alone.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Picture } from './media.service.js';

/** How long a signed picture address works: long enough to read an entry, short enough that a shared link dies. */
export const GRANT_TTL_MS = 60 * 60 * 1000;

export class PictureSigner {
  private readonly key: Buffer;

  constructor(secret: string) {
    this.key = createHmac('sha256', secret).update('harbinger private pictures').digest();
  }

  sign(file: string, expires: number): string {
    return createHmac('sha256', this.key).update(`${file}\n${expires}`).digest('base64url');
  }

  verify(file: string, expires: unknown, signature: unknown, now: number = Date.now()): boolean {
    if (typeof expires !== 'string' || typeof signature !== 'string' || !/^[0-9]{1,15}$/.test(expires)) return false;
    const at = Number(expires);
    if (at <= now) return false;
    const expected = Buffer.from(this.sign(file, at));
    const given = Buffer.from(signature);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  /** The picture with signed addresses for its master and variants; public pictures need none. */
  grant(picture: Picture, ttlMs: number = GRANT_TTL_MS, now: number = Date.now()): Picture {
    if (!picture.private) return picture;
    const expires = now + ttlMs;
    const signatures: Record<string, string> = {};
    for (const file of [picture.original, ...picture.variants.map((v) => v.file)]) signatures[file] = this.sign(file, expires);
    return { ...picture, grant: { expires, signatures } };
  }
}
