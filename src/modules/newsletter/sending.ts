// Sending an issue: the job queue runs `newsletter_send` jobs; each one starts
// the issue if it is due (one delivery row per confirmed subscriber, created in
// the same transaction that moves the issue to 'sending'), then sends due
// deliveries in batches over a pooled SMTP transport until its time slice is
// used up, and hands over to the next job in the chain (so a long send does not
// hold the queue, and retries wait in the queue, not in memory).
//
// Each delivery is claimed under a lease ('sending', locked_until) before its
// message goes to the SMTP server and marked 'sent' right after the server's
// 250. A transient refusal (4xx) or a lost connection puts it back to 'pending'
// with a backoff; a permanent one (5xx to RCPT TO or DATA) marks it 'failed' with
// the server's answer and counts a hard bounce against the subscription (three
// in a row, across issues, suppress it). A sender that dies leaves its claims
// 'sending'; the sender renews the leases of what it holds every few seconds
// (HEARTBEAT_MS), so a lease that is not renewed runs out after DELIVERY_LEASE_MS
// and the next sender takes its deliveries again.
//
// The narrow window: if the process dies after the server's 250 and before the
// row says 'sent', the lease runs out and the message is sent again. We chose
// at-least-once for that window over at-most-once (treating an expired 'sending'
// row as failed and never retrying it): a reader who silently misses an issue is
// a loss nobody sees, while a duplicate is visible and mostly harmless, because
// every delivery keeps one Message-ID across attempts (`<delivery id@site>`),
// which many mailbox providers use to fold the copies into one. The window is
// kept to one message per open SMTP connection: a message is handed to the
// transport only while fewer than `connections` messages are between "handed
// over" and "recorded as sent", so a message's 250 is recorded before its
// connection carries the next one (however slow the database is). A kill can
// therefore repeat at most `connections` messages. Everywhere else (a crash
// before the 250, a crash between batches, a restart) nobody is mailed twice
// and nobody is skipped.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import type { Transporter } from 'nodemailer';
import type { Db } from '../../db/database.js';
import { BulkSmtp, parseSmtpUrl, type DataPieces } from '../../mail/smtp-bulk.js';
import { newId } from '../../lib/ids.js';
import { parseDoc } from '../../lib/rich-text.js';
import { enqueue, type JobInfo, type JobLogger } from '../../jobs/index.js';
import { addressOf, newsletterPaths, signSubscription } from './links.js';
import { personalise, renderIssueEmail, type IssueItem, type RenderedIssue } from './issue-email.js';
import { IssueMime } from './issue-mime.js';
import * as repo from './newsletter.repository.js';

// ---- transport ------------------------------------------------------------------

export interface NewsletterMessage {
  from: { name: string; address: string };
  to: string;
  subject: string;
  text: string;
  html: string;
  headers: Record<string, string>;
  messageId: string;
}

export interface NewsletterTransport {
  send(message: NewsletterMessage): Promise<void>;
  /** Sends a message already built as MIME (issue-mime.ts), when the transport can. */
  sendRaw?(envelope: { from: string; to: string }, raw: string): Promise<void>;
  /** Sends a message given as its SMTP DATA section in pieces (IssueMime.section), when the transport can. */
  sendData?(envelope: { from: string; to: string }, data: DataPieces): Promise<void>;
  close(): void;
  /** SMTP connections the transport keeps open (messages it may carry at once). */
  readonly connections?: number;
}

export interface TransportOptions {
  /** smtp:// or smtps:// URL; without one, messages are written to the outbox folder. */
  smtpUrl: string | undefined;
  outboxDir: string;
  /** Connections the pool keeps open to the SMTP server. */
  maxConnections?: number;
  /** Gives up on a silent server after this long (the delivery's lease is renewed meanwhile). */
  socketTimeoutMs?: number;
}

/**
 * Connections the newsletter's SMTP pool keeps open. 40 was tried: against the
 * benchmark's sink it sent no faster than 20 (343 and 376 messages a second
 * against 409 and 383 on a loaded machine), and a bare pool of 40 was slower
 * than one of 20.
 */
export const NEWSLETTER_CONNECTIONS = 20;

/**
 * A pooled SMTP transport, or the outbox folder as the app's mailer uses. For a
 * plain smtp:// or smtps:// URL, messages built once per issue (sendRaw) go
 * through the bulk client (src/mail/smtp-bulk.ts); the rest (an address that
 * is not ASCII, a URL with options that client does not know) through
 * nodemailer's pool.
 */
export function createNewsletterTransport(options: TransportOptions): NewsletterTransport {
  if (options.smtpUrl) {
    const connections = options.maxConnections ?? NEWSLETTER_CONNECTIONS;
    const socketTimeoutMs = options.socketTimeoutMs ?? 60_000;
    const transport: Transporter = nodemailer.createTransport({
      url: options.smtpUrl,
      pool: true,
      maxConnections: connections,
      maxMessages: 500,
      connectionTimeout: 30_000,
      greetingTimeout: 30_000,
      socketTimeout: socketTimeoutMs,
    });
    const plain = parseSmtpUrl(options.smtpUrl);
    const bulk = plain ? new BulkSmtp({ ...plain, connections, maxMessages: 500, socketTimeoutMs }) : null;
    return {
      connections,
      async send(message) {
        // The parts always hold some non-ASCII (’ — ·): naming the encoding spares nodemailer scanning every copy to choose one.
        await transport.sendMail({ ...message, textEncoding: 'quoted-printable', disableFileAccess: true, disableUrlAccess: true });
      },
      async sendRaw(envelope, raw) {
        if (bulk) await bulk.send(envelope, raw);
        else await transport.sendMail({ envelope: { from: envelope.from, to: [envelope.to] }, raw });
      },
      ...(bulk ? { sendData: (envelope: { from: string; to: string }, data: DataPieces) => bulk.send(envelope, data) } : {}),
      close: () => {
        bulk?.close();
        transport.close();
      },
    };
  }
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    async send(message) {
      const info = await transport.sendMail(message);
      await mkdir(options.outboxDir, { recursive: true });
      await writeFile(join(options.outboxDir, `newsletter-${message.messageId.replace(/[<>@]/g, '_')}.eml`), info.message as Buffer);
    },
    close: () => transport.close(),
  };
}

export type SmtpFailure = 'transient' | 'permanent';

/**
 * Whether retrying can help. A 5xx to RCPT TO or DATA is about this recipient or
 * this message: permanent. Everything else is transient: 4xx answers, lost or
 * refused connections, timeouts, and also 5xx to AUTH or MAIL FROM, which say the
 * server refuses us (a configuration problem to fix), not the reader.
 */
export function classifySmtpError(err: unknown): SmtpFailure {
  const e = (err ?? {}) as { responseCode?: unknown; command?: unknown; code?: unknown };
  const status = typeof e.responseCode === 'number' ? e.responseCode : null;
  if (status === null || status < 500 || status > 599) return 'transient';
  if (e.code === 'EAUTH') return 'transient';
  const command = typeof e.command === 'string' ? e.command.toUpperCase() : '';
  if (
    command.startsWith('AUTH') ||
    command.startsWith('MAIL FROM') ||
    command === 'CONN' ||
    command === 'EHLO' ||
    command === 'HELO' ||
    command === 'STARTTLS'
  )
    return 'transient';
  return 'permanent';
}

function smtpMessage(err: unknown): string {
  const e = (err ?? {}) as { response?: unknown; message?: unknown; code?: unknown };
  const text = typeof e.response === 'string' && e.response ? e.response : typeof e.message === 'string' ? e.message : String(err);
  return text.replace(/\s+/g, ' ').slice(0, 500);
}

// ---- the sender ------------------------------------------------------------------

export interface SendPayload {
  issueId: string;
  /** Position in the chain of jobs sending this issue. */
  chunk?: number;
}

export interface SenderOptions {
  /** Deliveries claimed and sent together by one lane. */
  batchSize?: number;
  /** Lanes claiming and sending batches side by side (messages in flight: lanes × batchSize). */
  lanes?: number;
  /** How long a claim lasts without renewal (renewed while its message is out); a claim past it belongs to a dead sender. */
  leaseMs?: number;
  /** Delay before the first retry of a transient failure; doubles with each attempt, up to an hour. */
  retryBaseMs?: number;
  /** Attempts (transient failures or interrupted sends) before a delivery is given up as failed. */
  maxAttempts?: number;
  /** How long one job sends before handing over to the next in the chain. */
  sliceMs?: number;
  /** How often the leases of held claims are renewed. */
  heartbeatMs?: number;
  /**
   * Messages between "handed to the transport" and "recorded": at most this many
   * can be sent twice after a crash. Defaults to the transport's connections.
   */
  inFlight?: number;
}

/** A claim not renewed for this long belongs to a dead sender, and is taken again. */
export const DELIVERY_LEASE_MS = 30_000;
/** How often a live sender renews its claims. */
export const HEARTBEAT_MS = 5_000;
/** Permanent refusals in a row (across issues) that suppress a subscription. */
export const HARD_BOUNCE_LIMIT = 3;

/** A counting semaphore: at most `size` holders at once, served in order. */
class Slots {
  private free: number;
  private readonly waiting: (() => void)[] = [];
  constructor(size: number) {
    this.free = Math.max(1, size);
  }
  async take(): Promise<void> {
    if (this.free > 0) {
      this.free--;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }
  give(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.free++;
  }
}

/**
 * Records the server's 250s in groups: a message waits for the statement that
 * records it (and its slot with it, see the top of this file), but messages
 * that finish while statements run share the next, so the database sees one
 * write per round of connections instead of one per message. On PostgreSQL two
 * statements may run at once (each waits for its commit; a message need not
 * wait for the one before it as well); SQLite writes one at a time anyway.
 */
class SentRecorder {
  private queue: { claim: repo.DeliveryClaim; resolve: (ours: boolean) => void; reject: (err: unknown) => void }[] = [];
  private running = 0;
  private scheduled = false;

  constructor(
    private readonly db: Db,
    private readonly now: () => Date,
    private readonly concurrency: number,
  ) {}

  /** Resolves once the delivery is recorded as sent: true, or false when the claim was no longer ours. */
  record(claim: repo.DeliveryClaim): Promise<boolean> {
    return new Promise((resolve, reject) => {
      this.queue.push({ claim, resolve, reject });
      this.kick();
    });
  }

  private kick(): void {
    if (this.scheduled || this.running >= this.concurrency || this.queue.length === 0) return;
    this.scheduled = true;
    // Let the 250s that arrive in the same turn join the statement.
    setImmediate(() => {
      this.scheduled = false;
      while (this.running < this.concurrency && this.queue.length > 0) void this.write(this.queue.splice(0));
    });
  }

  private async write(group: typeof this.queue): Promise<void> {
    this.running++;
    try {
      const ours = await repo.markManySent(
        this.db,
        group.map((g) => g.claim),
        this.now().toISOString(),
      );
      for (const g of group) g.resolve(ours.has(g.claim.id));
    } catch (err) {
      for (const g of group) g.reject(err);
    } finally {
      this.running--;
      this.kick();
    }
  }
}

export interface SenderDeps {
  db: Db;
  dialect: 'sqlite' | 'postgres';
  transport: NewsletterTransport;
  site: { siteName: string; siteUrl: string };
  /** Signs the personal links. */
  secret: string;
  /** The address of MAIL_FROM, for newsletters without their own. */
  defaultFrom: string;
  /** Fresh snapshots of the issue's articles (only published ones come back), taken when sending starts. */
  refreshItems(items: IssueItem[]): Promise<IssueItem[]>;
  log?: JobLogger;
  now?: () => Date;
}

const MAX_BACKOFF_MS = 60 * 60_000;
const silent: JobLogger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

export function parseItems(json: string): IssueItem[] {
  try {
    const value: unknown = JSON.parse(json);
    return Array.isArray(value) ? (value as IssueItem[]) : [];
  } catch {
    return [];
  }
}

export function fromOf(newsletter: repo.NewsletterRow, defaultFrom: string): { name: string; address: string } {
  return { name: newsletter.sender_name || newsletter.name, address: newsletter.sender_email || addressOf(defaultFrom) };
}

/** The issue's content, as both the email and the web archive show it. */
export function issueContent(newsletter: repo.NewsletterRow, issue: repo.IssueRow) {
  return {
    newsletterName: newsletter.name,
    newsletterSlug: newsletter.slug,
    number: issue.number,
    subject: issue.subject,
    intro: parseDoc(issue.intro_json),
    items: parseItems(issue.items),
    date: issue.sent_at ?? issue.started_at ?? issue.scheduled_at ?? new Date().toISOString(),
  };
}

export class NewsletterSender {
  private readonly opts: Required<SenderOptions>;
  /** Shared by every lane and job of this process: the bound on repeats after a crash. */
  private readonly slots: Slots;
  private readonly log: JobLogger;
  private readonly now: () => Date;
  /** Rendered once per issue per process; personal links are filled per message. */
  private readonly rendered = new Map<string, { at: string; email: RenderedIssue; mime: IssueMime; newsletter: repo.NewsletterRow }>();
  private readonly sentRecorder: SentRecorder;
  private stopping = false;
  private host: string | undefined;

  constructor(
    private readonly deps: SenderDeps,
    options: SenderOptions = {},
  ) {
    this.opts = {
      batchSize: options.batchSize ?? 25,
      lanes: options.lanes ?? 4,
      leaseMs: options.leaseMs ?? DELIVERY_LEASE_MS,
      retryBaseMs: options.retryBaseMs ?? 60_000,
      maxAttempts: options.maxAttempts ?? 8,
      sliceMs: options.sliceMs ?? 30_000,
      heartbeatMs: options.heartbeatMs ?? Math.min(HEARTBEAT_MS, Math.max(1, Math.floor((options.leaseMs ?? DELIVERY_LEASE_MS) / 3))),
      inFlight: options.inFlight ?? deps.transport.connections ?? 5,
    };
    this.slots = new Slots(this.opts.inFlight);
    this.log = deps.log ?? silent;
    this.now = deps.now ?? (() => new Date());
    this.sentRecorder = new SentRecorder(deps.db, this.now, deps.dialect === 'postgres' ? 2 : 1);
  }

  private get db() {
    return this.deps.db;
  }

  /**
   * Asks running sends to stop after their current batch (shutdown): each hands
   * the rest over to the next job in the chain, so a restart carries on at once.
   */
  stop(): void {
    this.stopping = true;
  }

  /** The `newsletter_send` job. */
  async handle(payload: unknown, _job?: JobInfo): Promise<void> {
    const { issueId, chunk = 0 } = (payload ?? {}) as SendPayload;
    if (typeof issueId !== 'string') return;
    await this.start(issueId);
    const issue = await repo.findIssue(this.db, issueId);
    if (!issue || issue.status !== 'sending') return;
    const { unreachable } = await this.sendDue(issue, this.now().getTime() + this.opts.sliceMs);
    await this.handOver(issueId, chunk, unreachable ? this.opts.retryBaseMs : 0);
  }

  /**
   * Moves a scheduled issue to 'sending': gives it the next number, freezes its
   * items, and creates one pending delivery per confirmed subscriber, all in one
   * transaction. Does nothing for an issue in any other state, so a job that runs
   * twice starts the issue once.
   */
  async start(issueId: string): Promise<void> {
    const issue = await repo.findIssue(this.db, issueId);
    if (!issue || issue.status !== 'scheduled') return;
    // Outside the transaction: on SQLite the transaction holds the only connection.
    const items = await this.deps.refreshItems(parseItems(issue.items));
    const now = this.now().toISOString();
    await this.db.transaction().execute(async (trx) => {
      const number = (await repo.maxIssueNumber(trx, issue.newsletter_id)) + 1;
      const ids = await repo.confirmedSubscriptionIds(trx, issue.newsletter_id);
      const started = await repo.updateIssueIn(trx, issueId, ['scheduled'], {
        status: 'sending',
        number,
        items: JSON.stringify(items),
        started_at: now,
        recipients_count: ids.length,
        updated_at: now,
      });
      if (!started) return;
      await repo.insertDeliveries(
        trx,
        ids.map((subscriptionId) => ({
          id: newId(),
          issue_id: issueId,
          subscription_id: subscriptionId,
          status: 'pending',
          attempts: 0,
          next_attempt_at: now,
          locked_until: null,
          last_error: null,
          sent_at: null,
          created_at: now,
          updated_at: now,
        })),
      );
      this.log.info({ issueId, number, recipients: ids.length }, 'newsletter issue sending started');
    });
  }

  private async renderedFor(issue: repo.IssueRow) {
    const cached = this.rendered.get(issue.id);
    if (cached && cached.at === issue.updated_at) return cached;
    const newsletter = await repo.findNewsletterById(this.db, issue.newsletter_id);
    if (!newsletter) throw new Error(`Newsletter ${issue.newsletter_id} of issue ${issue.id} is gone`);
    const { siteUrl, siteName } = this.deps.site;
    const email = renderIssueEmail(issueContent(newsletter, issue), {
      siteName,
      siteUrl,
      webUrl: issue.number ? `${siteUrl}${newsletterPaths.issue(newsletter.slug, issue.number)}` : null,
    });
    const entry = { at: issue.updated_at, email, mime: new IssueMime(email), newsletter };
    this.rendered.set(issue.id, entry);
    if (this.rendered.size > 20) this.rendered.delete(this.rendered.keys().next().value!);
    return entry;
  }

  /** One recipient's message: personal links, the List-Unsubscribe headers (RFC 2369, RFC 8058), a stable Message-ID. */
  messageFor(
    newsletter: repo.NewsletterRow,
    email: RenderedIssue,
    recipient: { subscriptionId: string; email: string },
    deliveryId: string,
  ): NewsletterMessage {
    const links = this.linksFor(recipient.subscriptionId);
    return { ...this.envelopeFor(newsletter, recipient.email, deliveryId, links.unsubscribe), ...personalise(email, links) };
  }

  /**
   * How one recipient's message goes out: as MIME encoded once per issue and
   * filled for this recipient (the DATA section in pieces for the bulk SMTP
   * client, the text for a transport that takes raw MIME), or composed by
   * nodemailer from `messageFor` when the transport takes neither or the
   * headers need nodemailer's composer (an internationalised address).
   */
  private sendFor(
    newsletter: repo.NewsletterRow,
    email: RenderedIssue,
    mime: IssueMime,
    recipient: { subscriptionId: string; email: string },
    deliveryId: string,
  ): () => Promise<void> {
    const { transport } = this.deps;
    if (transport.sendData || transport.sendRaw) {
      const links = this.linksFor(recipient.subscriptionId);
      const message = {
        ...this.envelopeFor(newsletter, recipient.email, deliveryId, links.unsubscribe),
        subject: mime.rendered.subject,
        text: '',
        html: '',
      };
      const envelope = { from: message.from.address, to: recipient.email };
      const data = transport.sendData ? mime.section(message, links) : null;
      if (data) return () => transport.sendData!(envelope, data);
      const raw = !transport.sendData && transport.sendRaw ? mime.message(message, links) : null;
      if (raw !== null) return () => transport.sendRaw!(envelope, raw);
    }
    return () => transport.send(this.messageFor(newsletter, email, recipient, deliveryId));
  }

  private linksFor(subscriptionId: string): { unsubscribe: string; preferences: string } {
    const { siteUrl } = this.deps.site;
    return {
      unsubscribe: `${siteUrl}${newsletterPaths.unsubscribe(signSubscription(this.deps.secret, 'unsubscribe', subscriptionId))}`,
      preferences: `${siteUrl}${newsletterPaths.preferences(signSubscription(this.deps.secret, 'preferences', subscriptionId))}`,
    };
  }

  private envelopeFor(
    newsletter: repo.NewsletterRow,
    to: string,
    deliveryId: string,
    unsubscribeUrl: string,
  ): Omit<NewsletterMessage, 'subject' | 'text' | 'html'> {
    const host = (this.host ??= new URL(this.deps.site.siteUrl).hostname);
    return {
      from: fromOf(newsletter, this.deps.defaultFrom),
      to,
      messageId: `<${deliveryId}@${host}>`,
      headers: {
        // Only the web link: nothing reads replies to the sender's address, so a mailto would be a promise not kept.
        'List-Unsubscribe': `<${unsubscribeUrl}>`,
        'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
        'List-Id': `${newsletter.name.replace(/[<>"\r\n]/g, '')} <${newsletter.slug}.${host}>`,
      },
    };
  }

  /**
   * Sends due deliveries of a sending issue until none is due or the deadline
   * passes. Several lanes claim and send batches side by side, so the SMTP pool
   * never idles while one batch waits for its slowest message. Stops early,
   * saying so, when a whole batch could not reach the SMTP server: the rest
   * would only fail the same way.
   */
  async sendDue(issue: repo.IssueRow, deadline: number): Promise<{ sent: number; unreachable: boolean }> {
    const { newsletter, email, mime } = await this.renderedFor(issue);
    let sent = 0;
    let unreachable = false;
    const lane = async () => {
      // Each lane sends at least one batch, so every job in the chain makes progress.
      for (let first = true; !unreachable && !this.stopping && (first || this.now().getTime() < deadline); first = false) {
        const now = this.now();
        const claimed = await repo.claimDeliveries(this.db, this.deps.dialect, {
          issueId: issue.id,
          now: now.toISOString(),
          lockedUntil: new Date(now.getTime() + this.opts.leaseMs).toISOString(),
          limit: this.opts.batchSize,
        });
        if (claimed.length === 0) return;
        // The lease says "this sender is alive", not "this must be done by then": while the batch is out
        // (a slow server, a long queue in the pool) the leases of its unsettled claims are renewed.
        const held = new Map(claimed.map((d) => [d.id, { id: d.id, attempts: d.attempts }]));
        const heartbeat = setInterval(() => {
          const until = new Date(this.now().getTime() + this.opts.leaseMs).toISOString();
          repo
            .extendLeases(this.db, [...held.values()], until)
            .catch((err: unknown) => this.log.warn({ err }, 'could not renew newsletter delivery leases'));
        }, this.opts.heartbeatMs);
        heartbeat.unref();
        let outcomes: Awaited<ReturnType<NewsletterSender['deliver']>>[];
        try {
          const recipients = await repo.recipientsOf(
            this.db,
            claimed.map((d) => d.subscription_id),
          );
          // Every claim waits for a slot before its message goes out (see the top of this file).
          outcomes = await Promise.all(
            claimed.map(async (delivery) => {
              const outcome = await this.deliver(newsletter, email, mime, delivery, recipients.get(delivery.subscription_id));
              held.delete(delivery.id);
              return outcome;
            }),
          );
        } finally {
          clearInterval(heartbeat);
        }
        sent += outcomes.filter((o) => o === 'sent').length;
        if (outcomes.every((o) => o === 'unreachable')) unreachable = true;
      }
    };
    await Promise.all(Array.from({ length: this.opts.lanes }, lane));
    if (unreachable) this.log.warn({ issueId: issue.id }, 'the SMTP server could not be reached; newsletter sending pauses');
    return { sent, unreachable };
  }

  /** Sends one claimed delivery and records the outcome; never throws. */
  private async deliver(
    newsletter: repo.NewsletterRow,
    email: RenderedIssue,
    mime: IssueMime,
    delivery: repo.DeliveryRow,
    recipient: { email: string; status: string; hardBounces: number } | undefined,
  ): Promise<'sent' | 'skipped' | 'failed' | 'retry' | 'unreachable' | 'error'> {
    const claim = { id: delivery.id, attempts: delivery.attempts };
    const at = () => this.now().toISOString();
    try {
      if (!recipient || recipient.status !== 'confirmed') {
        const reason =
          recipient?.status === 'suppressed'
            ? 'Suppressed after repeated hard bounces before the message was sent.'
            : 'Unsubscribed before the message was sent.';
        await repo.markSkipped(this.db, claim, reason, at());
        return 'skipped';
      }
      if (delivery.attempts > this.opts.maxAttempts) {
        await repo.markFailed(
          this.db,
          claim,
          `Gave up after ${this.opts.maxAttempts} attempts. Last problem: ${delivery.last_error ?? 'the sender stopped while sending this message'}`,
          at(),
        );
        return 'failed';
      }
      const send = this.sendFor(newsletter, email, mime, { subscriptionId: delivery.subscription_id, email: recipient.email }, delivery.id);
      let refusal: { err: unknown } | null = null;
      await this.slots.take();
      try {
        try {
          await send();
        } catch (err) {
          refusal = { err };
        }
        // Straight after the server's 250, and before this slot lets another message out: see the top of this file.
        if (!refusal && !(await this.sentRecorder.record(claim)))
          this.log.warn({ deliveryId: delivery.id }, 'newsletter delivery sent after its lease ran out');
      } finally {
        this.slots.give();
      }
      if (!refusal) {
        if (recipient.hardBounces > 0) await repo.clearHardBounces(this.db, delivery.subscription_id, at());
        return 'sent';
      }
      const { err } = refusal;
      const problem = smtpMessage(err);
      if (classifySmtpError(err) === 'permanent') {
        await repo.markFailed(this.db, claim, problem, at());
        const suppressed = await repo.recordHardBounce(this.db, delivery.subscription_id, problem, HARD_BOUNCE_LIMIT, at());
        this.log.warn({ deliveryId: delivery.id, problem, suppressed }, 'newsletter delivery refused for good');
        return 'failed';
      }
      if (delivery.attempts >= this.opts.maxAttempts) {
        await repo.markFailed(this.db, claim, `Gave up after ${delivery.attempts} attempts. Last problem: ${problem}`, at());
        return 'failed';
      }
      const delay = Math.min(MAX_BACKOFF_MS, this.opts.retryBaseMs * 2 ** (delivery.attempts - 1));
      await repo.markRetry(this.db, claim, problem, new Date(this.now().getTime() + delay).toISOString(), at());
      return typeof (err as { responseCode?: unknown }).responseCode === 'number' ? 'retry' : 'unreachable';
    } catch (err) {
      // The database failed us: the claim stays 'sending' and is retried when its lease runs out.
      this.log.error({ err, deliveryId: delivery.id }, 'could not record a newsletter delivery');
      return 'error';
    }
  }

  /** Finishes the issue when nothing is left, or puts the next job of the chain on the queue. */
  private async handOver(issueId: string, chunk: number, pauseMs: number): Promise<void> {
    const counts = await repo.deliveryCounts(this.db, issueId);
    if (counts.pending === 0 && counts.sending === 0) {
      const now = this.now().toISOString();
      const done = await repo.updateIssueIn(this.db, issueId, ['sending'], {
        status: 'sent',
        sent_at: now,
        sent_count: counts.sent,
        failed_count: counts.failed,
        updated_at: now,
      });
      if (done) {
        this.rendered.delete(issueId);
        this.log.info({ issueId, sent: counts.sent, failed: counts.failed, skipped: counts.skipped }, 'newsletter issue sent');
      }
      return;
    }
    const earliest = new Date(this.now().getTime() + pauseMs).toISOString();
    const due = (await repo.nextDueAt(this.db, issueId)) ?? earliest;
    const next = chunk + 1;
    await enqueue(this.db, 'newsletter_send', { issueId, chunk: next } satisfies SendPayload, {
      runAt: due < earliest ? earliest : due,
      uniqueKey: sendJobKey(issueId, next),
    });
  }
}

/** One key per link of the chain: a job that runs twice replaces its successor instead of starting a second chain. */
export function sendJobKey(issueId: string, chunk: number): string {
  return `newsletter-send:${issueId}:${chunk}`;
}
