// One-time tokens travel in URLs (email links), and request logs record URLs:
// every logged URL goes through redactUrl first, so a log file, a log shipper or
// whoever reads them cannot use a link that was meant for one reader.
import type { FastifyRequest, FastifyServerOptions } from 'fastify';

export const REDACTED = '[redacted]';

/** Query parameters whose value is a secret, by lower-cased name; names containing "token" count too. */
const SECRET_PARAMS = new Set(['token', 'key', 'code', 'sig', 'signature', 'secret', 'password', 'nonce']);

/**
 * Paths whose segment after the prefix is a secret: the newsletter's
 * unsubscribe and preferences links (`/newsletters/unsubscribe/<id>.<signature>`).
 */
const SECRET_PATH_PREFIXES = ['/newsletters/unsubscribe/', '/newsletters/preferences/'];

function paramName(raw: string): string {
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' ')).toLowerCase();
  } catch {
    return raw.toLowerCase();
  }
}

function isSecretParam(raw: string): boolean {
  const name = paramName(raw);
  return SECRET_PARAMS.has(name) || name.includes('token');
}

/** The URL with secret query values and secret path segments replaced by "[redacted]". */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  let path = q < 0 ? url : url.slice(0, q);
  const query = q < 0 ? null : url.slice(q + 1);
  for (const prefix of SECRET_PATH_PREFIXES) {
    // Matched case-insensitively, as the router may be told to ignore case one day.
    if (path.toLowerCase().startsWith(prefix) && path.length > prefix.length) {
      const rest = path.slice(prefix.length);
      const slash = rest.indexOf('/');
      path = `${path.slice(0, prefix.length)}${REDACTED}${slash < 0 ? '' : rest.slice(slash)}`;
    }
  }
  if (query === null) return path;
  const parts = query.split('&').map((part) => {
    const eq = part.indexOf('=');
    const name = eq < 0 ? part : part.slice(0, eq);
    return isSecretParam(name) && eq >= 0 ? `${name}=${REDACTED}` : part;
  });
  return `${path}?${parts.join('&')}`;
}

/** Fastify's request serializer, with the URL redacted. */
export function serializeRequest(request: FastifyRequest) {
  return {
    method: request.method,
    url: redactUrl(request.url),
    host: request.host,
    remoteAddress: request.ip,
    remotePort: request.socket?.remotePort,
  };
}

/** The logger options with the redacting request serializer (a disabled logger stays disabled). */
export function withRedactedUrls(logger: FastifyServerOptions['logger']): FastifyServerOptions['logger'] {
  if (!logger) return logger;
  const base = logger === true ? {} : logger;
  return { ...base, serializers: { ...base.serializers, req: serializeRequest } };
}
