// Security headers on every response: a strict Content Security Policy (our own
// scripts, styles and fonts only; pictures from the media bucket too with S3), HSTS on an https site, and no framing.
//
// The headers never vary by request (no nonces), so helmet builds them once, at
// start, on a probe request: @fastify/helmet would build its whole middleware
// (parsing every CSP directive) again on each request, a few per cent of a
// signed-in page's time.
import helmet from '@fastify/helmet';
import Fastify from 'fastify';
import fp from 'fastify-plugin';

/** Headers of the probe's answer that are not helmet's. */
const NOT_SECURITY = new Set(['content-type', 'content-length', 'date', 'connection', 'keep-alive']);

export const securityHeadersPlugin = fp(
  async (app) => {
    const https = app.config.siteUrl.startsWith('https:');
    // With MEDIA_STORAGE=s3 pictures come from the bucket's public address (or the CDN in front of it).
    const media = app.config.media;
    const pictureOrigins = media.storage === 's3' ? [new URL(media.publicUrl).origin] : [];
    const probe = Fastify({ logger: false });
    await probe.register(helmet, {
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'"],
          imgSrc: ["'self'", 'data:', ...pictureOrigins],
          fontSrc: ["'self'"],
          connectSrc: ["'self'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
          baseUri: ["'self'"],
          objectSrc: ["'none'"],
          ...(https ? { upgradeInsecureRequests: [] } : {}),
        },
      },
      hsts: https ? { maxAge: 31536000, includeSubDomains: true } : false,
      referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
      crossOriginEmbedderPolicy: false,
    });
    probe.get('/', async () => '');
    const answer = await probe.inject({ url: '/' });
    await probe.close();
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(answer.headers))
      if (!NOT_SECURITY.has(name) && typeof value === 'string') headers[name] = value;
    if (!headers['content-security-policy']) throw new Error('helmet gave no Content-Security-Policy');
    app.addHook('onRequest', (_request, reply, done) => {
      reply.headers(headers);
      done();
    });
  },
  { name: 'harbinger-security-headers', dependencies: ['harbinger-site'] },
);
