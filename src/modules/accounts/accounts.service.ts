// Accounts: sign-up with email verification, password and email-link sign-in,
// server-side sessions, password reset, email and password changes, data export
// and deletion. Answers never reveal whether an email address has an account.
import type { FastifyBaseLogger } from 'fastify';
import type { Db } from '../../db/database.js';
import { nowIso, parseJsonArray } from '../../db/database.js';
import type { Database, RoleName, TokenPurpose } from '../../db/schema.js';
import type { Transaction } from 'kysely';
import { todayUtc } from '../../lib/dates.js';
import { normaliseEmail } from '../../lib/email.js';
import { newId } from '../../lib/ids.js';
import type { Mailer } from '../../mail/mailer.js';
import type { SiteIdentity } from '../../mail/layout.js';
import { AppError, BadRequestError } from '../../web/errors.js';
import { accountEmails } from './account-emails.js';
import { recordAudit } from '../../db/audit.js';
import * as repo from './accounts.repository.js';
import { hashPassword, hashToken, newToken, verifyPassword } from './secrets.js';
import { enqueue } from '../../jobs/index.js';
import { KeyLimiter } from '../../web/key-limit.js';
import { renderEmail } from '../../mail/layout.js';
import type { Viewer } from '../../web/viewer.js';
import type { ChangeBus } from '../../web/change-bus.js';
import { NO_PLACES, type Places } from './places.js';
import { describeDevice } from './two-factor.js';
import { TwoFactorService } from './two-factor.service.js';

const HOUR = 3600_000;
const DAY = 24 * HOUR;
const TOKEN_LIFETIME: Record<TokenPurpose, number> = {
  verify_email: 2 * DAY,
  reset_password: HOUR,
  magic_link: 15 * 60_000,
  change_email: DAY,
  two_factor: 10 * 60_000,
};
/** A browser session lasts the visit (cookie without Max-Age) and at most a day on the server; "keep me signed in" lasts 30 days. */
export const SESSION_LIFETIME = { short: DAY, persistent: 30 * DAY };
export const MINIMUM_AGE = 13;
/** A session's "last seen" is written at most this often (and only when the viewer cache asks the database). */
export const LAST_SEEN_EVERY_MS = 60_000;

/** What the accounts module is told about the site's security settings. */
export interface AccountSecurity {
  siteSecret: string;
  /** STAFF_TWO_FACTOR. */
  staffTwoFactor: 'required' | 'optional';
  /** Where sessions began (SESSION_PLACES); none by default. */
  places?: Places;
}

/** The browser a session is made for: what the session list shows of it. */
export interface SessionClient {
  userAgent?: string | undefined;
  /** Looked up in the places file at sign-in and dropped: never stored. */
  ip?: string | undefined;
}

/** A sign-in waiting for its second step: who, and what the first step decided. */
export interface PendingSignIn {
  userId: string;
  persistent: boolean;
  continuation: Continuation;
  /** 'code' asks for the authenticator's code; 'setup' sets two-factor sign-in up first (a role requires it). */
  step: 'code' | 'setup';
}

/** One line of the account's session list. */
export interface SessionEntry {
  id: string;
  device: string;
  place: string | null;
  createdAt: string;
  lastSeenAt: string | null;
  current: boolean;
}

/**
 * The job that sends an account email. A request that may concern an address
 * without an account (sign-up, reset, sign-in link) only puts this job on the
 * queue, whatever the address: the worker looks the address up, issues the
 * token and sends. So the answer costs the same work and reads the same for
 * every address, no SMTP conversation happens inside a request, and the link's
 * token never sits in the jobs table in clear.
 */
export const ACCOUNT_EMAIL_JOB = 'account_email';

export type AccountEmailJob =
  | { type: 'sign_up'; email: string; passwordHash: string; displayName: string; birthYear: number; continuation: Continuation }
  | { type: 'verify'; userId: string; continuation: Continuation }
  | { type: 'reset'; email: string }
  | { type: 'magic_link'; email: string; continuation: Continuation }
  | { type: 'change_email'; userId: string; email: string };

/** Where to go after signing in, and a bookmark to save then. */
export interface Continuation {
  next: string;
  bookmark?: string | undefined;
}

export class TokenError extends AppError {
  constructor(kind: 'invalid' | 'expired' | 'used') {
    const messages = {
      invalid: 'This link is not valid. It may have been copied incompletely; ask for a new one.',
      expired: 'This link has expired. Links in our emails work for a limited time: ask for a new one.',
      used: 'This link has already been used. Each link works once: sign in, or ask for a new one.',
    };
    super(
      400,
      `token_${kind}`,
      messages[kind],
      kind === 'used' ? 'Link already used' : kind === 'expired' ? 'Link expired' : 'Link not valid',
    );
  }
}

/** Only same-site paths are followed after signing in: no scheme, no host, no backslash tricks. */
export function safeNext(next: unknown, fallback = '/'): string {
  if (typeof next !== 'string' || next.length > 500) return fallback;
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused here
  if (!next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\') || /[\u0000-\u001f\\]/.test(next)) return fallback;
  return next;
}

/**
 * Lets another module remove what it keeps about an account (newsletter
 * subscriptions...) in the deletion's own transaction, before the user row goes.
 */
export type AccountDeletionHook = (trx: Transaction<Database>, account: { userId: string; email: string }) => Promise<void>;
export type SignInStep = (userId: string, continuation: Continuation) => Promise<string | void>;
export type ExportPart = (userId: string) => Promise<Record<string, unknown>>;

/**
 * What accounts need to know about the people linked to them. The people module
 * owns those tables and provides these (app.ts passes them in), so this module
 * neither reads them nor imports people, which itself builds on accounts.
 */
export interface AccountPeople {
  /** The person linked to the account and the roles they hold on `today` (none for a reader). */
  staffRolesOf(db: Db, userId: string, today: string): Promise<{ person_id: string; slug: string; name: string; role: RoleName }[]>;
  profileOf(db: Db, userId: string): Promise<{ slug: string; name: string; locations: string; languages: string } | undefined>;
  /** Unlinks the account's profile inside the deletion's transaction. */
  detach(trx: Transaction<Database>, userId: string): Promise<void>;
}

/**
 * The change buses of this process's apps (one each; tests may build several).
 * The free functions below run inside another module's transaction without an
 * app at hand, and still must tell every viewer cache that a session ended.
 */
const sessionBuses = new Set<ChangeBus>();

/**
 * Tells every process that these sessions ended or changed meaning, so no cached
 * viewer outlives the change (web/viewer.ts). A message sent before the ending
 * transaction commits is safe: the caches refuse to keep the session for a while.
 */
async function announceSessions(buses: Iterable<ChangeBus>, sessionIds: readonly string[], log?: FastifyBaseLogger): Promise<void> {
  for (const bus of buses)
    for (const sessionId of sessionIds)
      await bus.publish({ kind: 'session', sessionId }).catch((err: unknown) => log?.warn({ err }, 'could not announce an ended session'));
}

export class AccountsService {
  private readonly deletionHooks: AccountDeletionHook[] = [];
  private readonly signInSteps: SignInStep[] = [];
  private readonly exportParts: ExportPart[] = [];
  /**
   * Per address, whatever the client's IP and whether the address has an
   * account (so a 429 says nothing about that either).
   */
  private readonly limits: { signIn: KeyLimiter; reset: KeyLimiter; magicLink: KeyLimiter };
  readonly twoFactor: TwoFactorService;
  private readonly places: Places;

  constructor(
    private readonly db: Db,
    private readonly mailer: Mailer,
    private readonly site: SiteIdentity,
    private readonly log: FastifyBaseLogger,
    private readonly people: AccountPeople,
    private readonly bus?: ChangeBus,
    security: AccountSecurity = { siteSecret: '', staffTwoFactor: 'optional' },
  ) {
    if (bus) sessionBuses.add(bus);
    this.twoFactor = new TwoFactorService(db, people, log, {
      siteSecret: security.siteSecret,
      issuer: site.siteName,
      staff: security.staffTwoFactor,
    });
    this.places = security.places ?? NO_PLACES;
    this.limits = {
      signIn: new KeyLimiter(db, {
        scope: 'sign-in',
        max: 10,
        windowMs: 15 * 60_000,
        message:
          'Too many attempts: there were too many failed sign-ins for this email address. To keep the account safe, wait {minutes} before trying again, or choose a new password with “Forgot your password?”.',
      }),
      reset: new KeyLimiter(db, {
        scope: 'reset',
        max: 5,
        windowMs: HOUR,
        message:
          'Too many attempts: we have been asked for several password links for this address recently. Wait {minutes} before asking again, and look in your spam folder for the ones already sent.',
      }),
      magicLink: new KeyLimiter(db, {
        scope: 'magic-link',
        max: 5,
        windowMs: HOUR,
        message:
          'Too many attempts: we have been asked for several sign-in links for this address recently. Wait {minutes} before asking again, and look in your spam folder for the ones already sent.',
      }),
    };
  }

  /** The app is closing: its bus hears no more. */
  close(): void {
    if (this.bus) sessionBuses.delete(this.bus);
  }

  private async announce(sessionIds: readonly string[]): Promise<void> {
    if (this.bus && sessionIds.length) await announceSessions([this.bus], sessionIds, this.log);
  }

  /** Registers a hook that deleteAccount runs inside its transaction. */
  onDelete(hook: AccountDeletionHook): void {
    this.deletionHooks.push(hook);
  }

  /** Registers a step every sign-in runs (saving the bookmark a visitor asked for, say); a step may name where to go next. */
  onSignIn(step: SignInStep): void {
    this.signInSteps.push(step);
  }

  /** Runs the sign-in steps in turn; the first address one of them names is where the reader goes. */
  async afterSignIn(userId: string, continuation: Continuation): Promise<string | undefined> {
    let next: string | undefined;
    for (const step of this.signInSteps) {
      const named = await step(userId, continuation);
      if (next === undefined && typeof named === 'string') next = named;
    }
    return next;
  }

  /** Registers another module's part of a reader's data export (their bookmarks, subscriptions, entries). */
  onExport(part: ExportPart): void {
    this.exportParts.push(part);
  }

  /** The other modules' parts of the export, merged. */
  async exportExtra(userId: string): Promise<Record<string, unknown>> {
    const parts = await Promise.all(this.exportParts.map((part) => part(userId)));
    return Object.assign({}, ...parts) as Record<string, unknown>;
  }

  private link(path: string, token: string): string {
    return `${this.site.siteUrl}${path}?token=${encodeURIComponent(token)}`;
  }

  private async issueToken(
    purpose: TokenPurpose,
    email: string,
    userId: string | null,
    data: object = {},
    lifetimeMs = TOKEN_LIFETIME[purpose],
    db: Executor = this.db,
  ): Promise<string> {
    const { token, hash } = newToken();
    const now = Date.now();
    await repo.insertToken(db, {
      id: newId(),
      token_hash: hash,
      purpose,
      user_id: userId,
      email,
      data: JSON.stringify(data),
      created_at: new Date(now).toISOString(),
      expires_at: new Date(now + lifetimeMs).toISOString(),
      used_at: null,
    });
    return token;
  }

  /** Checks and uses up a single-use token. */
  private async consumeToken(token: string, purpose: TokenPurpose) {
    if (typeof token !== 'string' || token.length < 20 || token.length > 100) throw new TokenError('invalid');
    const row = await repo.findToken(this.db, hashToken(token), purpose);
    if (!row) throw new TokenError('invalid');
    if (row.used_at) throw new TokenError('used');
    if (row.expires_at < nowIso()) throw new TokenError('expired');
    if (!(await repo.claimToken(this.db, row.id, nowIso()))) throw new TokenError('used');
    return { ...row, data: JSON.parse(row.data) as Record<string, unknown> };
  }

  /** A token's state and the address it was sent to, without using it (for pages that ask to confirm first). */
  async peekToken(token: string, purpose: TokenPurpose): Promise<{ email: string; userId: string | null }> {
    if (typeof token !== 'string' || token.length < 20 || token.length > 100) throw new TokenError('invalid');
    const row = await repo.findToken(this.db, hashToken(token), purpose);
    if (!row) throw new TokenError('invalid');
    if (row.used_at) throw new TokenError('used');
    if (row.expires_at < nowIso()) throw new TokenError('expired');
    return { email: row.email, userId: row.user_id };
  }

  /** Puts an account email on the queue (see ACCOUNT_EMAIL_JOB). */
  private async queueEmail(job: AccountEmailJob, db: Executor = this.db): Promise<void> {
    await enqueue(db, ACCOUNT_EMAIL_JOB, job);
  }

  /** Runs an ACCOUNT_EMAIL_JOB in the worker: decides what to send, issues the token, sends. */
  async runEmailJob(payload: unknown): Promise<void> {
    const job = payload as AccountEmailJob;
    switch (job.type) {
      case 'sign_up':
        return this.completeSignUp(job);
      case 'verify': {
        const user = await repo.findUserById(this.db, job.userId);
        if (!user || user.email_verified_at) return;
        return this.sendVerification(user.id, user.email, user.display_name, job.continuation);
      }
      case 'reset': {
        const user = await repo.findUserByEmail(this.db, job.email);
        if (!user) {
          this.log.info('password reset asked for an address without an account');
          return;
        }
        const token = await this.issueToken('reset_password', job.email, user.id);
        return this.mailer.send({ to: job.email, ...accountEmails.reset(this.site, this.link('/account/reset/new', token)) });
      }
      case 'magic_link': {
        const user = await repo.findUserByEmail(this.db, job.email);
        if (!user) {
          this.log.info('sign-in link asked for an address without an account');
          return;
        }
        const token = await this.issueToken('magic_link', job.email, user.id, job.continuation);
        return this.mailer.send({ to: job.email, ...accountEmails.magicLink(this.site, this.link('/account/link', token)) });
      }
      case 'change_email': {
        const user = await repo.findUserById(this.db, job.userId);
        if (!user || user.email === job.email) return;
        if (await repo.findUserByEmail(this.db, job.email)) {
          // The address has an account already: say nothing on the page, and tell its owner.
          const msg = accountEmails.alreadyRegistered(
            this.site,
            `${this.site.siteUrl}/account/sign-in`,
            `${this.site.siteUrl}/account/reset`,
          );
          return this.mailer.send({ to: job.email, ...msg });
        }
        const token = await this.issueToken('change_email', job.email, user.id);
        return this.mailer.send({ to: job.email, ...accountEmails.changeEmail(this.site, this.link('/account/email/confirm', token)) });
      }
      default:
        throw new Error(`Unknown account email job: ${String((job as { type?: unknown }).type)}`);
    }
  }

  /**
   * Answers a sign-up. The password is hashed and one job queued whatever the
   * address, so a registered address cannot be told from a new one by the page
   * or by the time it takes; the worker decides what to send.
   */
  async signUp(
    input: { email: string; password: string; displayName: string; birthYear: number },
    continuation: Continuation,
  ): Promise<void> {
    const email = normaliseEmail(input.email);
    const passwordHash = await hashPassword(input.password);
    await this.queueEmail({
      type: 'sign_up',
      email,
      passwordHash,
      displayName: input.displayName,
      birthYear: input.birthYear,
      continuation: { next: continuation.next, ...(continuation.bookmark ? { bookmark: continuation.bookmark } : {}) },
    });
  }

  private async completeSignUp(job: Extract<AccountEmailJob, { type: 'sign_up' }>): Promise<void> {
    const { email } = job;
    const existing = await repo.findUserByEmail(this.db, email);
    if (existing?.email_verified_at) {
      // The owner of the address learns about it by email; the account is untouched.
      const msg = accountEmails.alreadyRegistered(this.site, `${this.site.siteUrl}/account/sign-in`, `${this.site.siteUrl}/account/reset`);
      await this.mailer.send({ to: email, ...msg });
      return;
    }
    let userId = existing?.id;
    if (!userId) {
      userId = newId();
      const now = nowIso();
      await repo.insertUser(this.db, {
        id: userId,
        email,
        email_verified_at: null,
        password_hash: job.passwordHash,
        display_name: job.displayName,
        birth_year: job.birthYear,
        created_at: now,
        updated_at: now,
      });
    }
    // Until the address is proven, each sign-up's details travel with its own
    // link and apply only when that link is followed: a second sign-up for the
    // same address must not put its password on the account the first person
    // then confirms.
    const token = await this.issueToken('verify_email', email, userId, {
      ...job.continuation,
      signUp: { passwordHash: job.passwordHash, displayName: job.displayName, birthYear: job.birthYear },
    });
    await this.mailer.send({ to: email, ...accountEmails.verify(this.site, job.displayName, this.link('/account/verify', token)) });
  }

  private async sendVerification(userId: string, email: string, name: string, continuation: Continuation): Promise<void> {
    const token = await this.issueToken('verify_email', email, userId, continuation);
    await this.mailer.send({ to: email, ...accountEmails.verify(this.site, name, this.link('/account/verify', token)) });
  }

  async verifyEmail(token: string): Promise<{ userId: string; continuation: Continuation }> {
    const row = await this.consumeToken(token, 'verify_email');
    const user = row.user_id ? await repo.findUserById(this.db, row.user_id) : undefined;
    if (!user || user.email !== row.email) throw new TokenError('invalid');
    if (!user.email_verified_at) {
      const signUp = row.data.signUp as { passwordHash?: unknown; displayName?: unknown; birthYear?: unknown } | undefined;
      const now = nowIso();
      await this.db.transaction().execute(async (trx) => {
        await repo.updateUser(trx, user.id, {
          email_verified_at: now,
          updated_at: now,
          // The details of the sign-up whose link this is (a later sign-up for the same address sent its own).
          ...(signUp &&
          typeof signUp.passwordHash === 'string' &&
          typeof signUp.displayName === 'string' &&
          typeof signUp.birthYear === 'number'
            ? { password_hash: signUp.passwordHash, display_name: signUp.displayName, birth_year: signUp.birthYear }
            : {}),
        });
        // The other sign-ups' links are void now that the address is proven.
        await repo.deletePendingTokensOfUser(trx, user.id);
      });
    }
    if (row.data.signUp) await repo.clearTokenData(this.db, row.id);
    return {
      userId: user.id,
      continuation: { next: safeNext(row.data.next), bookmark: typeof row.data.bookmark === 'string' ? row.data.bookmark : undefined },
    };
  }

  /** Returns the user id on success, 'unverified' when the password is right but the email is not confirmed, or null. */
  async checkPassword(emailInput: string, password: string, continuation: Continuation): Promise<string | null> {
    const email = normaliseEmail(emailInput);
    await this.limits.signIn.assertOpen(email);
    const user = await repo.findUserByEmail(this.db, email);
    const ok = await verifyPassword(password, user?.password_hash ?? null);
    if (!user || !ok) {
      await this.limits.signIn.record(email);
      return null;
    }
    await this.limits.signIn.clear(email);
    if (!user.email_verified_at) {
      await this.queueEmail({ type: 'verify', userId: user.id, continuation });
      return 'unverified';
    }
    return user.id;
  }

  async checkPasswordOf(userId: string, password: string): Promise<boolean> {
    const user = await repo.findUserById(this.db, userId);
    return verifyPassword(password, user?.password_hash ?? null);
  }

  async createSession(userId: string, persistent: boolean, client: SessionClient = {}): Promise<{ token: string; expiresAt: Date }> {
    const { token, hash } = newToken();
    const now = Date.now();
    const expiresAt = new Date(now + (persistent ? SESSION_LIFETIME.persistent : SESSION_LIFETIME.short));
    await repo.insertSession(this.db, {
      id: newId(),
      token_hash: hash,
      user_id: userId,
      persistent: persistent ? 1 : 0,
      created_at: new Date(now).toISOString(),
      expires_at: expiresAt.toISOString(),
      device: describeDevice(client.userAgent),
      place: this.places.placeOf(client.ip),
      last_seen_at: new Date(now).toISOString(),
    });
    return { token, expiresAt };
  }

  /**
   * After the right password (or email link): whether a second step must come
   * before the session. When it must, a short-lived single-use token stands for
   * the sign-in (stored hashed, like every link): no session exists until the
   * code is right.
   */
  async beginSecondStep(
    userId: string,
    persistent: boolean,
    continuation: Continuation,
  ): Promise<{ token: string; step: 'code' | 'setup' } | null> {
    const enabled = await this.twoFactor.isEnabled(userId);
    if (!enabled && !(await this.twoFactor.requiredFor(userId))) return null;
    const user = await repo.findUserById(this.db, userId);
    if (!user) return null;
    const token = await this.issueToken('two_factor', user.email, userId, {
      persistent,
      next: continuation.next,
      ...(continuation.bookmark ? { bookmark: continuation.bookmark } : {}),
    });
    return { token, step: enabled ? 'code' : 'setup' };
  }

  /** The sign-in a pending token stands for, without using it up. */
  async pendingSignIn(token: string | undefined): Promise<PendingSignIn> {
    if (typeof token !== 'string' || token.length < 20 || token.length > 100) throw new TokenError('expired');
    const row = await repo.findToken(this.db, hashToken(token), 'two_factor');
    if (!row?.user_id || row.used_at || row.expires_at < nowIso()) throw new TokenError('expired');
    const data = JSON.parse(row.data) as Record<string, unknown>;
    return {
      userId: row.user_id,
      persistent: data.persistent === true,
      continuation: { next: safeNext(data.next), bookmark: typeof data.bookmark === 'string' ? data.bookmark : undefined },
      step: (await this.twoFactor.isEnabled(row.user_id)) ? 'code' : 'setup',
    };
  }

  /** Uses the pending token up once its second step succeeded; a second use (a double submit, a thief) fails. */
  async finishSecondStep(token: string): Promise<PendingSignIn> {
    const pending = await this.pendingSignIn(token);
    const row = await repo.findToken(this.db, hashToken(token), 'two_factor');
    if (!row || !(await repo.claimToken(this.db, row.id, nowIso()))) throw new TokenError('used');
    return pending;
  }

  /** Password when the account has one, otherwise a code from the authenticator: what turning 2FA off or renewing codes asks for. */
  async confirmIdentity(userId: string, input: { password?: string | undefined; code?: string | undefined }): Promise<boolean> {
    const user = await repo.findUserById(this.db, userId);
    if (!user) return false;
    if (user.password_hash) return verifyPassword(input.password ?? '', user.password_hash);
    return this.twoFactor.verify(userId, input.code ?? '');
  }

  /**
   * Turns two-factor sign-in on; the other sessions of the account end (one made
   * with only the password is no longer enough).
   */
  async enableTwoFactor(userId: string, code: string, keepSessionId?: string): Promise<string[] | null> {
    const codes = await this.twoFactor.confirmSetup(userId, code);
    if (!codes) return null;
    // Sessions only: a sign-in waiting for this very set-up holds a pending token that must stay usable.
    const ended = keepSessionId
      ? [...(await repo.deleteSessionsOfUserExcept(this.db, userId, keepSessionId)), keepSessionId]
      : await repo.deleteSessionsOfUser(this.db, userId);
    await this.announce(ended);
    return codes;
  }

  /** Turns two-factor sign-in off from the command line and ends every session of the account. */
  async resetTwoFactor(userId: string): Promise<void> {
    await this.twoFactor.turnOff(userId, 'command line');
    await this.signOutEverywhere(userId);
  }

  /** The account's sessions, for its page: device, place, when made and last seen; `currentSessionId` is this browser's. */
  async sessionsOf(userId: string, currentSessionId: string): Promise<SessionEntry[]> {
    const rows = await repo.activeSessionsOfUser(this.db, userId, nowIso());
    const iso = (v: string | Date | null) => (v === null ? null : new Date(v).toISOString());
    return rows.map((r) => ({
      id: r.id,
      device: r.device ?? 'An unknown browser',
      place: r.place,
      createdAt: iso(r.created_at)!,
      lastSeenAt: iso(r.last_seen_at),
      current: r.id === currentSessionId,
    }));
  }

  /** Ends one of the account's sessions (not another account's); says whether there was one. */
  async signOutSession(userId: string, sessionId: string): Promise<boolean> {
    const ended = await repo.deleteSessionOfUser(this.db, userId, sessionId);
    await this.announce(ended);
    return ended.length > 0;
  }

  async viewerForSession(token: string): Promise<Viewer | null> {
    if (token.length < 20 || token.length > 100) return null;
    const row = await repo.findSessionWithUser(this.db, hashToken(token));
    const now = Date.now();
    if (!row || row.expires_at < new Date(now).toISOString()) return null;
    const roles = await this.people.staffRolesOf(this.db, row.user_id, todayUtc());
    // This runs when the viewer cache asks (every few seconds per active session at most), so "last seen"
    // costs no write per request, and at most one a minute.
    const lastSeen = row.last_seen_at === null ? 0 : Date.parse(new Date(row.last_seen_at).toISOString());
    if (now - lastSeen >= LAST_SEEN_EVERY_MS)
      await repo.touchSession(this.db, row.session_id, new Date(now).toISOString(), new Date(now - LAST_SEEN_EVERY_MS).toISOString());
    return {
      twoFactorSetupDue: row.two_factor_enabled_at === null && this.twoFactor.requiredForRoles(roles.map((r) => r.role)),
      userId: row.user_id,
      displayName: row.display_name,
      email: row.email,
      sessionId: row.session_id,
      sessionExpiresAt: Date.parse(row.expires_at),
      staff: roles[0] ? { personId: roles[0].person_id, slug: roles[0].slug, name: roles[0].name } : null,
    };
  }

  async signOut(token: string): Promise<void> {
    await this.announce(await repo.deleteSession(this.db, hashToken(token)));
  }

  async signOutEverywhere(userId: string): Promise<void> {
    await this.announce(await repo.deleteSessionsOfUser(this.db, userId));
  }

  /** Queues the reset email; the worker sends it only if the address has an account (see ACCOUNT_EMAIL_JOB). */
  async requestPasswordReset(emailInput: string): Promise<void> {
    const email = normaliseEmail(emailInput);
    await this.limits.reset.hit(email);
    await this.queueEmail({ type: 'reset', email });
  }

  /** Sets the new password, ends every session of the account and voids its other pending links. */
  async resetPassword(token: string, password: string): Promise<string> {
    const row = await this.consumeToken(token, 'reset_password');
    const user = row.user_id ? await repo.findUserById(this.db, row.user_id) : undefined;
    // A link sent to an address the account no longer uses is worthless.
    if (!user || user.email !== row.email) throw new TokenError('invalid');
    const passwordHash = await hashPassword(password);
    const now = nowIso();
    const ended = await this.db.transaction().execute(async (trx) => {
      // Following the link proves the address too.
      await repo.updateUser(trx, user.id, { password_hash: passwordHash, email_verified_at: now, updated_at: now });
      const ended = await repo.deleteSessionsOfUser(trx, user.id);
      await repo.deletePendingTokensOfUser(trx, user.id);
      return ended;
    });
    await this.announce(ended);
    return user.id;
  }

  /** Queues the sign-in link; the worker sends it only if the address has an account (see ACCOUNT_EMAIL_JOB). */
  async requestMagicLink(emailInput: string, continuation: Continuation): Promise<void> {
    const email = normaliseEmail(emailInput);
    await this.limits.magicLink.hit(email);
    await this.queueEmail({
      type: 'magic_link',
      email,
      continuation: { next: continuation.next, ...(continuation.bookmark ? { bookmark: continuation.bookmark } : {}) },
    });
  }

  /**
   * Issues a sign-in link without sending it, for the command line (`harbinger
   * user create`, `user link`) and the demo; it lasts a day, as whoever runs the
   * command may open it later.
   */
  async signInLinkFor(userId: string, next = '/'): Promise<string> {
    const user = await repo.findUserById(this.db, userId);
    if (!user) throw new BadRequestError('No such account.');
    return this.link('/account/link', await this.issueToken('magic_link', user.email, user.id, { next }, DAY));
  }

  async findUserIdByEmail(email: string): Promise<string | null> {
    return (await repo.findUserByEmail(this.db, normaliseEmail(email)))?.id ?? null;
  }

  /** Creates a verified account without a password (it signs in by email link). */
  async createVerifiedUser(emailInput: string, displayName: string): Promise<string> {
    const email = normaliseEmail(emailInput);
    if (await repo.findUserByEmail(this.db, email)) throw new BadRequestError(`An account with ${email} already exists.`, 'email_taken');
    const now = nowIso();
    const id = newId();
    await this.db.transaction().execute(async (trx) => {
      await repo.insertUser(trx, {
        id,
        email,
        email_verified_at: now,
        password_hash: null,
        display_name: displayName,
        birth_year: null,
        created_at: now,
        updated_at: now,
      });
      await recordAudit(trx, { userId: null, actorName: 'command line', action: 'user.created', subjectType: 'user', subjectId: id });
    });
    return id;
  }

  async consumeMagicLink(token: string): Promise<{ userId: string; continuation: Continuation }> {
    const row = await this.consumeToken(token, 'magic_link');
    const user = row.user_id ? await repo.findUserById(this.db, row.user_id) : undefined;
    if (!user || user.email !== row.email) throw new TokenError('invalid');
    if (!user.email_verified_at) {
      // The link proves the address; a password set by an unconfirmed sign-up
      // proves nothing (anyone could have typed that address), so it goes: the
      // owner can choose one with "Forgot your password?".
      const now = nowIso();
      await this.db.transaction().execute(async (trx) => {
        await repo.updateUser(trx, user.id, { email_verified_at: now, password_hash: null, updated_at: now });
        await repo.deletePendingTokensOfUser(trx, user.id);
      });
    }
    return {
      userId: user.id,
      continuation: { next: safeNext(row.data.next), bookmark: typeof row.data.bookmark === 'string' ? row.data.bookmark : undefined },
    };
  }

  async account(userId: string) {
    const user = await repo.findUserById(this.db, userId);
    if (!user) throw new BadRequestError('No such account.');
    return {
      email: user.email,
      displayName: user.display_name,
      verified: user.email_verified_at !== null,
      hasPassword: user.password_hash !== null,
      birthYear: user.birth_year,
    };
  }

  async updateProfile(userId: string, displayName: string): Promise<void> {
    await repo.updateUser(this.db, userId, { display_name: displayName, updated_at: nowIso() });
    // The header shows the name: the account's sessions now stand for a different viewer.
    await this.announce(await repo.sessionIdsOfUser(this.db, userId));
  }

  /**
   * Changes the password when the current one is right. Every other session of
   * the account ends (a thief's included) and its pending email links are void;
   * the session that made the change, if given, stays.
   */
  async changePassword(userId: string, current: string, next: string, keepSessionId?: string): Promise<boolean> {
    const user = await repo.findUserById(this.db, userId);
    if (!user || !(await verifyPassword(current, user.password_hash))) return false;
    const passwordHash = await hashPassword(next);
    const ended = await this.db.transaction().execute(async (trx) => {
      await repo.updateUser(trx, userId, { password_hash: passwordHash, updated_at: nowIso() });
      return this.endOtherSessions(trx, userId, keepSessionId);
    });
    await this.announce(ended);
    return true;
  }

  /**
   * Ends the account's sessions but `keepSessionId`, and voids its pending email
   * links (reset, sign-in, verification, email change). Returns the sessions to
   * announce once the transaction commits: those ended, and the one kept, whose
   * viewer changed too.
   */
  private async endOtherSessions(trx: Transaction<Database>, userId: string, keepSessionId?: string): Promise<string[]> {
    const ended = keepSessionId
      ? [...(await repo.deleteSessionsOfUserExcept(trx, userId, keepSessionId)), keepSessionId]
      : await repo.deleteSessionsOfUser(trx, userId);
    await repo.deletePendingTokensOfUser(trx, userId);
    return ended;
  }

  /** Queues a confirmation link to the new address; the change happens when it is followed. */
  async requestEmailChange(userId: string, newEmailInput: string, password: string): Promise<boolean> {
    const user = await repo.findUserById(this.db, userId);
    if (!user || !(await verifyPassword(password, user.password_hash))) return false;
    const email = normaliseEmail(newEmailInput);
    if (email === user.email) return true;
    await this.queueEmail({ type: 'change_email', userId, email });
    return true;
  }

  /**
   * Moves the account to the confirmed address. Every other session ends and
   * every pending link (a reset sent to the old address...) is void; the old
   * address is told. `keepSessionId` is the confirming browser's session, when
   * it is signed in to this account.
   */
  async confirmEmailChange(token: string, keepSessionId?: string): Promise<string> {
    const row = await this.consumeToken(token, 'change_email');
    const user = row.user_id ? await repo.findUserById(this.db, row.user_id) : undefined;
    if (!user) throw new TokenError('invalid');
    if (await repo.findUserByEmail(this.db, row.email))
      throw new BadRequestError('That address already belongs to another account.', 'email_taken');
    const msg = accountEmails.emailChanged(this.site, row.email);
    const ended = await this.db.transaction().execute(async (trx) => {
      await repo.updateUser(trx, user.id, { email: row.email, email_verified_at: nowIso(), updated_at: nowIso() });
      const ended = await this.endOtherSessions(trx, user.id, keepSessionId);
      await enqueue(trx, 'send_email', { to: user.email, ...msg });
      return ended;
    });
    await this.announce(ended);
    return user.id;
  }

  /** Everything stored about the account, for the reader to download. */
  async exportData(userId: string, extra: Record<string, unknown>): Promise<object> {
    const user = await repo.findUserById(this.db, userId);
    if (!user) throw new BadRequestError('No such account.');
    const [sessions, tokens, person] = await Promise.all([
      repo.listSessionsOfUser(this.db, userId),
      repo.listTokensOfUser(this.db, userId),
      this.people.profileOf(this.db, userId),
    ]);
    return {
      exportedAt: nowIso(),
      account: {
        email: user.email,
        emailVerifiedAt: user.email_verified_at,
        displayName: user.display_name,
        birthYear: user.birth_year,
        hasPassword: user.password_hash !== null,
        createdAt: user.created_at,
        updatedAt: user.updated_at,
      },
      sessions: sessions.map((s) => ({ createdAt: s.created_at, expiresAt: s.expires_at, keepSignedIn: s.persistent === 1 })),
      emailLinks: tokens.map((t) => ({ purpose: t.purpose, createdAt: t.created_at, expiresAt: t.expires_at, usedAt: t.used_at })),
      ...(person
        ? {
            profile: {
              slug: person.slug,
              name: person.name,
              locations: parseJsonArray(person.locations),
              languages: parseJsonArray(person.languages),
            },
          }
        : {}),
      ...extra,
    };
  }

  /**
   * Deletes the account and everything that names its owner, in one transaction.
   * Bookmarks and sessions go with the user row (ON DELETE CASCADE); a linked
   * newsroom profile stays, unlinked, for the editors to handle.
   */
  async deleteAccount(userId: string): Promise<void> {
    const user = await repo.findUserById(this.db, userId);
    if (!user) return;
    const ended = await this.db.transaction().execute(async (trx) => {
      // The sessions go with the user row (ON DELETE CASCADE); their ids are read first, to announce.
      const ended = await repo.sessionIdsOfUser(trx, userId);
      await repo.deleteTokensForEmail(trx, user.email);
      await this.people.detach(trx, userId);
      for (const hook of this.deletionHooks) await hook(trx, { userId, email: user.email });
      await repo.deleteUser(trx, userId);
      // The record names the account by id only: deleting it must leave nothing that names the person.
      await recordAudit(trx, {
        userId: null,
        actorName: 'the account holder',
        action: 'user.deleted',
        subjectType: 'user',
        subjectId: userId,
      });
      return ended;
    });
    await this.announce(ended);
  }
}

// ---------------------------------------------------------------------------
// For the people desk: staff invitations and ending sessions when rights grow.
// Both work inside the caller's transaction.
// ---------------------------------------------------------------------------

type Executor = Db | Transaction<Database>;

/** How long an invitation link stays usable. */
export const INVITATION_LIFETIME = 7 * DAY;

/** The email address of each of these accounts that exists, by account id (for notices and the people desk). */
export async function emailsOf(db: Executor, userIds: readonly string[]): Promise<Map<string, string>> {
  const rows = await repo.findEmailsOfUsers(db, [...new Set(userIds)]);
  return new Map(rows.map((r) => [r.id, r.email]));
}

/** The account using this address (any case, surrounding spaces ignored), if there is one. */
export async function userIdByEmail(db: Executor, email: string): Promise<string | undefined> {
  return (await repo.findUserByEmail(db, normaliseEmail(email)))?.id;
}

/** Ends every session of an account (a new staff role: the next request must sign in afresh). */
export async function endSessionsOf(db: Executor, userId: string): Promise<void> {
  await announceSessions(sessionBuses, await repo.deleteSessionsOfUser(db, userId));
}

/**
 * The account's sessions stay, but what they stand for changed (its staff
 * profile was unlinked, say): every cached viewer of them goes.
 */
export async function viewersChanged(db: Executor, userId: string): Promise<void> {
  await announceSessions(sessionBuses, await repo.sessionIdsOfUser(db, userId));
}

/**
 * Invites a person to the newsroom by email: finds the account with this
 * address or creates one (without a password; following the link proves the
 * address), ends its sessions, and queues an email with a one-time sign-in
 * link. The caller links the account to the person in the same transaction.
 * The answer says only which account it is, never whether it already existed.
 */
export async function inviteStaff(
  db: Executor,
  site: SiteIdentity,
  input: { email: string; name: string; invitedBy: string },
): Promise<{ userId: string }> {
  const email = normaliseEmail(input.email);
  const now = new Date();
  let user = await repo.findUserByEmail(db, email);
  if (!user) {
    const id = newId();
    await repo.insertUser(db, {
      id,
      email,
      email_verified_at: null,
      password_hash: null,
      display_name: input.name,
      birth_year: null,
      created_at: now.toISOString(),
      updated_at: now.toISOString(),
    });
    user = await repo.findUserById(db, id);
    if (!user) throw new BadRequestError('No such account.');
  }
  await announceSessions(sessionBuses, await repo.deleteSessionsOfUser(db, user.id));
  const { token, hash } = newToken();
  await repo.insertToken(db, {
    id: newId(),
    token_hash: hash,
    purpose: 'magic_link',
    user_id: user.id,
    email,
    data: JSON.stringify({ next: '/newsroom' }),
    created_at: now.toISOString(),
    expires_at: new Date(now.getTime() + INVITATION_LIFETIME).toISOString(),
    used_at: null,
  });
  const message = renderEmail(site, {
    subject: `You are invited to the ${site.siteName} newsroom`,
    paragraphs: [
      `Hello ${input.name.split(' ')[0]},`,
      `${input.invitedBy} invited you to the ${site.siteName} newsroom, where the magazine is written and edited.`,
      'The link below signs you in once and works for seven days. You can set a password on your account page afterwards.',
    ],
    action: { label: 'Join the newsroom', url: `${site.siteUrl}/account/link?token=${encodeURIComponent(token)}` },
    footnote: 'If you did not expect this, you can ignore this email: nothing happens unless you follow the link.',
  });
  await enqueue(db, 'send_email', { to: email, ...message });
  return { userId: user.id };
}

/** How long used and expired email links stay (the account's data export lists them) before the cleanup deletes them. */
export const SPENT_TOKENS_KEPT_MS = 7 * DAY;

/** The recurring cleanup's part for accounts: expired sessions, and email links spent for a week. */
export async function purgeExpiredAccess(db: Db, now: Date = new Date()): Promise<{ sessions: number; tokens: number }> {
  const sessions = await repo.deleteSessionsExpiredBefore(db, now.toISOString());
  const tokens = await repo.deleteSpentTokens(db, new Date(now.getTime() - SPENT_TOKENS_KEPT_MS).toISOString());
  return { sessions, tokens };
}
