// The mailer as the app sees it (`app.mailer`), and the `send_email` job that
// hands a queued message to it. Tests pass a mailer bound to their SMTP server.
import { join } from 'node:path';
import fp from 'fastify-plugin';
import type { OutgoingMessage } from './mailer.js';
import { createMailer, type Mailer } from './mailer.js';

declare module 'fastify' {
  interface FastifyInstance {
    mailer: Mailer;
  }
}

export const mailerPlugin = fp<{ mailer?: Mailer | undefined }>(
  async (app, options) => {
    const { mail, dataDir } = app.config;
    const mailer =
      options.mailer ?? createMailer({ smtpUrl: mail.smtpUrl, from: mail.from, outboxDir: join(dataDir, 'outbox'), log: app.log });
    app.decorate('mailer', mailer);
    app.jobs.register('send_email', (payload) => mailer.send(payload as OutgoingMessage));
  },
  { name: 'harbinger-mailer', dependencies: ['harbinger-site', 'harbinger-jobs'] },
);
