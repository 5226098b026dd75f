// Redis, when REDIS_URL is set: `app.redis` (null without it) and `app.changeBus`,
// the bus every process hears changes on (web/change-bus.ts). Without Redis the
// bus is local and everything works in one process as before.
import fp from 'fastify-plugin';
import { LocalChangeBus, type ChangeBus } from './change-bus.js';

declare module 'fastify' {
  interface FastifyInstance {
    changeBus: ChangeBus;
  }
}

export const redisPlugin = fp(
  async (app) => {
    const bus = new LocalChangeBus();
    app.decorate('changeBus', bus);
    app.addHook('onClose', async () => bus.close());
  },
  { name: 'harbinger-redis', dependencies: ['harbinger-site'] },
);
