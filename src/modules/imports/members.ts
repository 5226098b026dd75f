// Newsletter subscribers from a Ghost export's members (--members): each member
// the export says was subscribed becomes a confirmed subscriber of the site's
// first newsletter (or --newsletter SLUG), with a consent record naming the
// import; the others are skipped with the reason. The newsletter module writes
// the row (importSubscriber), in the importer's transaction.
import type { Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import { nowIso } from '../../db/database.js';
import { isEmailAddress, normaliseEmail } from '../../lib/email.js';
import { importSubscriber } from '../newsletter/index.js';
import type { ImportedMember } from './model.js';

export interface MemberContext {
  /** The import's origin, e.g. 'ghost:https://old.example.org'. */
  source: string;
  dryRun: boolean;
  newsletterSlug?: string;
}

export interface MemberOutcome {
  outcome: 'created' | 'updated' | 'unchanged' | 'skipped';
  reason?: string;
}

/** The consent record when the reader gave none: the import's origin and today's date. */
export function defaultConsent(source: string, at: string): string {
  return `Subscribed on the old site; imported from its export (${source}) on ${at.slice(0, 10)}.`;
}

export async function applyMember(trx: Transaction<Database>, member: ImportedMember, ctx: MemberContext): Promise<MemberOutcome> {
  if (!member.subscribed) {
    return { outcome: 'skipped', reason: 'Not subscribed to a newsletter in the export.' };
  }
  const email = normaliseEmail(member.email);
  if (!isEmailAddress(email)) return { outcome: 'skipped', reason: 'Not a valid email address.' };
  const at = nowIso();
  const result = await importSubscriber(trx, {
    email,
    consent: member.consent ?? defaultConsent(ctx.source, at),
    newsletterSlug: ctx.newsletterSlug,
    at,
    dryRun: ctx.dryRun,
  });
  return result.reason ? { outcome: result.outcome, reason: result.reason } : { outcome: result.outcome };
}
