// Redis, when REDIS_URL is set: `app.redis` (null without it) and `app.changeBus`,
// the bus every process hears changes on (web/change-bus.ts). Without Redis the
// bus is local and everything works in one process as before.
//
// With Redis the bus is pub/sub on one channel per site. A process hands its own
// message to its listeners at once (so the page it redirects to is fresh) and
// ignores the copy Redis sends back, so each listener hears a message once. A
// subscriber that lost its connection may have missed messages: when it is back,
// the listeners are told to drop everything (a content message with generation
// -1 and no keys), and the database's content version stays as a slower poll.
// Sessions and the job queue stay in the database.
import { createHash, randomUUID } from 'node:crypto';
import fp from 'fastify-plugin';
import type { FastifyBaseLogger } from 'fastify';
import { createRequire } from 'node:module';
import type * as IoRedis from 'ioredis';
import type { Redis, RedisOptions } from 'ioredis';
import { LocalChangeBus, type ChangeBus, type ChangeListener, type ChangeMessage } from './change-bus.js';

// ioredis is loaded only when REDIS_URL is set: it is tens of megabytes.
const require = createRequire(import.meta.url);
const RedisClient = () => (require('ioredis') as typeof IoRedis).Redis;

declare module 'fastify' {
  interface FastifyInstance {
    changeBus: ChangeBus;
    /** The site's Redis connection (REDIS_URL), or null without one. Commands fail at once while Redis is away. */
    redis: Redis | null;
    /** What every Redis key and channel of this site starts with (`harbinger:<host>:<hash>:`). */
    redisPrefix: string;
  }
}

/** What listeners hear after a reconnection: messages may have been missed, so everything goes. */
export const DROP_EVERYTHING: ChangeMessage = Object.freeze({ kind: 'content', generation: -1, keys: null });

/**
 * The prefix of this site's keys and channel. Every server of one site shares
 * its address and its secret key (kept in the database), so they agree on it;
 * two sites on one Redis (or two test databases) never do. The secret is hashed,
 * never stored.
 */
export function redisPrefixFor(siteUrl: string, siteSecret: string): string {
  const host = new URL(siteUrl).host;
  const hash = createHash('sha256').update(`${siteUrl}\u0000${siteSecret}`).digest('hex').slice(0, 12);
  return `harbinger:${host}:${hash}:`;
}

/** The Redis URL as it may be logged: scheme, host, port and database, never the user or password. */
export function redactedRedisUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname === '/' ? '' : u.pathname}`;
  } catch {
    return '(unparsable REDIS_URL)';
  }
}

/** Connection options both connections share: fail fast while Redis is away, reconnect with a capped backoff. */
const CONNECTION_OPTIONS: RedisOptions = {
  connectTimeout: 2000,
  retryStrategy: (attempt) => Math.min(attempt * 100, 2000),
  connectionName: 'harbinger',
};

/** A connection for commands: while Redis is down they fail at once instead of queueing (rate limits then let requests through). */
export function connectRedis(url: string, options: RedisOptions = {}): Redis {
  return new (RedisClient())(url, { ...CONNECTION_OPTIONS, enableOfflineQueue: false, maxRetriesPerRequest: 1, ...options });
}

/**
 * Logs a connection's errors once per outage: ioredis reports one at every
 * reconnection attempt, which would fill the log while Redis is away.
 */
export function logOutages(redis: Redis, log: Pick<FastifyBaseLogger, 'warn' | 'info'>, what: string): void {
  let down = false;
  redis.on('error', (err: Error) => {
    if (down) return;
    down = true;
    // The message names the host and port at most, never the URL's password.
    log.warn({ err: { message: err.message } }, `${what}: Redis connection lost; reconnecting`);
  });
  redis.on('ready', () => {
    if (down) log.info(`${what}: Redis connection back`);
    down = false;
  });
}

interface Envelope {
  /** The process that published it. */
  from: string;
  message: ChangeMessage;
}

function isChangeMessage(value: unknown): value is ChangeMessage {
  if (typeof value !== 'object' || value === null) return false;
  const m = value as Record<string, unknown>;
  if (m.kind === 'session') return typeof m.sessionId === 'string';
  if (m.kind === 'reader') return typeof m.userId === 'string';
  if (m.kind === 'content')
    return typeof m.generation === 'number' && (m.keys === null || (Array.isArray(m.keys) && m.keys.every((k) => typeof k === 'string')));
  return false;
}

/** The change bus over Redis pub/sub: one channel per site, each message delivered once to each process's listeners. */
export class RedisChangeBus implements ChangeBus {
  readonly shared = true;
  private readonly local = new LocalChangeBus();
  private readonly id = randomUUID();
  private readonly subscriber: Redis;
  private subscribedOnce = false;
  private closed = false;
  private markSubscribed!: () => void;
  private readonly subscribed = new Promise<void>((resolve) => (this.markSubscribed = resolve));
  private readonly readyHandler = () => void this.onReady();

  /**
   * @param publisher a command connection (app.redis); the bus opens its own subscriber connection.
   * @param channel the site's channel (redisPrefixFor(...) + 'changes').
   */
  constructor(
    private readonly publisher: Redis,
    url: string,
    readonly channel: string,
    private readonly log: Pick<FastifyBaseLogger, 'warn' | 'info'>,
  ) {
    // The bus subscribes again itself on every connection, so it knows when that is done.
    this.subscriber = new (RedisClient())(url, { ...CONNECTION_OPTIONS, autoResubscribe: false, connectionName: 'harbinger-changes' });
    this.subscriber.on('ready', this.readyHandler);
    logOutages(this.subscriber, this.log, 'change bus');
    this.subscriber.on('message', (channel: string, text: string) => {
      if (channel === this.channel) this.receive(text);
    });
    if (this.subscriber.status === 'ready') void this.onReady();
  }

  /** Resolves once the subscription is in place (or after `timeoutMs`, false, if Redis does not answer). */
  async ready(timeoutMs = 5000): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
    try {
      return await Promise.race([this.subscribed.then(() => true), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  private async onReady(): Promise<void> {
    try {
      await this.subscriber.subscribe(this.channel);
    } catch (err) {
      // The connection dropped again: the next 'ready' tries once more.
      this.log.warn({ err: { message: (err as Error).message } }, 'Redis change bus could not subscribe');
      return;
    }
    if (this.closed) return;
    // Messages sent while this process was not subscribed were lost (after a
    // reconnection, or when Redis was away as it started): what it cached may be stale.
    if (this.subscribedOnce) this.log.info('Redis change bus reconnected: dropping cached pages');
    this.local.deliver(DROP_EVERYTHING);
    this.subscribedOnce = true;
    this.markSubscribed();
  }

  private receive(text: string): void {
    let envelope: Envelope;
    try {
      envelope = JSON.parse(text) as Envelope;
    } catch {
      return;
    }
    // Our own messages were delivered when they were published.
    if (envelope?.from === this.id || !isChangeMessage(envelope?.message)) return;
    this.local.deliver(envelope.message);
  }

  async publish(message: ChangeMessage): Promise<void> {
    this.local.deliver(message);
    try {
      await this.publisher.publish(this.channel, JSON.stringify({ from: this.id, message } satisfies Envelope));
    } catch (err) {
      // The other processes catch up from the database's content version, or drop everything when they reconnect.
      this.log.warn({ err: { message: (err as Error).message } }, 'Redis change bus could not publish');
    }
  }

  subscribe(listener: ChangeListener): void {
    this.local.subscribe(listener);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.subscriber.off('ready', this.readyHandler);
    await quit(this.subscriber);
    await this.local.close();
  }
}

/** Closes a connection: politely when it is up, at once when it is not (so nothing keeps the process alive). */
export async function quit(redis: Redis): Promise<void> {
  if (redis.status === 'ready') {
    try {
      await redis.quit();
      return;
    } catch {
      // fall through
    }
  }
  redis.disconnect();
}

export const redisPlugin = fp(
  async (app) => {
    const url = app.config.redisUrl;
    app.decorate('redisPrefix', redisPrefixFor(app.config.siteUrl, app.siteSecret));
    if (!url) {
      const bus = new LocalChangeBus();
      app.decorate('changeBus', bus);
      app.decorate('redis', null);
      app.addHook('onClose', async () => bus.close());
      return;
    }

    const log = app.log.child({ module: 'redis' });
    const redis = connectRedis(url);
    logOutages(redis, log, 'commands');
    const bus = new RedisChangeBus(redis, url, `${app.redisPrefix}changes`, log);
    app.decorate('redis', redis);
    app.decorate('changeBus', bus);
    app.addHook('onClose', async () => {
      await bus.close();
      await quit(redis);
    });
    // /readyz (web/health.ts) asks Redis too: a server that cannot reach it is taken out of the rotation.
    app.readiness.register('redis', () => redis.ping());

    // A server starts while Redis is away (it serves, /readyz says so, and the bus catches up when Redis is back).
    if (!(await bus.ready(3000))) log.warn({ redis: redactedRedisUrl(url) }, 'Redis does not answer yet; carrying on without it');
    else log.info({ redis: redactedRedisUrl(url), channel: bus.channel }, 'Redis change bus subscribed');
  },
  { name: 'harbinger-redis', dependencies: ['harbinger-site', 'harbinger-health'] },
);
