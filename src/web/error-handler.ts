// One place that turns errors into responses: an HTML page in the site's layout,
// or an RFC 9457 problem for API and JSON clients. 5xx details stay in the log.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from './errors.js';
import { HTML, wantsJson } from './http.js';
import type { PageContext, ViewerKind } from './page-context.js';
import { viewerKind } from './viewer.js';
import { htmlOf } from './view.js';
import { ErrorPage } from './views/error-page.js';

/**
 * Asked in turn when no route matched (or a route called `reply.callNotFound()`),
 * before the 404 page: a resolver that answers (a redirect from an old address,
 * say) sends its reply and returns true; one that has nothing returns false.
 * This layer knows none of them: modules add theirs to `app.notFoundResolvers`.
 */
export type NotFoundResolver = (request: FastifyRequest, reply: FastifyReply) => Promise<boolean>;

export class NotFoundResolvers {
  private readonly resolvers: NotFoundResolver[] = [];

  add(resolver: NotFoundResolver): void {
    this.resolvers.push(resolver);
  }

  /** Whether one of them answered the request. */
  async resolve(request: FastifyRequest, reply: FastifyReply): Promise<boolean> {
    for (const resolver of this.resolvers) if (await resolver(request, reply)) return true;
    return false;
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    notFoundResolvers: NotFoundResolvers;
  }
}

interface ErrorShape {
  status: number;
  code: string;
  title: string;
  detail: string;
  /** Seconds, sent as Retry-After. */
  retryAfter?: number;
}

/** How long a visitor is asked to wait while the database is away: a restart or a failover takes about this long. */
export const UNAVAILABLE_RETRY_AFTER_SECONDS = 30;

/** node-postgres' own words for a connection that broke or never came (these errors carry no code). */
const LOST_CONNECTION =
  /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Cannot use a pool after calling end)/;

/**
 * The database not answering (PostgreSQL unreachable or restarting, a SQLite file
 * locked by another process past busy_timeout, read-only or on a full disk) is
 * nobody's mistake and passes: a 503 asking to come back shortly, not a 500.
 */
export function databaseUnavailable(error: unknown): ErrorShape | null {
  for (let e = error, depth = 0; e && depth < 3; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    const message = (e as { message?: unknown }).message;
    const unavailable =
      typeof code === 'string'
        ? /^SQLITE_(BUSY|LOCKED|READONLY|IOERR|FULL|CANTOPEN|PROTOCOL)/.test(code) ||
          /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|ENOTFOUND|EAI_AGAIN|EPIPE)$/.test(code) ||
          // PostgreSQL: connection exceptions, shutting down or starting up, too many connections.
          /^(08...|57P0[123]|53300)$/.test(code)
        : typeof message === 'string' && LOST_CONNECTION.test(message);
    if (unavailable) {
      return {
        status: 503,
        code: 'unavailable',
        title: 'Back in a moment',
        detail: 'The site cannot reach its database just now, so this could not be done. Please try again in a minute.',
        retryAfter: UNAVAILABLE_RETRY_AFTER_SECONDS,
      };
    }
  }
  return null;
}

/**
 * The database refusing what a request carried (a reference to a row that is
 * gone, a duplicate, a value out of range) is the request's fault, not a crash:
 * a 4xx. The route's validation should have caught it, so it is logged as a warning.
 */
export function databaseRefusal(error: unknown): ErrorShape | null {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return null;
  const sqlite = code.startsWith('SQLITE_');
  // node-postgres errors carry the SQLSTATE as their code, with a severity beside it.
  const postgres = /^[0-9A-Z]{5}$/.test(code) && typeof (error as { severity?: unknown }).severity === 'string';
  if (!sqlite && !postgres) return null;
  if (code === 'SQLITE_CONSTRAINT_FOREIGNKEY' || code === '23503') {
    return {
      status: 409,
      code: 'missing_reference',
      title: 'That refers to something missing',
      detail: 'What was sent refers to something that does not exist (any more). Reload the page and try again.',
    };
  }
  if (code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === '23505') {
    return {
      status: 409,
      code: 'duplicate',
      title: 'That is already saved',
      detail: 'That is already saved (it may have been sent twice). Reload the page to see it.',
    };
  }
  if (
    /^SQLITE_(CONSTRAINT_CHECK|CONSTRAINT_NOTNULL|TOOBIG|MISMATCH|RANGE)$/.test(code) ||
    code === '23502' ||
    code === '23514' ||
    code.startsWith('22')
  ) {
    return {
      status: 400,
      code: 'invalid_value',
      title: 'That request could not be understood',
      detail: 'Some of the values sent are not valid.',
    };
  }
  return null;
}

function describe(error: FastifyError | Error): ErrorShape {
  if (error instanceof AppError) return { status: error.status, code: error.code, title: error.title, detail: error.message };
  const unavailable = databaseUnavailable(error);
  if (unavailable) return unavailable;
  const refused = databaseRefusal(error);
  if (refused) return refused;
  const status = (error as FastifyError).statusCode ?? 500;
  if ((error as FastifyError).validation) {
    return {
      status: 400,
      code: 'invalid_request',
      title: 'That request could not be understood',
      detail: 'Some of the values sent are not valid.',
    };
  }
  if (status === 413) return { status, code: 'too_large', title: 'Too large', detail: 'What was sent is larger than we accept.' };
  if (status === 415)
    return { status, code: 'unsupported_media_type', title: 'Unsupported format', detail: 'That kind of content is not accepted here.' };
  if (status === 429)
    return { status, code: 'rate_limited', title: 'Too many requests', detail: 'Please wait a minute before trying again.' };
  if (status >= 400 && status < 500)
    return { status, code: 'bad_request', title: 'That request could not be understood', detail: error.message };
  return {
    status: 500,
    code: 'internal_error',
    title: 'Something went wrong on our side',
    detail: 'The page could not be shown because of an error on our side. It has been logged; please try again in a moment.',
  };
}

export async function sendError(
  request: FastifyRequest,
  reply: FastifyReply,
  shape: ErrorShape,
  pageContext: (path: string, viewer?: ViewerKind) => Promise<PageContext>,
): Promise<FastifyReply> {
  reply.code(shape.status).header('cache-control', 'no-store');
  if (shape.retryAfter) reply.header('retry-after', String(shape.retryAfter));
  if (wantsJson(request)) {
    return reply
      .type('application/problem+json')
      .send({ type: `about:blank`, title: shape.title, status: shape.status, detail: shape.detail, code: shape.code });
  }
  let html: string;
  try {
    // The page keeps the visitor's own navigation (a signed-in writer still sees the newsroom link).
    const ctx = await pageContext(request.url.split('?')[0]!.slice(0, 200), viewerKind(request.viewer ?? null));
    html = htmlOf(ErrorPage({ ctx, status: shape.status, title: shape.title, message: shape.detail }));
  } catch {
    // The layout itself failed (the database is down, say): a bare page still explains.
    // Escaped: a 4xx detail may be a library's message.
    const text = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
    html = `<!doctype html><html lang="en"><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${text(shape.title)}</title><main><h1>${text(shape.title)}</h1><p>${text(shape.detail)}</p></main></html>`;
  }
  return reply.type(HTML).send(html);
}

export function installErrorHandlers(app: FastifyInstance, pageContext: (path: string, viewer?: ViewerKind) => Promise<PageContext>): void {
  app.setErrorHandler(async (error: FastifyError, request, reply) => {
    const shape = describe(error);
    if (shape.code === 'unavailable') request.log.warn({ err: error }, 'the database is unavailable');
    else if (shape.status >= 500) request.log.error({ err: error }, 'request failed');
    else if (databaseRefusal(error)) request.log.warn({ err: error }, 'the database refused what a request sent');
    else request.log.info({ code: shape.code, status: shape.status }, error.message);
    return sendError(request, reply, shape, pageContext);
  });
  const resolvers = new NotFoundResolvers();
  app.decorate('notFoundResolvers', resolvers);
  app.setNotFoundHandler(async (request, reply) => {
    if (await resolvers.resolve(request, reply)) return reply;
    return sendError(
      request,
      reply,
      {
        status: 404,
        code: 'not_found',
        title: 'Page not found',
        detail: 'We could not find that page. It may have moved, or the address may be mistyped.',
      },
      pageContext,
    );
  });
}
