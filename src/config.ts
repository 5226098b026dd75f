import { resolve } from 'node:path';
import { z } from 'zod';

const bool = z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((v) => v === 'true' || v === '1' || v === 'yes');

/** Paragraphs of a registered article shown before the wall when neither the article nor WALL_PREVIEW_PARAGRAPHS says. */
export const DEFAULT_PREVIEW_PARAGRAPHS = 3;

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().min(1).default('0.0.0.0'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  SITE_URL: z.url({ protocol: /^https?$/ }).optional(),
  SITE_NAME: z.string().min(1).default('The Harbinger'),
  SITE_LANG: z
    .string()
    .regex(/^[a-z]{2,3}(-[A-Za-z]{2,4})?$/, 'a BCP 47 language tag such as en-GB')
    .default('en-GB'),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z.string().min(1).optional(),
  MEDIA_DIR: z.string().min(1).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  TRUST_PROXY: bool.default(false),
  SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  /** Whether the editor-in-chief, managing editor, mentors and admins must use two-factor sign-in. */
  STAFF_TWO_FACTOR: z.enum(['required', 'optional']).default('required'),
  /** A "network,place" file naming where sessions began (accounts/places.ts); without it no place is shown. */
  SESSION_PLACES: z.string().min(1).optional(),
  /** Defaults to true, except with NODE_ENV=production. */
  SEED_DEMO: bool.optional(),
  RENDER_CACHE_ENTRIES: z.coerce.number().int().min(0).max(100_000).default(2000),
  PAGE_SIZE: z.coerce.number().int().min(1).max(100).default(12),
  WALL_PREVIEW_PARAGRAPHS: z.coerce.number().int().min(0).max(50).default(DEFAULT_PREVIEW_PARAGRAPHS),
  WALL_FREE_ARTICLES: z.coerce.number().int().min(0).max(100).default(0),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'an smtp:// or smtps:// URL')
    .optional(),
  MAIL_FROM: z.string().min(3).default('The Harbinger <newsroom@harbinger.localhost>'),
  RUN_WORKER: bool.default(true),
  /** Optional: shared rate limits, cache invalidation over pub/sub and a short cache of signed-in viewers across servers. */
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'a redis:// or rediss:// URL')
    .optional(),
  MEDIA_STORAGE: z.enum(['local', 's3']).default('local'),
  S3_ENDPOINT: z.url({ protocol: /^https?$/ }).optional(),
  S3_BUCKET: z.string().min(3).optional(),
  S3_REGION: z.string().min(1).default('us-east-1'),
  S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  /** Where browsers fetch public pictures from (a CDN in front of the bucket's public/ prefix). */
  S3_PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
  /** Path-style addressing (http://host/bucket/key), which most S3-compatible servers want. */
  S3_FORCE_PATH_STYLE: bool.default(true),
  /** Seconds a shared cache (a CDN, Varnish) may keep an anonymous page. */
  CACHE_S_MAXAGE: z.coerce.number().int().min(0).max(31_536_000).default(300),
  /** Seconds a cache may serve a stale page while it fetches a fresh one. */
  CACHE_STALE_WHILE_REVALIDATE: z.coerce.number().int().min(0).max(31_536_000).default(60),
  /** Where purges are sent when content changes; unset means no CDN to tell. */
  CDN_PURGE_URL: z.url({ protocol: /^https?$/ }).optional(),
  /** How: 'varnish' (a BAN with the keys in a header), 'fastly' (one POST per key) or 'cloudflare' (a JSON list of tags). */
  CDN_PURGE_STYLE: z.enum(['varnish', 'fastly', 'cloudflare']).default('varnish'),
  CDN_PURGE_TOKEN: z.string().min(1).optional(),
  /** Seconds a stopping server waits for requests and jobs in progress before it exits anyway. */
  SHUTDOWN_TIMEOUT: z.coerce.number().int().min(1).max(600).default(25),
});

export type DatabaseConfig = { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string; schema?: string | undefined };

export interface Config {
  env: 'development' | 'production' | 'test';
  host: string;
  port: number;
  /** Public origin without trailing slash, used for canonical URLs and links in email. */
  siteUrl: string;
  siteName: string;
  siteLang: string;
  dataDir: string;
  mediaDir: string;
  database: DatabaseConfig;
  logLevel: string;
  trustProxy: boolean;
  sessionSecret: string | undefined;
  staffTwoFactor: 'required' | 'optional';
  sessionPlaces: string | undefined;
  seedDemo: boolean;
  renderCacheEntries: number;
  pageSize: number;
  wall: { previewParagraphs: number; freeArticles: number };
  mail: { smtpUrl: string | undefined; from: string };
  runWorker: boolean;
  redisUrl: string | undefined;
  media:
    | { storage: 'local' }
    | {
        storage: 's3';
        endpoint: string | undefined;
        bucket: string;
        region: string;
        accessKeyId: string | undefined;
        secretAccessKey: string | undefined;
        publicUrl: string;
        forcePathStyle: boolean;
      };
  cache: { sMaxAge: number; staleWhileRevalidate: number };
  cdn: { purgeUrl: string | undefined; style: 'varnish' | 'fastly' | 'cloudflare'; token: string | undefined };
  shutdownTimeoutMs: number;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Parses the environment once; throws a ConfigError naming each bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Readonly<Config> {
  // An empty variable means "not set", as in most shells' `VAR= command`.
  const parsed = envSchema.safeParse(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== '')));
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const dataDir = resolve(e.DATA_DIR);
  let database: DatabaseConfig;
  if (e.DATABASE_URL === undefined || e.DATABASE_URL.startsWith('sqlite:') || e.DATABASE_URL === ':memory:') {
    const file = e.DATABASE_URL?.replace(/^sqlite:(\/\/)?/, '') || resolve(dataDir, 'harbinger.db');
    database = { kind: 'sqlite', file };
  } else if (/^postgres(ql)?:\/\//.test(e.DATABASE_URL)) {
    database = { kind: 'postgres', url: e.DATABASE_URL };
  } else {
    throw new ConfigError('Invalid configuration:\n  DATABASE_URL: must start with postgres://, postgresql:// or sqlite:');
  }
  let media: Config['media'] = { storage: 'local' };
  if (e.MEDIA_STORAGE === 's3') {
    const missing = (['S3_BUCKET', 'S3_PUBLIC_URL'] as const).filter((name) => e[name] === undefined);
    if (missing.length > 0) {
      throw new ConfigError(`Invalid configuration:\n${missing.map((name) => `  ${name}: required with MEDIA_STORAGE=s3`).join('\n')}`);
    }
    media = {
      storage: 's3',
      endpoint: e.S3_ENDPOINT,
      bucket: e.S3_BUCKET!,
      region: e.S3_REGION,
      accessKeyId: e.S3_ACCESS_KEY_ID,
      secretAccessKey: e.S3_SECRET_ACCESS_KEY,
      publicUrl: e.S3_PUBLIC_URL!.replace(/\/+$/, ''),
      forcePathStyle: e.S3_FORCE_PATH_STYLE,
    };
  }
  const port = e.PORT;
  const config: Config = {
    env: e.NODE_ENV,
    host: e.HOST,
    port,
    siteUrl: (e.SITE_URL ?? `http://localhost:${port}`).replace(/\/+$/, ''),
    siteName: e.SITE_NAME,
    siteLang: e.SITE_LANG,
    dataDir,
    mediaDir: resolve(e.MEDIA_DIR ?? resolve(dataDir, 'media')),
    database,
    logLevel: e.LOG_LEVEL,
    trustProxy: e.TRUST_PROXY,
    sessionSecret: e.SESSION_SECRET,
    staffTwoFactor: e.STAFF_TWO_FACTOR,
    sessionPlaces: e.SESSION_PLACES,
    // A production server never fills an empty database with the demo unless asked to.
    seedDemo: e.SEED_DEMO ?? e.NODE_ENV !== 'production',
    renderCacheEntries: e.RENDER_CACHE_ENTRIES,
    pageSize: e.PAGE_SIZE,
    wall: { previewParagraphs: e.WALL_PREVIEW_PARAGRAPHS, freeArticles: e.WALL_FREE_ARTICLES },
    mail: { smtpUrl: e.SMTP_URL, from: e.MAIL_FROM },
    runWorker: e.RUN_WORKER,
    redisUrl: e.REDIS_URL,
    media,
    cache: { sMaxAge: e.CACHE_S_MAXAGE, staleWhileRevalidate: e.CACHE_STALE_WHILE_REVALIDATE },
    cdn: { purgeUrl: e.CDN_PURGE_URL, style: e.CDN_PURGE_STYLE, token: e.CDN_PURGE_TOKEN },
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT * 1000,
    ...overrides,
  };
  return Object.freeze(config);
}
