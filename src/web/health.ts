// What a load balancer or an orchestrator asks: `/healthz` (liveness: the
// process answers; it touches nothing, so a slow database never gets a healthy
// process restarted) and `/readyz` (readiness: the services this process needs
// answer). The database is always checked; the plugins that bring other services
// (Redis, object storage) register theirs with `app.readiness.register`. While
// the server shuts down /readyz answers 503, so traffic stops coming its way.
import { sql } from 'kysely';
import fp from 'fastify-plugin';

/** A readiness check: resolves when the service answers, throws (or rejects) when it does not. */
export type ReadinessCheck = () => Promise<unknown>;

export type CheckOutcome = 'ok' | 'failed' | 'timeout';

export interface ReadinessReport {
  ready: boolean;
  shuttingDown: boolean;
  checks: Record<string, CheckOutcome>;
}

export interface Readiness {
  /** Adds a check run by every /readyz; a name can be registered once. */
  register(name: string, check: ReadinessCheck): void;
  /** From now on /readyz answers 503 (the server is stopping). */
  markShuttingDown(): void;
  readonly shuttingDown: boolean;
  /** Runs every check at once, each within the timeout. */
  run(): Promise<ReadinessReport>;
}

declare module 'fastify' {
  interface FastifyInstance {
    readiness: Readiness;
  }
}

/** Long enough for a busy database, short enough that a probe (usually 5 s) gets an answer. */
export const READINESS_TIMEOUT_MS = 2000;

const TIMED_OUT = Symbol('timed out');

interface Logger {
  warn(obj: object, msg?: string): void;
}

export function createReadiness(log: Logger, timeoutMs = READINESS_TIMEOUT_MS): Readiness {
  const checks = new Map<string, ReadinessCheck>();
  let shuttingDown = false;

  const runOne = async (name: string, check: ReadinessCheck): Promise<CheckOutcome> => {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<typeof TIMED_OUT>((resolve) => {
      timer = setTimeout(() => resolve(TIMED_OUT), timeoutMs);
    });
    try {
      const result = await Promise.race([Promise.resolve().then(check), timeout]);
      if (result !== TIMED_OUT) return 'ok';
      log.warn({ check: name, timeoutMs }, 'readiness check timed out');
      return 'timeout';
    } catch (err) {
      // The error goes to the log only: /readyz is public and a message may name hosts.
      log.warn({ check: name, err }, 'readiness check failed');
      return 'failed';
    } finally {
      clearTimeout(timer);
    }
  };

  return {
    register(name, check) {
      if (checks.has(name)) throw new Error(`A readiness check named ${name} is registered already`);
      checks.set(name, check);
    },
    markShuttingDown() {
      shuttingDown = true;
    },
    get shuttingDown() {
      return shuttingDown;
    },
    async run() {
      const entries = [...checks];
      const outcomes = await Promise.all(entries.map(([name, check]) => runOne(name, check)));
      const report: ReadinessReport['checks'] = {};
      entries.forEach(([name], i) => (report[name] = outcomes[i]!));
      return { ready: !shuttingDown && outcomes.every((o) => o === 'ok'), shuttingDown, checks: report };
    },
  };
}

export const healthPlugin = fp(
  async (app) => {
    const readiness = createReadiness(app.log);
    readiness.register('database', () => sql`select 1`.execute(app.db));
    app.decorate('readiness', readiness);

    // Probes come every few seconds: their requests are logged only when something is wrong.
    app.get('/healthz', { logLevel: 'warn' }, async (_request, reply) => reply.header('cache-control', 'no-store').send({ status: 'ok' }));

    app.get('/readyz', { logLevel: 'warn' }, async (_request, reply) => {
      const { ready, shuttingDown, checks } = await readiness.run();
      const status = ready ? 'ready' : shuttingDown ? 'shutting down' : 'not ready';
      return reply
        .code(ready ? 200 : 503)
        .header('cache-control', 'no-store')
        .send({ status, checks });
    });
  },
  { name: 'harbinger-health', dependencies: ['harbinger-database'] },
);
