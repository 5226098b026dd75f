// A lean SMTP client for bulk sending (the newsletter), where nodemailer's
// per-message work (composing, plugins, a stream per message that dot-stuffs
// byte by byte, a queue of commands one reply at a time) cost more than the
// rest of the send. Messages arrive built (MIME, CRLF lines); the client keeps
// a pool of persistent connections, each carrying one message at a time:
//
//   greeting, EHLO (HELO if refused), STARTTLS when offered (or required),
//   EHLO again, AUTH PLAIN or LOGIN when the URL has credentials; then per
//   message MAIL FROM, RCPT TO and DATA in one write when the server offers
//   PIPELINING (RFC 2920), one at a time otherwise; the message dot-stuffed and
//   ended in one more write; RSET after a refusal.
//
// Errors carry what the sender's classification reads (classifySmtpError in the
// newsletter module): `responseCode` (the server's code, absent when the
// connection failed), `command` (the command answered) and `code` (EAUTH,
// ECONNECTION, ETIMEDOUT, ETLS, EENVELOPE, EMESSAGE). A connection that drops
// or times out fails only the message it carries; the next message opens a new
// connection. Everything else (the app's own mail, non-ASCII addresses, other
// transports) stays with nodemailer.
import { connect as netConnect, isIP, type Socket } from 'node:net';
import { connect as tlsConnect, type ConnectionOptions } from 'node:tls';
import { hostname } from 'node:os';

export interface BulkSmtpOptions {
  host: string;
  port: number;
  /** TLS from the first byte (smtps://, port 465). */
  secure: boolean;
  /** Refuse to send unless STARTTLS succeeds. */
  requireTLS: boolean;
  /** Never upgrade with STARTTLS, even when offered. */
  ignoreTLS: boolean;
  auth?: { user: string; pass: string };
  /** Options for node:tls (ca, rejectUnauthorized, servername…). */
  tls?: ConnectionOptions;
  /** The name given in EHLO; defaults to this machine's name when it has a dot, else [127.0.0.1]. */
  name?: string;
  /** Connections kept open at most (messages in flight at once). */
  connections: number;
  /** Messages a connection carries before it is closed and replaced. */
  maxMessages?: number;
  connectionTimeoutMs?: number;
  greetingTimeoutMs?: number;
  /** Gives up on a silent server after this long. */
  socketTimeoutMs?: number;
}

export class SmtpError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly command: string,
    readonly responseCode?: number,
    readonly response?: string,
  ) {
    super(message);
    this.name = 'SmtpError';
  }
}

interface Reply {
  code: number;
  /** Every line of the reply (without the code), joined with a space. */
  text: string;
  lines: string[];
}

const QUERY_OPTIONS = new Set(['secure', 'requireTLS', 'ignoreTLS', 'name', 'tls.rejectUnauthorized', 'tls.servername']);

/**
 * The options of a plain smtp:// or smtps:// URL, in nodemailer's spelling
 * (user:pass@host:port, ?secure, ?requireTLS, ?ignoreTLS, ?name,
 * ?tls.rejectUnauthorized, ?tls.servername); null for any other URL or an
 * option this client does not know, which then stays with nodemailer.
 */
export function parseSmtpUrl(url: string): Omit<BulkSmtpOptions, 'connections'> | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if ((parsed.protocol !== 'smtp:' && parsed.protocol !== 'smtps:') || !parsed.hostname) return null;
  const flag = (key: string) => parsed.searchParams.get(key) === 'true';
  for (const key of parsed.searchParams.keys()) if (!QUERY_OPTIONS.has(key)) return null;
  const secure = parsed.protocol === 'smtps:' || flag('secure');
  const tls: ConnectionOptions = {};
  if (parsed.searchParams.get('tls.rejectUnauthorized') === 'false') tls.rejectUnauthorized = false;
  const servername = parsed.searchParams.get('tls.servername');
  if (servername) tls.servername = servername;
  return {
    host: parsed.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: parsed.port ? Number(parsed.port) : secure ? 465 : 587,
    secure,
    requireTLS: flag('requireTLS'),
    ignoreTLS: flag('ignoreTLS'),
    ...(parsed.username || parsed.password
      ? { auth: { user: decodeURIComponent(parsed.username), pass: decodeURIComponent(parsed.password) } }
      : {}),
    ...(Object.keys(tls).length ? { tls } : {}),
    ...(parsed.searchParams.get('name') ? { name: parsed.searchParams.get('name')! } : {}),
  };
}

/** Doubles the dot of every line that starts with one (RFC 5321 4.5.2); `text` starts at the start of a line. */
export function dotStuff(text: string): string {
  return text.startsWith('.') || text.includes('\n.') ? text.replace(/(^|\n)\./g, '$1..') : text;
}

/** The DATA section of a message: bare LFs become CRLF, lines starting with a dot get another, and the end marker follows. */
export function dataSection(raw: string): string {
  const data = dotStuff(/(^|[^\r])\n/.test(raw) ? raw.replace(/\r?\n/g, '\r\n') : raw);
  return data.endsWith('\r\n') ? `${data}.\r\n` : `${data}\r\n.\r\n`;
}

/**
 * A message already prepared as its DATA section, in pieces written as they
 * are (shared pieces are not copied): dot-stuffed, CRLF line ends, ending with
 * CRLF, without the end marker. See IssueMime.section in the newsletter module.
 */
export type DataPieces = readonly Buffer[];

const END_OF_DATA = Buffer.from('.\r\n', 'latin1');

function defaultName(): string {
  const name = hostname();
  return name.includes('.') ? name : '[127.0.0.1]';
}

function fromAddress(address: string): string {
  // An address carries no line break or angle bracket into a command.
  return address.replace(/[\r\n<>]/g, '');
}

/** One SMTP connection: opened, then carrying one message at a time. */
class Connection {
  private socket: Socket | null = null;
  private input = '';
  private lines: string[] = [];
  private readonly waiting: { resolve: (reply: Reply) => void; reject: (err: Error) => void; command: string }[] = [];
  private features = new Set<string>();
  private authMethods: string[] = [];
  private closed = false;
  private busyCommand = 'CONN';
  sent = 0;

  constructor(
    private readonly options: BulkSmtpOptions,
    private readonly onClose: (connection: Connection) => void,
  ) {}

  get isClosed(): boolean {
    return this.closed;
  }

  async open(): Promise<void> {
    const { options } = this;
    const tlsOptions = this.tlsOptions();
    const socket = options.secure
      ? tlsConnect({ ...tlsOptions, host: options.host, port: options.port })
      : netConnect({ host: options.host, port: options.port });
    await this.attach(socket, options.secure ? 'secureConnect' : 'connect', options.connectionTimeoutMs ?? 30_000);
    const greeting = await this.expectWithin(options.greetingTimeoutMs ?? 30_000);
    if (greeting.code !== 220) throw this.refused('CONN', greeting, 'ECONNECTION');
    await this.hello();
    if (!options.secure && !options.ignoreTLS && (this.features.has('STARTTLS') || options.requireTLS)) {
      const reply = await this.command('STARTTLS');
      if (reply.code === 220) {
        this.detach();
        await this.attach(tlsConnect({ ...tlsOptions, socket }), 'secureConnect', options.connectionTimeoutMs ?? 30_000);
        await this.hello();
      } else if (options.requireTLS) throw this.refused('STARTTLS', reply, 'ETLS');
    }
    if (options.auth) await this.authenticate(options.auth);
  }

  /** Sends one message; rejects with an SmtpError when the server refuses it or the connection fails. */
  async send(envelope: { from: string; to: string }, data: string | DataPieces): Promise<void> {
    const commands = [`MAIL FROM:<${fromAddress(envelope.from)}>`, `RCPT TO:<${fromAddress(envelope.to)}>`, 'DATA'];
    const names = ['MAIL FROM', 'RCPT TO', 'DATA'];
    const replies: Reply[] = [];
    if (this.features.has('PIPELINING')) {
      this.busyCommand = 'MAIL FROM';
      const answers = commands.map((_, i) => this.expect(names[i]));
      this.write(`${commands.join('\r\n')}\r\n`);
      // Wait for all three before judging, so none is left unread on the connection.
      const settled = await Promise.allSettled(answers);
      for (const s of settled) {
        if (s.status === 'rejected') throw s.reason as Error;
        replies.push(s.value);
      }
    } else {
      for (const [i, command] of commands.entries()) {
        const reply = await this.command(command, names[i]);
        replies.push(reply);
        if (reply.code >= 400) break;
      }
    }
    const [mail, rcpt, dataReply] = replies;
    const refusal =
      mail!.code !== 250
        ? this.refused('MAIL FROM', mail!, 'EENVELOPE')
        : rcpt && rcpt.code !== 250 && rcpt.code !== 251
          ? this.refused('RCPT TO', rcpt, 'EENVELOPE')
          : dataReply && dataReply.code !== 354
            ? this.refused('DATA', dataReply, 'EMESSAGE')
            : null;
    if (refusal) {
      // A server that said 354 after refusing the recipient expects a message: an empty one ends it.
      if (dataReply?.code === 354) await this.command('.', 'DATA');
      await this.reset();
      throw refusal;
    }
    this.busyCommand = 'DATA';
    const end = this.expect('DATA');
    if (typeof data === 'string') this.write(data);
    else {
      // One writev for the whole message.
      const socket = this.socket!;
      socket.cork();
      for (const piece of data) socket.write(piece);
      socket.write(END_OF_DATA);
      socket.uncork();
    }
    const accepted = await end;
    this.busyCommand = '';
    this.sent++;
    if (accepted.code !== 250) {
      await this.reset();
      throw this.refused('DATA', accepted, 'EMESSAGE');
    }
  }

  /** Says goodbye and closes (without waiting for the answer). */
  quit(): void {
    if (this.closed) return;
    const socket = this.socket;
    if (socket && this.waiting.length === 0 && !socket.destroyed) {
      this.closed = true;
      this.onClose(this);
      socket.end('QUIT\r\n');
      // The server closes after its 221; one that does not is not waited for.
      setTimeout(() => socket.destroy(), 1000).unref();
      return;
    }
    this.fail(new SmtpError('The connection was closed', 'ECONNECTION', 'QUIT'));
  }

  private tlsOptions(): ConnectionOptions {
    const { host, tls } = this.options;
    return { ...(isIP(host) ? {} : { servername: host }), ...tls };
  }

  private async hello(): Promise<void> {
    const name = this.options.name ?? defaultName();
    let reply = await this.command(`EHLO ${name}`, 'EHLO');
    this.features = new Set();
    this.authMethods = [];
    if (reply.code !== 250) {
      reply = await this.command(`HELO ${name}`, 'HELO');
      if (reply.code !== 250) throw this.refused('HELO', reply, 'ECONNECTION');
      return;
    }
    for (const line of reply.lines.slice(1)) {
      const feature = line.slice(4).trim().toUpperCase();
      const [keyword, ...params] = feature.split(/[\s=]+/);
      this.features.add(keyword!);
      if (keyword === 'AUTH') this.authMethods.push(...params);
    }
  }

  private async authenticate(auth: { user: string; pass: string }): Promise<void> {
    const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
    if (this.authMethods.includes('PLAIN') || !this.authMethods.includes('LOGIN')) {
      const reply = await this.command(`AUTH PLAIN ${b64(`\0${auth.user}\0${auth.pass}`)}`, 'AUTH PLAIN');
      if (reply.code !== 235) throw this.refused('AUTH PLAIN', reply, 'EAUTH');
      return;
    }
    for (const [line, expected] of [
      ['AUTH LOGIN', 334],
      [b64(auth.user), 334],
      [b64(auth.pass), 235],
    ] as const) {
      const reply = await this.command(line, 'AUTH LOGIN');
      if (reply.code !== expected) throw this.refused('AUTH LOGIN', reply, 'EAUTH');
    }
  }

  /** After a refusal: RSET, so the next message starts a clean transaction; a connection that cannot is closed. */
  private async reset(): Promise<void> {
    if (this.closed) return;
    try {
      const reply = await this.command('RSET');
      if (reply.code !== 250) this.quit();
    } catch {
      // The connection is already gone.
    }
  }

  private refused(command: string, reply: Reply, code: string): SmtpError {
    return new SmtpError(`${command} refused: ${reply.code} ${reply.text}`, code, command, reply.code, `${reply.code} ${reply.text}`);
  }

  private attach(socket: Socket, ready: string, timeoutMs: number): Promise<void> {
    this.socket = socket;
    socket.setNoDelay(true);
    socket.on('data', this.onData);
    socket.on('error', this.onError);
    socket.on('close', this.onSocketClose);
    socket.on('timeout', this.onTimeout);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const err = new SmtpError(`Could not connect within ${timeoutMs} ms`, 'ETIMEDOUT', 'CONN');
        this.fail(err);
        reject(err);
      }, timeoutMs);
      const done = (err?: Error) => {
        clearTimeout(timer);
        socket.off(ready, onReady);
        socket.off('close', onClosed);
        if (err) reject(err);
        else {
          socket.setTimeout(this.options.socketTimeoutMs ?? 60_000);
          resolve();
        }
      };
      const onReady = () => done();
      const onClosed = () => done(this.lastError ?? new SmtpError('The connection closed while opening', 'ECONNECTION', 'CONN'));
      socket.once(ready, onReady);
      socket.once('close', onClosed);
    });
  }

  private detach(): void {
    const socket = this.socket!;
    socket.off('data', this.onData);
    socket.off('error', this.onError);
    socket.off('close', this.onSocketClose);
    socket.off('timeout', this.onTimeout);
    socket.setTimeout(0);
  }

  private lastError: SmtpError | null = null;

  private readonly onData = (chunk: Buffer) => {
    this.input += chunk.toString('latin1');
    for (let eol = this.input.indexOf('\n'); eol !== -1; eol = this.input.indexOf('\n')) {
      const line = this.input.slice(0, eol).replace(/\r$/, '');
      this.input = this.input.slice(eol + 1);
      this.lines.push(line);
      if (line.charAt(3) === '-') continue;
      const reply = { code: Number(line.slice(0, 3)) || 0, text: this.lines.map((l) => l.slice(4)).join(' '), lines: this.lines };
      this.lines = [];
      const waiter = this.waiting.shift();
      if (!waiter) {
        // Unasked (a 421 before closing): nothing on this connection can be trusted any more.
        this.fail(new SmtpError(`Unexpected reply: ${line}`, 'ECONNECTION', 'CONN', reply.code, line));
        return;
      }
      waiter.resolve(reply);
    }
  };

  private readonly onError = (err: Error) => {
    this.lastError = new SmtpError(err.message, 'ECONNECTION', this.busyCommand || 'CONN');
  };

  private readonly onTimeout = () => {
    this.fail(new SmtpError('The SMTP server did not answer in time', 'ETIMEDOUT', this.busyCommand || 'CONN'));
  };

  private readonly onSocketClose = () => {
    this.fail(this.lastError ?? new SmtpError('The SMTP server closed the connection', 'ECONNECTION', this.busyCommand || 'CONN'));
  };

  /** Ends the connection for good: every unanswered command fails with `err`. */
  private fail(err: SmtpError): void {
    if (!this.closed) {
      this.closed = true;
      this.socket?.destroy();
      this.onClose(this);
    }
    for (const waiter of this.waiting.splice(0)) waiter.reject(err);
  }

  private write(text: string): void {
    this.socket!.write(text);
  }

  private expect(command = 'CONN'): Promise<Reply> {
    if (this.closed) return Promise.reject(this.lastError ?? new SmtpError('The connection is closed', 'ECONNECTION', command));
    return new Promise((resolve, reject) => this.waiting.push({ resolve, reject, command }));
  }

  private async expectWithin(timeoutMs: number): Promise<Reply> {
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([
        this.expect(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => {
            const err = new SmtpError(`No greeting within ${timeoutMs} ms`, 'ETIMEDOUT', 'CONN');
            this.fail(err);
            reject(err);
          }, timeoutMs);
        }),
      ]);
    } finally {
      clearTimeout(timer);
    }
  }

  private command(line: string, name = line.split(' ')[0]!): Promise<Reply> {
    this.busyCommand = name;
    const reply = this.expect(name);
    this.write(`${line}\r\n`);
    return reply;
  }
}

interface Job {
  envelope: { from: string; to: string };
  data: string | DataPieces;
  resolve: () => void;
  reject: (err: Error) => void;
}

/** A pool of SMTP connections sending built messages, one per connection at a time. */
export class BulkSmtp {
  private readonly queue: Job[] = [];
  private readonly idle: Connection[] = [];
  private readonly open = new Set<Connection>();
  private closing = false;

  constructor(readonly options: BulkSmtpOptions) {}

  get connections(): number {
    return this.options.connections;
  }

  /** Sends a built message to one recipient: MIME text, or its DATA section in pieces (DataPieces). */
  send(envelope: { from: string; to: string }, message: string | DataPieces): Promise<void> {
    if (this.closing) return Promise.reject(new SmtpError('The SMTP pool is closed', 'ECONNECTION', 'CONN'));
    return new Promise((resolve, reject) => {
      this.queue.push({ envelope, data: typeof message === 'string' ? dataSection(message) : message, resolve, reject });
      this.pump();
    });
  }

  /** Closes idle connections now and busy ones after their message; refuses new messages. */
  close(): void {
    this.closing = true;
    for (const job of this.queue.splice(0)) job.reject(new SmtpError('The SMTP pool was closed', 'ECONNECTION', 'CONN'));
    for (const connection of this.idle.splice(0)) connection.quit();
  }

  private pump(): void {
    while (this.queue.length > 0) {
      const connection = this.idle.pop();
      if (connection) void this.run(connection, this.queue.shift()!);
      else if (this.open.size < Math.max(1, this.options.connections)) void this.openFor(this.queue.shift()!);
      else return;
    }
  }

  /** A new connection for a job; when it cannot be opened, that job fails (and only it). */
  private async openFor(job: Job): Promise<void> {
    const connection = new Connection(this.options, (c) => this.forget(c));
    this.open.add(connection);
    try {
      await connection.open();
    } catch (err) {
      connection.quit();
      this.forget(connection);
      job.reject(err as Error);
      return;
    }
    await this.run(connection, job);
  }

  private async run(connection: Connection, job: Job): Promise<void> {
    try {
      await connection.send(job.envelope, job.data);
      job.resolve();
    } catch (err) {
      job.reject(err as Error);
    }
    if (connection.isClosed) return;
    if (this.closing || connection.sent >= (this.options.maxMessages ?? 500)) {
      connection.quit();
      return;
    }
    this.idle.push(connection);
    this.pump();
  }

  private forget(connection: Connection): void {
    if (!this.open.delete(connection)) return;
    const at = this.idle.indexOf(connection);
    if (at !== -1) this.idle.splice(at, 1);
    // A closed connection frees its place: the next queued message opens a new one.
    queueMicrotask(() => this.pump());
  }
}
