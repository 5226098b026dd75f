// Sends email through SMTP when SMTP_URL is set; otherwise writes each message as
// an .eml file to data/outbox, so a fresh install works offline and nothing is lost.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import type { Transporter } from 'nodemailer';
import type { FastifyBaseLogger } from 'fastify';
import { ServiceAwayError } from '../jobs/index.js';

export interface OutgoingMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
  headers?: Record<string, string>;
  /** False for an address that must stay out of the logs (a reader who reported a problem): the log line withholds it. */
  logRecipient?: boolean;
}

export interface Mailer {
  send(message: OutgoingMessage): Promise<void>;
  close(): void;
}

export interface MailerOptions {
  smtpUrl: string | undefined;
  from: string;
  outboxDir: string;
  log: FastifyBaseLogger;
}

function recipientForLog(to: string, logRecipient: boolean | undefined): string {
  return logRecipient === false ? '(withheld)' : to;
}

/**
 * The mail server could not be reached, or said "try again later" (a 4xx): the
 * message is fine and the job sending it waits for the server (ServiceAwayError).
 */
function serverAway(err: unknown): boolean {
  const { code, responseCode } = (err ?? {}) as { code?: unknown; responseCode?: unknown };
  if (typeof responseCode === 'number') return responseCode >= 400 && responseCode < 500;
  return typeof code === 'string' && /^(ECONNECTION|ESOCKET|ETIMEDOUT|EDNS|ECONNREFUSED|ECONNRESET|EHOSTUNREACH|ENETUNREACH)$/.test(code);
}

export function createMailer(options: MailerOptions): Mailer {
  const { log } = options;
  if (options.smtpUrl) {
    const transport: Transporter = nodemailer.createTransport(options.smtpUrl);
    return {
      async send({ logRecipient, ...message }) {
        let info: { messageId: string };
        try {
          info = await transport.sendMail({ from: options.from, ...message });
        } catch (err) {
          throw serverAway(err) ? new ServiceAwayError((err as Error).message, { cause: err }) : err;
        }
        log.info({ to: recipientForLog(message.to, logRecipient), subject: message.subject, messageId: info.messageId }, 'email sent');
      },
      close: () => transport.close(),
    };
  }
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  let warned = false;
  return {
    async send({ logRecipient, ...message }) {
      const info = await transport.sendMail({ from: options.from, ...message });
      await mkdir(options.outboxDir, { recursive: true });
      const file = join(
        options.outboxDir,
        `${new Date().toISOString().replace(/[:.]/g, '-')}-${Math.random().toString(36).slice(2, 8)}.eml`,
      );
      await writeFile(file, info.message as Buffer);
      if (!warned) {
        log.warn({ outbox: options.outboxDir }, 'SMTP_URL is not set: emails are written to the outbox folder instead of being sent');
        warned = true;
      }
      log.info({ to: recipientForLog(message.to, logRecipient), subject: message.subject, file }, 'email written to the outbox');
    },
    close: () => transport.close(),
  };
}
