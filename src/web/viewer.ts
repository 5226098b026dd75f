// Cookies, CSRF protection, rate limits and the signed-in viewer of each request.
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
}

declare module 'fastify' {
  interface FastifyRequest {
    viewer: Viewer | null;
  }
}

export function viewerKind(viewer: Viewer | null): ViewerKind {
  return viewer === null ? 'anonymous' : viewer.staff ? 'staff' : 'reader';
}

export interface ViewerPluginOptions {
  /** The viewer a session token stands for (the accounts module's sessions), or null. */
  resolve(token: string): Promise<Viewer | null>;
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

  app.decorateRequest('viewer', null);
  app.addHook('onRequest', async (request, reply) => {
    const token = request.cookies[SESSION_COOKIE];
    if (!token) return;
    request.viewer = await options.resolve(token);
    if (!request.viewer) clearSessionCookie(reply, secureCookies);
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
