// Cookies, CSRF protection, rate limits and the signed-in viewer of each request.
import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply } from 'fastify';
import cookie from '@fastify/cookie';
import csrf from '@fastify/csrf-protection';
import formbody from '@fastify/formbody';
import rateLimit from '@fastify/rate-limit';
import fp from 'fastify-plugin';
import { AppError } from './errors.js';
import type { ViewerKind } from './page-context.js';

export const SESSION_COOKIE = 'hb_session';

/** The signed-in person behind a request, as the accounts module resolves it from the session cookie. */
export interface Viewer {
  userId: string;
  displayName: string;
  /** For the server's own lookups (the newsletters an address gets); never rendered. */
  email: string;
  sessionId: string;
  /** The staff person this account is, if any: their roles are the access module's (request.actor()). */
  staff: { personId: string; slug: string; name: string } | null;
  /** When the session runs out (ms since the epoch): a cached viewer never outlives it. */
  sessionExpiresAt?: number;
  /** A role of theirs requires two-factor sign-in and they have not set it up: the newsroom sends them to do so. */
  twoFactorSetupDue?: boolean;
}

declare module 'fastify' {
  interface FastifyRequest {
    viewer: Viewer | null;
  }
  interface FastifyInstance {
    viewerCache: ViewerCache;
  }
}

export function viewerKind(viewer: Viewer | null): ViewerKind {
  return viewer === null ? 'anonymous' : viewer.staff ? 'staff' : 'reader';
}

export interface ViewerPluginOptions {
  /** The viewer a session token stands for (the accounts module's sessions), or null. */
  resolve(token: string): Promise<Viewer | null>;
  /** How long a resolved viewer is reused without asking the database (0 turns the cache off). */
  viewerCacheMs?: number;
  /** Viewers kept at most (the least recently used go first). */
  viewerCacheEntries?: number;
}

/** A signed-in reader's pages ask the database for their viewer at most this often; a session message drops it at once. */
export const VIEWER_CACHE_MS = 10_000;
export const VIEWER_CACHE_ENTRIES = 10_000;

/**
 * The viewers of recent session tokens, kept a few seconds so a signed-in
 * reader's pages do not each look the session, the account and its staff link
 * up. Keyed by a SHA-256 of the token, so the token itself is never held here.
 * A `{kind:'session'}` message on the change bus drops its session's viewer at
 * once, in every process; the ended session is then remembered for a TTL, so a
 * lookup that read the session just before it ended (or before the ending
 * transaction committed) cannot put it back.
 */
export class ViewerCache {
  private readonly entries = new Map<string, { viewer: Viewer; until: number }>();
  private readonly keyOfSession = new Map<string, string>();
  private readonly ended = new Map<string, number>();

  constructor(
    readonly ttlMs: number,
    private readonly maxEntries: number,
    private readonly now: () => number = Date.now,
  ) {}

  static keyOf(token: string): string {
    return createHash('sha256').update(token).digest('base64url');
  }

  get size(): number {
    return this.entries.size;
  }

  get(key: string): Viewer | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.until <= this.now()) {
      this.delete(key, entry.viewer.sessionId);
      return undefined;
    }
    // Most recently used last: the map's first key is the one to evict.
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.viewer;
  }

  set(key: string, viewer: Viewer): void {
    if (this.ttlMs <= 0 || this.maxEntries <= 0) return;
    const now = this.now();
    const endedUntil = this.ended.get(viewer.sessionId);
    if (endedUntil !== undefined) {
      if (endedUntil > now) return;
      this.ended.delete(viewer.sessionId);
    }
    const until = Math.min(now + this.ttlMs, viewer.sessionExpiresAt ?? Infinity);
    if (until <= now) return;
    this.entries.delete(key);
    this.entries.set(key, { viewer, until });
    this.keyOfSession.set(viewer.sessionId, key);
    while (this.entries.size > this.maxEntries) {
      const [oldest, entry] = this.entries.entries().next().value!;
      this.delete(oldest, entry.viewer.sessionId);
    }
  }

  /** The session ended or changed meaning: forget its viewer, and refuse to cache it for a TTL. */
  dropSession(sessionId: string): void {
    const now = this.now();
    this.ended.set(sessionId, now + this.ttlMs);
    if (this.ended.size > this.maxEntries) {
      for (const [id, until] of this.ended) if (until <= now) this.ended.delete(id);
    }
    const key = this.keyOfSession.get(sessionId);
    if (key !== undefined) this.delete(key, sessionId);
  }

  clear(): void {
    this.entries.clear();
    this.keyOfSession.clear();
  }

  private delete(key: string, sessionId: string): void {
    this.entries.delete(key);
    if (this.keyOfSession.get(sessionId) === key) this.keyOfSession.delete(sessionId);
  }
}

/** Cookies signed with the site's key, form bodies, CSRF protection, rate limits and `request.viewer`. */
export const viewerPlugin = fp<ViewerPluginOptions>(registerViewer, {
  name: 'harbinger-viewer',
  dependencies: ['harbinger-site', 'harbinger-redis'],
});

async function registerViewer(app: FastifyInstance, options: ViewerPluginOptions): Promise<void> {
  const { secureCookies } = app;
  await app.register(cookie, { secret: app.siteSecret });
  await app.register(formbody, { bodyLimit: 256 * 1024 });
  await app.register(csrf, {
    sessionPlugin: '@fastify/cookie',
    cookieKey: 'hb_csrf',
    cookieOpts: { path: '/', sameSite: 'lax', httpOnly: true, secure: secureCookies, signed: true },
    getToken: (request) =>
      (request.body as Record<string, string> | undefined)?._csrf ?? (request.headers['x-csrf-token'] as string | undefined),
  });
  await app.register(rateLimit, {
    global: false,
    // With Redis every app server counts the same attempts; while Redis is away each request is let through
    // (the per-address limits of web/key-limit.ts count in the database and still hold).
    ...(app.redis ? { redis: app.redis, nameSpace: `${app.redisPrefix}rate-limit:`, skipOnError: true } : {}),
    errorResponseBuilder: (_request, context) =>
      new AppError(
        429,
        'rate_limited',
        `Too many attempts. Please wait ${Math.ceil(context.ttl / 1000)} seconds and try again.`,
        'Too many attempts',
      ),
  });

  const cache = new ViewerCache(options.viewerCacheMs ?? VIEWER_CACHE_MS, options.viewerCacheEntries ?? VIEWER_CACHE_ENTRIES);
  app.decorate('viewerCache', cache);
  app.changeBus.subscribe((message) => {
    if (message.kind === 'session') cache.dropSession(message.sessionId);
    // "Drop everything" (a bus that reconnected may have missed session messages too).
    else if (message.kind === 'content' && message.keys === null) cache.clear();
  });
  app.addHook('onClose', async () => cache.clear());

  app.decorateRequest('viewer', null);
  app.addHook('onRequest', async (request, reply) => {
    const token = request.cookies[SESSION_COOKIE];
    if (!token) return;
    const key = ViewerCache.keyOf(token);
    const cached = cache.get(key);
    if (cached) {
      request.viewer = cached;
      return;
    }
    request.viewer = await options.resolve(token);
    if (request.viewer) cache.set(key, request.viewer);
    else clearSessionCookie(reply, secureCookies);
  });
}

export function setSessionCookie(reply: FastifyReply, token: string, persistent: boolean, expiresAt: Date, secure: boolean | 'auto'): void {
  reply.setCookie(SESSION_COOKIE, token, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure,
    ...(persistent ? { expires: expiresAt } : {}),
  });
}

export function clearSessionCookie(reply: FastifyReply, secure: boolean | 'auto'): void {
  reply.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'lax', secure });
}

/** A CSRF token for a form on this response (sets the secret cookie when the visitor has none). */
export function csrfToken(reply: FastifyReply): string {
  return reply.generateCsrf();
}
