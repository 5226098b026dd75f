// Who wants to know when a person's public profile changed (name, role, biography):
// the search index keeps in step this way, inside the same transaction, without
// this module knowing about it.
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';

export type PersonChangedListener = (trx: Kysely<Database>, personId: string) => Promise<void>;

const listeners = new Set<PersonChangedListener>();

/** Subscribes to profile changes; returns the function that unsubscribes. */
export function onPersonChanged(listener: PersonChangedListener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Tells the subscribers that a person changed; the writer calls it last in its transaction. */
export async function personChanged(trx: Kysely<Database>, personId: string): Promise<void> {
  for (const listener of listeners) await listener(trx, personId);
}
