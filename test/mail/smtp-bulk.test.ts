// The bulk SMTP client against smtp-server over TCP: messages arrive byte for
// byte (dot-stuffing undone by the server), with and without PIPELINING;
// STARTTLS with a self-signed certificate (trusted through `ca`, refused
// without it); AUTH PLAIN and LOGIN; a 4xx and a 5xx to RCPT TO reported with
// the code the sender classifies, the connection staying usable; a connection
// dropped mid-batch failing only the message it carried.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, describe, it } from 'node:test';
import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import { BulkSmtp, dataSection, parseSmtpUrl, SmtpError, type BulkSmtpOptions } from '../../src/mail/smtp-bulk.js';
import { classifySmtpError } from '../../src/modules/newsletter/index.js';
import { startDroppingProxy } from '../smtp-proxy.js';

const FIXTURES = new URL('../fixtures/', import.meta.url);
const KEY = readFileSync(new URL('smtp-tls.key', FIXTURES));
const CERT = readFileSync(new URL('smtp-tls.crt', FIXTURES));
const FROM = 'newsroom@harbinger.test';

interface Received {
  from: string;
  to: string;
  raw: string;
  secure: boolean;
  user: string | undefined;
}

/** smtp-server keeping every message's bytes; `refuse` answers RCPT TO for an address with a code. */
async function startServer(options: Partial<SMTPServerOptions> = {}, refuse: Record<string, number> = {}) {
  const received: Received[] = [];
  let connections = 0;
  const server = new SMTPServer({
    logger: false,
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    ...options,
    onConnect(_session, callback) {
      connections++;
      callback();
    },
    onRcptTo(address, _session, callback) {
      const code = refuse[address.address];
      if (code)
        return callback(Object.assign(new Error(`${code === 550 ? '5.1.1 no such user' : '4.7.1 try later'}`), { responseCode: code }));
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address).join(','),
          raw: Buffer.concat(chunks).toString('latin1'),
          secure: session.secure,
          user: session.user as string | undefined,
        });
        callback();
      });
    },
  });
  server.on('error', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  const close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  closers.push(close);
  return { port, url: `smtp://127.0.0.1:${port}`, received, connections: () => connections, close };
}

const closers: (() => Promise<void>)[] = [];
after(async () => {
  for (const close of closers) await close();
});

function client(url: string, extra: Partial<BulkSmtpOptions> = {}): BulkSmtp {
  const bulk = new BulkSmtp({ ...parseSmtpUrl(url)!, connections: 2, socketTimeoutMs: 5000, ...extra });
  closers.push(async () => bulk.close());
  return bulk;
}

function message(to: string, body: string): string {
  return `From: <${FROM}>\r\nTo: <${to}>\r\nSubject: Test\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n${body}\r\n`;
}

async function failureOf(promise: Promise<unknown>): Promise<SmtpError> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof SmtpError, `an SmtpError, not ${String(err)}`);
    return err;
  }
  assert.fail('the send should have failed');
}

describe('the bulk SMTP client', () => {
  it('delivers messages byte for byte, dot-stuffing lines that start with a dot, with and without PIPELINING', async () => {
    const body = '.A line starting with a dot\r\n.\r\n..two dots\r\nthe end';
    for (const hidePIPELINING of [false, true]) {
      const server = await startServer({ hidePIPELINING });
      const bulk = client(server.url);
      const readers = ['a@example.net', 'b@example.net', 'c@example.net', 'd@example.net', 'e@example.net'];
      await Promise.all(readers.map((to) => bulk.send({ from: FROM, to }, message(to, body))));
      assert.deepEqual(server.received.map((r) => r.to).sort(), readers);
      for (const r of server.received) {
        assert.equal(r.from, FROM);
        assert.equal(r.raw, message(r.to, body), `${r.to}: the bytes that were sent (PIPELINING hidden: ${hidePIPELINING})`);
      }
      assert.ok(server.connections() <= 2, 'no more connections than the pool allows');
    }
  });

  it('ends the data section with the end marker, however the message ends', () => {
    assert.equal(dataSection('.x\r\ny'), '..x\r\ny\r\n.\r\n');
    assert.equal(dataSection('a\nb\n'), 'a\r\nb\r\n.\r\n');
  });

  it('upgrades with STARTTLS to a server with a self-signed certificate it trusts, and refuses one it does not', async () => {
    const server = await startServer({ disabledCommands: ['AUTH'], key: KEY, cert: CERT });
    const trusting = client(server.url, { tls: { ca: CERT } });
    await trusting.send({ from: FROM, to: 'tls@example.net' }, message('tls@example.net', 'Over TLS'));
    assert.equal(server.received.length, 1);
    assert.equal(server.received[0]!.secure, true);

    const wary = client(server.url);
    const err = await failureOf(wary.send({ from: FROM, to: 'nope@example.net' }, message('nope@example.net', 'Not sent')));
    assert.equal(err.responseCode, undefined);
    assert.equal(classifySmtpError(err), 'transient');
    assert.equal(server.received.length, 1, 'nothing went out over an untrusted connection');
  });

  it('refuses to send in the clear when TLS is required and the server does not offer it', async () => {
    const server = await startServer();
    const bulk = client(`${server.url}/?requireTLS=true`);
    const err = await failureOf(bulk.send({ from: FROM, to: 'x@example.net' }, message('x@example.net', 'x')));
    assert.equal(err.code, 'ETLS');
    assert.equal(classifySmtpError(err), 'transient');
    assert.equal(server.received.length, 0);
  });

  it('signs in with AUTH PLAIN or LOGIN, and reports a wrong password as a problem with the server, not the reader', async () => {
    for (const method of ['PLAIN', 'LOGIN']) {
      const server = await startServer({
        disabledCommands: [],
        authOptional: false,
        authMethods: [method],
        key: KEY,
        cert: CERT,
        onAuth(auth, _session, callback) {
          if (auth.username === 'sender' && auth.password === 'pa:ss word') return callback(null, { user: auth.username });
          callback(Object.assign(new Error('Invalid username or password'), { responseCode: 535 }));
        },
      });
      const base = `smtp://sender:${encodeURIComponent('pa:ss word')}@127.0.0.1:${server.port}`;
      await client(base, { tls: { ca: CERT } }).send({ from: FROM, to: 'auth@example.net' }, message('auth@example.net', method));
      assert.equal(server.received.length, 1);
      assert.equal(server.received[0]!.user, 'sender');

      const wrong = client(`smtp://sender:wrong@127.0.0.1:${server.port}`, { tls: { ca: CERT } });
      const err = await failureOf(wrong.send({ from: FROM, to: 'auth@example.net' }, message('auth@example.net', 'x')));
      assert.equal(err.code, 'EAUTH');
      assert.equal(err.responseCode, 535);
      assert.equal(classifySmtpError(err), 'transient');
      assert.equal(server.received.length, 1);
    }
  });

  it('reports a 4xx and a 5xx to RCPT TO with their codes, and carries on over the same connection', async () => {
    const server = await startServer({}, { 'later@example.net': 451, 'gone@example.net': 550 });
    const bulk = client(server.url, { connections: 1 });
    const later = await failureOf(bulk.send({ from: FROM, to: 'later@example.net' }, message('later@example.net', 'x')));
    assert.equal(later.responseCode, 451);
    assert.equal(later.command, 'RCPT TO');
    assert.equal(classifySmtpError(later), 'transient');
    const gone = await failureOf(bulk.send({ from: FROM, to: 'gone@example.net' }, message('gone@example.net', 'x')));
    assert.equal(gone.responseCode, 550);
    assert.match(gone.response ?? '', /550 5\.1\.1 no such user/);
    assert.equal(classifySmtpError(gone), 'permanent');
    await bulk.send({ from: FROM, to: 'fine@example.net' }, message('fine@example.net', 'x'));
    assert.deepEqual(
      server.received.map((r) => r.to),
      ['fine@example.net'],
    );
    assert.equal(server.connections(), 1, 'the refusals did not cost the connection');
  });

  it('fails only the message whose connection dropped, and sends the rest over new connections', async () => {
    const server = await startServer();
    const proxy = await startDroppingProxy(server.url, 'r3@example.net');
    closers.push(proxy.close);
    const bulk = client(proxy.url, { connections: 2 });
    const readers = Array.from({ length: 8 }, (_, i) => `r${i + 1}@example.net`);
    const results = await Promise.allSettled(readers.map((to) => bulk.send({ from: FROM, to }, message(to, `for ${to}`))));
    const failed = readers.filter((_, i) => results[i]!.status === 'rejected');
    assert.deepEqual(failed, ['r3@example.net'], 'only the message on the dropped connection failed');
    assert.equal(proxy.drops, 1);
    for (const [i, r] of results.entries())
      if (r.status === 'rejected') assert.equal(classifySmtpError(r.reason), 'transient', `${readers[i]}: retried later`);
    const delivered = server.received.map((r) => r.to).sort();
    assert.deepEqual(delivered, readers.filter((r) => !failed.includes(r)).sort(), 'every other message arrived, once');
    // Sent again (as the sender's retry does), it arrives.
    await bulk.send({ from: FROM, to: 'r3@example.net' }, message('r3@example.net', 'again'));
    assert.equal(server.received.filter((r) => r.to === 'r3@example.net').length, 1);
  });
});

describe('plain SMTP URLs', () => {
  it('are read in nodemailer’s spelling; anything else is left to nodemailer', () => {
    assert.deepEqual(parseSmtpUrl('smtps://u%40x:p%3Aw@mail.example.org'), {
      host: 'mail.example.org',
      port: 465,
      secure: true,
      requireTLS: false,
      ignoreTLS: false,
      auth: { user: 'u@x', pass: 'p:w' },
    });
    assert.equal(parseSmtpUrl('smtp://127.0.0.1:2525/?tls.rejectUnauthorized=false')?.tls?.rejectUnauthorized, false);
    assert.equal(parseSmtpUrl('smtp://mail.example.org')?.port, 587);
    assert.equal(parseSmtpUrl('smtp://mail.example.org/?pool=true&maxConnections=3'), null);
    assert.equal(parseSmtpUrl('direct:?name=x'), null);
  });
});
