// The media library as staff use it: a page of pictures and an upload that is
// recorded in the audit log. Each takes the actor and refuses anyone the access
// rules leave out, whichever route (or script) calls it.
import { createHash } from 'node:crypto';
import { recordAudit } from '../../db/audit.js';
import type { Db } from '../../db/database.js';
import { ForbiddenError } from '../../web/errors.js';
import { paginate } from '../../web/http.js';
import { canUseMediaLibrary, type Actor } from '../access/index.js';
import { countMedia, listMedia } from './library.repository.js';
import { findMediaByHash } from './media.repository.js';
import { storePicture, type Picture, type PictureMeta } from './media.service.js';
import type { MediaStorage } from './storage.js';

export const LIBRARY_REFUSAL = 'The media library is for the magazine’s writers, editors and mentors. Your account is a reader account.';

function mayUse(actor: Actor): void {
  if (!canUseMediaLibrary(actor)) throw new ForbiddenError(LIBRARY_REFUSAL);
}

/** One page of the library, newest first, with the number of pictures the search matches. */
export async function libraryPage(db: Db, actor: Actor, q: string, page: number, pageSize: number) {
  mayUse(actor);
  const total = await countMedia(db, { q });
  const pagination = paginate(page, pageSize, total);
  const rows = await listMedia(db, { q }, { limit: pageSize, offset: pagination.offset });
  return { total, pagination, rows };
}

/** Stores an uploaded picture (once per file: the same bytes again are the same picture) and records who added it. */
export async function addToLibrary(
  db: Db,
  storage: MediaStorage,
  actor: Actor,
  file: Buffer,
  meta: Omit<PictureMeta, 'uploadedBy'>,
): Promise<{ picture: Picture; already: boolean }> {
  mayUse(actor);
  const already = (await findMediaByHash(db, createHash('sha256').update(file).digest('hex'))) !== undefined;
  const picture = await storePicture(db, storage, file, { ...meta, uploadedBy: actor.userId });
  await recordAudit(db, {
    userId: actor.userId,
    actorName: actor.name,
    action: 'media.uploaded',
    subjectType: 'media',
    subjectId: picture.id,
    details: { alt: picture.alt, ...(already ? { already: true } : {}) },
  });
  return { picture, already };
}
