// Telling the CDN in front which pages to drop. A content change enqueues a purge
// job with its surrogate keys (web/content-version.ts); the job sends them in the
// shape the CDN understands, and the job queue retries it with backoff when the
// CDN cannot be reached or answers with an error. Styles (CDN_PURGE_STYLE):
// - varnish: `PURGE <CDN_PURGE_URL>` with the keys in `X-Purge-Keys` (space-separated),
//   which deploy/varnish/harbinger.vcl turns into a ban on its stored Surrogate-Key
//   (PURGE rather than BAN: proxies and Node's own HTTP parser know PURGE);
// - fastly: `POST <CDN_PURGE_URL>/purge` (the URL is https://api.fastly.com/service/<id>)
//   with `Surrogate-Key: k1 k2` and the token in `Fastly-Key`;
// - cloudflare: `POST <CDN_PURGE_URL>` (https://api.cloudflare.com/client/v4/zones/<zone>/purge_cache)
//   with `{"tags": [...]}` and `Authorization: Bearer <token>`.
// The token is never logged, nor put in an error the job queue stores.
import fp from 'fastify-plugin';
import type { Config } from '../config.js';
import type { Db } from '../db/database.js';
import { enqueue } from '../jobs/queue.js';
import { PermanentJobError } from '../jobs/worker.js';
import { isValidKey } from './surrogate-keys.js';

export const CDN_PURGE_JOB = 'cdn.purge';

/** Retries: with the queue's backoff, eight attempts span about an hour. */
const PURGE_ATTEMPTS = 8;

export type CdnSettings = Config['cdn'];

export interface PurgeRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
}

/** How many keys one request carries, by what each CDN accepts. */
const BATCH: Record<CdnSettings['style'], number> = { varnish: 100, fastly: 256, cloudflare: 30 };

/** The requests that purge these keys, in the style of the CDN. */
export function purgeRequests(cdn: CdnSettings, keys: readonly string[]): PurgeRequest[] {
  if (!cdn.purgeUrl) return [];
  const valid = [...new Set(keys)].filter(isValidKey);
  const requests: PurgeRequest[] = [];
  const size = BATCH[cdn.style];
  for (let i = 0; i < valid.length; i += size) {
    const batch = valid.slice(i, i + size);
    const auth = cdn.token;
    if (cdn.style === 'varnish') {
      requests.push({
        method: 'PURGE',
        url: cdn.purgeUrl,
        headers: { 'x-purge-keys': batch.join(' '), ...(auth ? { authorization: `Bearer ${auth}` } : {}) },
      });
    } else if (cdn.style === 'fastly') {
      requests.push({
        method: 'POST',
        url: `${cdn.purgeUrl.replace(/\/+$/, '')}/purge`,
        headers: { 'surrogate-key': batch.join(' '), accept: 'application/json', ...(auth ? { 'fastly-key': auth } : {}) },
      });
    } else {
      requests.push({
        method: 'POST',
        url: cdn.purgeUrl,
        headers: { 'content-type': 'application/json', ...(auth ? { authorization: `Bearer ${auth}` } : {}) },
        body: JSON.stringify({ tags: batch }),
      });
    }
  }
  return requests;
}

/** Puts a purge of these keys on the job queue. */
export async function enqueuePurge(db: Db, keys: readonly string[]): Promise<void> {
  await enqueue(db, CDN_PURGE_JOB, { keys }, { maxAttempts: PURGE_ATTEMPTS });
}

/** Sends a purge; throws (for the queue to retry) unless the CDN accepted every request. */
export async function sendPurge(cdn: CdnSettings, keys: readonly string[], timeoutMs = 10_000): Promise<void> {
  for (const request of purgeRequests(cdn, keys)) {
    let status: number;
    try {
      const res = await fetch(request.url, {
        method: request.method,
        headers: request.headers,
        ...(request.body !== undefined ? { body: request.body } : {}),
        signal: AbortSignal.timeout(timeoutMs),
      });
      status = res.status;
      await res.body?.cancel();
    } catch (err) {
      // The message of a network error names the host, never the headers.
      throw new Error(`The CDN purge (${cdn.style}) could not reach the CDN: ${(err as Error).message}`);
    }
    if (status >= 200 && status < 300) continue;
    const message = `The CDN purge (${cdn.style}) was refused with status ${status}`;
    // A refusal other than a busy or failing CDN (a wrong token, a wrong address) will not mend itself.
    if (status >= 400 && status < 500 && status !== 408 && status !== 429) throw new PermanentJobError(message);
    throw new Error(message);
  }
}

/** Registers the purge job's handler; content-version enqueues the jobs. */
export const cdnPurgePlugin = fp(
  async (app) => {
    const cdn = app.config.cdn;
    app.jobs.register(CDN_PURGE_JOB, async (payload) => {
      const keys = (payload as { keys?: unknown } | null)?.keys;
      if (!Array.isArray(keys) || !keys.every((k) => typeof k === 'string'))
        throw new PermanentJobError('A CDN purge job needs a list of keys');
      if (!cdn.purgeUrl) return;
      await sendPurge(cdn, keys);
      app.log.debug({ module: 'cdn', keys: keys.length, style: cdn.style }, 'CDN purge sent');
    });
  },
  { name: 'harbinger-cdn-purge', dependencies: ['harbinger-jobs', 'harbinger-site'] },
);
