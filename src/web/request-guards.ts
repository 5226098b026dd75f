// What every request goes through before a route sees it, and how failures are
// answered: over-long addresses are refused, text arrives where routes expect
// text (lists only where they take lists), and errors and unknown addresses get
// a page (or a problem+json answer) with the site's navigation.
import fp from 'fastify-plugin';
import { installErrorHandlers, sendError } from './error-handler.js';
import { guardRequests } from './http.js';

const MAX_URL_LENGTH = 2048;

export const requestGuardsPlugin = fp(
  async (app) => {
    app.addHook('onRequest', async (request, reply) => {
      if (request.url.length > MAX_URL_LENGTH) {
        const tooLong = {
          status: 414,
          code: 'uri_too_long',
          title: 'Address too long',
          detail: 'The address of this request is longer than we accept.',
        };
        return sendError(request, reply, tooLong, app.pageContext);
      }
    });
    installErrorHandlers(app, app.pageContext);
    guardRequests(app);
  },
  { name: 'harbinger-request-guards', dependencies: ['harbinger-pages'] },
);
