// A real SMTP server in the test process: the app sends to it over TCP, and
// tests read what arrived, parsed by mailparser.
import { SMTPServer } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';
import type { AddressInfo } from 'node:net';

export interface Inbox {
  url: string;
  messages: ParsedMail[];
  /** Waits for a message to this address (and matching the subject, if given). */
  waitFor(to: string, subject?: RegExp, timeoutMs?: number): Promise<ParsedMail>;
  /** The first link in a message's text part that starts with the prefix. */
  linkIn(message: ParsedMail, prefix: string): string;
  close(): Promise<void>;
}

/** Listens on `port` (a free one when 0): a test can stop the server and start another on the same port. */
export async function startSmtp(port = 0): Promise<Inbox> {
  const messages: ParsedMail[] = [];
  /** Called after each arrival: the pending waitFor calls, each looking for its message. */
  const arrivals = new Set<() => void>();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, _session, callback) {
      simpleParser(stream).then(
        (mail) => {
          messages.push(mail);
          for (const arrived of arrivals) arrived();
          callback();
        },
        (err: Error) => callback(err),
      );
    },
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const listening = (server.server.address() as AddressInfo).port;
  const recipients = (m: ParsedMail) =>
    (Array.isArray(m.to) ? m.to : m.to ? [m.to] : []).flatMap((a) => a.value.map((v) => v.address?.toLowerCase()));
  return {
    url: `smtp://127.0.0.1:${listening}`,
    messages,
    waitFor(to, subject, timeoutMs = 5000) {
      const find = () =>
        [...messages].reverse().find((m) => recipients(m).includes(to.toLowerCase()) && (!subject || subject.test(m.subject ?? '')));
      const found = find();
      if (found) return Promise.resolve(found);
      return new Promise<ParsedMail>((resolve, reject) => {
        const stop = () => {
          clearTimeout(timer);
          arrivals.delete(arrived);
        };
        const arrived = () => {
          const message = find();
          if (!message) return;
          stop();
          resolve(message);
        };
        const timer = setTimeout(() => {
          stop();
          reject(new Error(`No message to ${to} arrived within ${timeoutMs} ms`));
        }, timeoutMs);
        arrivals.add(arrived);
      });
    },
    linkIn(message, prefix) {
      const escaped = prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      const match = new RegExp(`${escaped}[^\\s<>"]*`).exec(message.text ?? '');
      if (!match) throw new Error(`No link starting with ${prefix} in: ${message.text}`);
      return match[0];
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
