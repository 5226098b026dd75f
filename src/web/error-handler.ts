// One place that turns errors into responses: an HTML page in the site's layout,
// or an RFC 9457 problem for API and JSON clients. 5xx details stay in the log.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from './errors.js';
import { HTML, wantsJson } from './http.js';
import type { PageContext } from './page-context.js';
import { ErrorPage } from './views/error-page.js';

interface ErrorShape {
  status: number;
  code: string;
  title: string;
  detail: string;
}

function describe(error: FastifyError | Error): ErrorShape {
  if (error instanceof AppError) return { status: error.status, code: error.code, title: error.title, detail: error.message };
  const status = (error as FastifyError).statusCode ?? 500;
  if ((error as FastifyError).validation) {
    return { status: 400, code: 'invalid_request', title: 'That request could not be understood', detail: 'Some of the values sent are not valid.' };
  }
  if (status === 413) return { status, code: 'too_large', title: 'Too large', detail: 'What was sent is larger than we accept.' };
  if (status === 415) return { status, code: 'unsupported_media_type', title: 'Unsupported format', detail: 'That kind of content is not accepted here.' };
  if (status === 429) return { status, code: 'rate_limited', title: 'Too many requests', detail: 'Please wait a minute before trying again.' };
  if (status >= 400 && status < 500) return { status, code: 'bad_request', title: 'That request could not be understood', detail: error.message };
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
  pageContext: (path: string) => Promise<PageContext>,
): Promise<FastifyReply> {
  reply.code(shape.status).header('cache-control', 'no-store');
  if (wantsJson(request)) {
    return reply.type('application/problem+json').send({ type: `about:blank`, title: shape.title, status: shape.status, detail: shape.detail, code: shape.code });
  }
  let html: string;
  try {
    const ctx = await pageContext(request.url.split('?')[0]!.slice(0, 200));
    html = ErrorPage({ ctx, status: shape.status, title: shape.title, message: shape.detail }) as string;
  } catch {
    // The layout itself failed (the database is down, say): a bare page still explains.
    html = `<!doctype html><html lang="en"><meta charset="utf-8"><title>${shape.status}</title><h1>${shape.status}</h1><p>${shape.title}</p></html>`;
  }
  return reply.type(HTML).send(html);
}

export function installErrorHandlers(app: FastifyInstance, pageContext: (path: string) => Promise<PageContext>): void {
  app.setErrorHandler(async (error: FastifyError, request, reply) => {
    const shape = describe(error);
    if (shape.status >= 500) request.log.error({ err: error }, 'request failed');
    else request.log.info({ code: shape.code, status: shape.status }, error.message);
    return sendError(request, reply, shape, pageContext);
  });
  app.setNotFoundHandler(async (request, reply) =>
    sendError(request, reply, { status: 404, code: 'not_found', title: 'Page not found', detail: 'We could not find that page. It may have moved, or the address may be mistyped.' }, pageContext),
  );
}
