// Redirects from old addresses: what importers and the newsroom desk call. Every
// change goes through the checks here, so that no stored redirect points off the
// site, at itself, or round a loop.
import type { Kysely, Transaction } from 'kysely';
import { recordAudit } from '../../db/audit.js';
import { nowIso } from '../../db/database.js';
import type { Database } from '../../db/schema.js';
import { newId } from '../../lib/ids.js';
import { BadRequestError, ForbiddenError } from '../../web/errors.js';
import { canManageRedirects, type Actor } from '../access/index.js';
import { normaliseRedirectPath, normaliseRedirectTarget } from './paths.js';
import {
  deleteRedirect,
  insertRedirect,
  redirectById,
  redirectFrom,
  redirectsTo,
  updateRedirect,
  type RedirectRow,
  type RedirectsDb,
} from './redirects.repository.js';

export type RedirectStatus = 301 | 302;
export const REDIRECT_STATUSES: readonly RedirectStatus[] = [301, 302];
/** The source of a redirect made on the newsroom desk: an import never overwrites one. */
export const MANUAL = 'manual';
/** How many redirects in a row the loop check follows before it stops looking. */
const MAX_HOPS = 32;

export type RedirectProblem = 'from_invalid' | 'from_home' | 'to_invalid' | 'to_self' | 'loop' | 'status_invalid' | 'from_taken';

const MESSAGES: Record<RedirectProblem, string> = {
  from_invalid:
    'Enter the old address as a path starting with / (for example /2019/04/12/old-story/) or as a full address of the old site.',
  from_home: 'The home page always answers its own address, so a redirect from / would never be used. Enter another old address.',
  to_invalid:
    'Enter the new address as a path on this site starting with / (for example /articles/new-story). Addresses on other sites are not allowed.',
  to_self: 'The new address is the same as the old one: the redirect would send visitors back where they started.',
  loop: 'The new address already redirects (perhaps through others) back to the old one, so visitors would go round in a loop.',
  status_invalid: 'Choose permanent (301) or temporary (302).',
  from_taken: 'There is already a redirect from this old address. Edit that one instead.',
};

/** A redirect refused: `field` names the form field at fault. */
export class RedirectRefused extends BadRequestError {
  constructor(
    readonly problem: RedirectProblem,
    readonly field: 'from' | 'to' | 'status',
  ) {
    super(MESSAGES[problem], `redirect_${problem}`);
  }
}

export interface RedirectInput {
  from: string;
  to: string;
  status?: RedirectStatus;
}

interface Checked {
  fromPath: string;
  toPath: string;
  status: RedirectStatus;
}

/**
 * Whether following `toPath` through the stored redirects comes back to
 * `fromPath`. `ignoreId` is the redirect being edited, whose old row is about to change.
 */
async function leadsBackTo(db: RedirectsDb, fromPath: string, toPath: string, ignoreId: string | null): Promise<boolean> {
  let current = normaliseRedirectPath(toPath);
  const seen = new Set<string>();
  for (let hop = 0; current !== null && hop < MAX_HOPS; hop++) {
    if (current === fromPath) return true;
    if (seen.has(current)) return false; // a loop already stored, not through this one
    seen.add(current);
    const next = await redirectFrom(db, current);
    if (!next || next.id === ignoreId) return false;
    current = normaliseRedirectPath(next.to_path);
  }
  return false;
}

async function check(db: RedirectsDb, input: RedirectInput, ignoreId: string | null): Promise<Checked> {
  const fromPath = normaliseRedirectPath(input.from);
  if (fromPath === null) throw new RedirectRefused('from_invalid', 'from');
  if (fromPath === '/') throw new RedirectRefused('from_home', 'from');
  const toPath = normaliseRedirectTarget(input.to);
  if (toPath === null) throw new RedirectRefused('to_invalid', 'to');
  const status = input.status ?? 301;
  if (!REDIRECT_STATUSES.includes(status)) throw new RedirectRefused('status_invalid', 'status');
  if (normaliseRedirectPath(toPath) === fromPath) throw new RedirectRefused('to_self', 'to');
  if (await leadsBackTo(db, fromPath, toPath, ignoreId)) throw new RedirectRefused('loop', 'to');
  return { fromPath, toPath, status };
}

/**
 * Makes `from` lead to `to`, inside the caller's transaction: what an importer
 * calls for each old address of what it brought in. Re-running an import
 * answers 'unchanged' or 'updated'; a redirect made by hand on the newsroom
 * desk ('manual') is never overwritten by an import and answers 'kept'.
 * Throws RedirectRefused for an address that is not one, a target off the site,
 * a redirect to itself, or one that would close a loop.
 */
export async function setRedirect(
  trx: RedirectsDb,
  redirect: { from: string; to: string; source: string; status?: RedirectStatus },
): Promise<'created' | 'updated' | 'unchanged' | 'kept'> {
  const source = redirect.source.trim() || MANUAL;
  const fromPath = normaliseRedirectPath(redirect.from);
  const existing = fromPath === null ? undefined : await redirectFrom(trx, fromPath);
  if (existing && existing.source === MANUAL && source !== MANUAL) return 'kept';
  const checked = await check(trx, redirect, existing?.id ?? null);
  const now = nowIso();
  if (existing) {
    if (existing.to_path === checked.toPath && existing.status_code === checked.status && existing.source === source) return 'unchanged';
    await updateRedirect(trx, existing.id, { to_path: checked.toPath, status_code: checked.status, source, updated_at: now });
    return 'updated';
  }
  await insertRedirect(trx, {
    id: newId(),
    from_path: checked.fromPath,
    to_path: checked.toPath,
    status_code: checked.status,
    source,
    created_at: now,
    updated_at: now,
  });
  return 'created';
}

/** The desk's writes check the rules themselves, not only the routes in front of them. */
function mayManage(actor: Actor): void {
  if (!canManageRedirects(actor))
    throw new ForbiddenError('Only the editor-in-chief, the managing editor and administrators manage redirects.');
}

function audit(trx: Transaction<Database>, actor: Actor, action: string, row: RedirectRow, details: object): Promise<void> {
  return recordAudit(trx, { userId: actor.userId, actorName: actor.name, action, subjectType: 'redirect', subjectId: row.id, details });
}

/** A redirect made on the newsroom desk. Refuses an old address that already has one. */
export async function addRedirect(db: Kysely<Database>, actor: Actor, input: RedirectInput): Promise<RedirectRow> {
  mayManage(actor);
  return db.transaction().execute(async (trx) => {
    const checked = await check(trx, input, null);
    if (await redirectFrom(trx, checked.fromPath)) throw new RedirectRefused('from_taken', 'from');
    const now = nowIso();
    const row: RedirectRow = {
      id: newId(),
      from_path: checked.fromPath,
      to_path: checked.toPath,
      status_code: checked.status,
      source: MANUAL,
      created_at: now,
      updated_at: now,
    };
    await insertRedirect(trx, row);
    await audit(trx, actor, 'redirect.create', row, { from: row.from_path, to: row.to_path, status: row.status_code });
    return row;
  });
}

/**
 * A redirect changed on the newsroom desk. It becomes 'manual' whatever made it,
 * so a later run of an import leaves the change alone. Null when it is gone.
 */
export async function editRedirect(db: Kysely<Database>, actor: Actor, id: string, input: RedirectInput): Promise<RedirectRow | null> {
  mayManage(actor);
  return db.transaction().execute(async (trx) => {
    const before = await redirectById(trx, id);
    if (!before) return null;
    const checked = await check(trx, input, id);
    const other = await redirectFrom(trx, checked.fromPath);
    if (other && other.id !== id) throw new RedirectRefused('from_taken', 'from');
    const changes = {
      from_path: checked.fromPath,
      to_path: checked.toPath,
      status_code: checked.status,
      source: MANUAL,
      updated_at: nowIso(),
    };
    await updateRedirect(trx, id, changes);
    const after = { ...before, ...changes };
    await audit(trx, actor, 'redirect.update', after, {
      before: { from: before.from_path, to: before.to_path, status: before.status_code, source: before.source },
      after: { from: after.from_path, to: after.to_path, status: after.status_code },
    });
    return after;
  });
}

/** Deletes a redirect; null when it was already gone. */
export async function removeRedirect(db: Kysely<Database>, actor: Actor, id: string): Promise<RedirectRow | null> {
  mayManage(actor);
  return db.transaction().execute(async (trx) => {
    const row = await redirectById(trx, id);
    if (!row || !(await deleteRedirect(trx, id))) return null;
    await audit(trx, actor, 'redirect.delete', row, { from: row.from_path, to: row.to_path, status: row.status_code, source: row.source });
    return row;
  });
}

/**
 * A person's profile moved because it no longer shows their full name (byline
 * privacy), inside the people change's transaction. A redirect that led to the old
 * address now leads to the new one, unless its own old address spells a word of the
 * name now hidden: that one is deleted, so the address that names the person leads
 * nowhere rather than to the profile under its new name. Neither way does a
 * redirect's answer spell the old address any more.
 */
export async function followPersonMove(trx: RedirectsDb, move: { from: string; to: string; hidden: string[] }): Promise<void> {
  const spells = (path: string) =>
    path
      .toLowerCase()
      .split(/[^a-z0-9]+/)
      .some((word) => move.hidden.includes(word));
  for (const row of await redirectsTo(trx, move.from)) {
    if (spells(row.from_path)) await deleteRedirect(trx, row.id);
    else await updateRedirect(trx, row.id, { to_path: move.to + row.to_path.slice(move.from.length), updated_at: nowIso() });
  }
}
