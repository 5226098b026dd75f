// The access module in the app: `request.actor()`, the staff member behind a
// request with the roles they hold today, loaded once per request. The roles
// come from the people module, passed in, so neither module imports the other.
import fp from 'fastify-plugin';
import { registerAccess, type AccessOptions } from './guards.js';

export const accessPlugin = fp<AccessOptions>(async (app, options) => registerAccess(app, options), {
  name: 'harbinger-access',
  dependencies: ['harbinger-viewer'],
});
