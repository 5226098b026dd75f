// Rate limits per key (an email address, an account) rather than per client
// address: an attacker with many IPs still gets only so many tries at one
// account. Counters live in the database (table key_limits), so every app server
// counts the same attempts; keys are stored as SHA-256, never in clear.
//
//   const perAddress = new KeyLimiter(db, { scope: 'subscribe', max: 5, windowMs: 60 * 60_000, message: '...' });
//   await perAddress.hit(email);        // counts; throws RateLimitedError past `max` in the window
//   await perAddress.assertOpen(email); // for counting failures only: throws once `max` were recorded
//   await perAddress.record(email);     // ...and after each failure
//
// Expired counters are deleted by deleteExpiredKeyLimits (run it from a recurring job).
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../db/database.js';
import { AppError } from './errors.js';

export interface KeyLimitOptions {
  /** Names the limit; the same key in two scopes counts separately. */
  scope: string;
  /** Attempts allowed in one window. */
  max: number;
  windowMs: number;
  /** What the person is told; "{minutes}" becomes the wait. */
  message?: string;
}

/** A 429 with the time to wait; the accounts routes send it as Retry-After. */
export class RateLimitedError extends AppError {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(429, 'rate_limited', message, 'Too many attempts');
  }
}

const DEFAULT_MESSAGE = 'Too many attempts. Please wait {minutes} and try again.';

function minutes(seconds: number): string {
  const m = Math.max(1, Math.ceil(seconds / 60));
  return m === 1 ? 'a minute' : `${m} minutes`;
}

export class KeyLimiter {
  constructor(
    private readonly db: Db,
    private readonly options: KeyLimitOptions,
  ) {
    if (!Number.isInteger(options.max) || options.max < 1 || options.windowMs <= 0)
      throw new RangeError('A key limit needs max >= 1 and windowMs > 0');
  }

  private hashed(key: string): string {
    return createHash('sha256').update(`${this.options.scope}\u0000${key.trim().toLowerCase()}`).digest('base64url');
  }

  private refuse(resetAt: number, now: number): never {
    const seconds = Math.max(1, Math.ceil((resetAt - now) / 1000));
    throw new RateLimitedError((this.options.message ?? DEFAULT_MESSAGE).replace('{minutes}', minutes(seconds)), seconds);
  }

  /** Counts one attempt in one statement (two servers cannot both slip under the limit); returns the count so far. */
  async record(key: string, now = Date.now()): Promise<{ hits: number; resetAt: number }> {
    const resetAt = now + this.options.windowMs;
    const row = await this.db
      .insertInto('key_limits')
      .values({ key: this.hashed(key), hits: 1, reset_at: resetAt })
      .onConflict((oc) =>
        oc.column('key').doUpdateSet({
          // Both expressions read the row as it was: a window that has ended starts again at 1.
          hits: sql<number>`case when key_limits.reset_at <= ${now} then 1 else key_limits.hits + 1 end`,
          reset_at: sql<number>`case when key_limits.reset_at <= ${now} then ${resetAt} else key_limits.reset_at end`,
        }),
      )
      .returning(['hits', 'reset_at'])
      .executeTakeFirstOrThrow();
    return { hits: Number(row.hits), resetAt: Number(row.reset_at) };
  }

  /** Counts an attempt and refuses it (RateLimitedError) when it is over the limit. */
  async hit(key: string, now = Date.now()): Promise<void> {
    const { hits, resetAt } = await this.record(key, now);
    if (hits > this.options.max) this.refuse(resetAt, now);
  }

  /** Refuses (RateLimitedError) when `max` attempts were already recorded in the current window; counts nothing. */
  async assertOpen(key: string, now = Date.now()): Promise<void> {
    const row = await this.db.selectFrom('key_limits').select(['hits', 'reset_at']).where('key', '=', this.hashed(key)).executeTakeFirst();
    if (row && Number(row.reset_at) > now && Number(row.hits) >= this.options.max) this.refuse(Number(row.reset_at), now);
  }

  /** Forgets the key's attempts (after a successful sign-in, say). */
  async clear(key: string): Promise<void> {
    await this.db.deleteFrom('key_limits').where('key', '=', this.hashed(key)).execute();
  }
}

/** Deletes counters whose window has ended; returns how many. */
export async function deleteExpiredKeyLimits(db: Db, now = Date.now()): Promise<number> {
  const result = await db.deleteFrom('key_limits').where('reset_at', '<=', now).executeTakeFirst();
  return Number(result.numDeletedRows);
}
