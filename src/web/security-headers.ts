// Security headers on every response: a strict Content Security Policy (our own
// scripts, styles and fonts only; pictures from the media bucket too with S3), HSTS on an https site, and no framing.
import helmet from '@fastify/helmet';
import fp from 'fastify-plugin';

export const securityHeadersPlugin = fp(
  async (app) => {
    const https = app.config.siteUrl.startsWith('https:');
    // With MEDIA_STORAGE=s3 pictures come from the bucket's public address (or the CDN in front of it).
    const media = app.config.media;
    const pictureOrigins = media.storage === 's3' ? [new URL(media.publicUrl).origin] : [];
    await app.register(helmet, {
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
  },
  { name: 'harbinger-security-headers', dependencies: ['harbinger-site'] },
);
