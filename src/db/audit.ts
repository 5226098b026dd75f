// The audit log: who did what, when, to what. Written inside the caller's
// transaction when there is one, so the record and the change stand or fall together.
import type { Kysely, Transaction } from 'kysely';
import { nowIso } from './database.js';
import type { Database } from './schema.js';
import { newId } from '../lib/ids.js';

export interface AuditEntry {
  userId: string | null;
  actorName: string;
  action: string;
  subjectType: string;
  subjectId: string;
  details?: object;
}

export async function recordAudit(db: Kysely<Database> | Transaction<Database>, entry: AuditEntry): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      id: newId(),
      user_id: entry.userId,
      actor_name: entry.actorName,
      action: entry.action,
      subject_type: entry.subjectType,
      subject_id: entry.subjectId,
      details: JSON.stringify(entry.details ?? {}),
      created_at: nowIso(),
    })
    .execute();
}
