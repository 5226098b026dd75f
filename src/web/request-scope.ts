// The request being answered, for the few shared parts of a page that depend on
// who is asking but are built far from the route (the newsroom's tabs). Entered
// in the first onRequest hook, so every later hook and handler runs inside it.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { FastifyInstance, FastifyRequest } from 'fastify';

const scope = new AsyncLocalStorage<FastifyRequest>();

export function registerRequestScope(app: FastifyInstance): void {
  app.addHook('onRequest', (request, _reply, done) => scope.run(request, done));
}

/** The request this code runs for, if any (none at start-up or in the job worker). */
export const currentRequest = (): FastifyRequest | undefined => scope.getStore();
