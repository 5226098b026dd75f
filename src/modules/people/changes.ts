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

/**
 * A profile's address changed because the name it shows changed (byline privacy):
 * `from` and `to` are the old and new paths, `hidden` the words of the old slug
 * the new one no longer spells (a surname, say).
 */
export interface PersonMove {
  from: string;
  to: string;
  hidden: string[];
}

export type PersonMovedListener = (trx: Kysely<Database>, move: PersonMove) => Promise<void>;

const moveListeners = new Set<PersonMovedListener>();

/** Subscribes to profile address changes (the redirects module keeps old links in step); returns the function that unsubscribes. */
export function onPersonMoved(listener: PersonMovedListener): () => void {
  moveListeners.add(listener);
  return () => moveListeners.delete(listener);
}

/** Tells the subscribers that a person's address changed, inside the writer's transaction. */
export async function personMoved(trx: Kysely<Database>, fromSlug: string, toSlug: string): Promise<void> {
  if (fromSlug === toSlug) return;
  const kept = new Set(toSlug.split('-'));
  const move = {
    from: `/people/${fromSlug}`,
    to: `/people/${toSlug}`,
    hidden: fromSlug.split('-').filter((w) => w.length > 1 && !kept.has(w)),
  };
  for (const listener of moveListeners) await listener(trx, move);
}
