// The rule a shared cache depends on: an answer a CDN may keep carries no cookie,
// or the CDN would hand one visitor's cookie to the next. Pages set their
// Cache-Control themselves (web/http.ts); this hook, registered after the cookie
// plugin's own onSend (which writes Set-Cookie), turns any public answer that
// sets a cookie private and logs it, so a mistake costs a cache miss, never a leak.
import fp from 'fastify-plugin';

export function isSharedCacheable(cacheControl: unknown): boolean {
  if (typeof cacheControl !== 'string') return false;
  return /\bpublic\b|\bs-maxage\b/i.test(cacheControl) && !/\bprivate\b|\bno-store\b/i.test(cacheControl);
}

export const cachePolicyPlugin = fp(
  async (app) => {
    app.addHook('onSend', async (request, reply, payload) => {
      if (!reply.hasHeader('set-cookie') || !isSharedCacheable(reply.getHeader('cache-control'))) return payload;
      reply.header('cache-control', 'private, no-store');
      reply.removeHeader('surrogate-key');
      reply.removeHeader('cache-tag');
      request.log.warn({ module: 'cache', url: request.routeOptions.url }, 'A cacheable answer set a cookie: sent private instead');
      return payload;
    });
  },
  { name: 'harbinger-cache-policy', dependencies: ['harbinger-viewer'] },
);
