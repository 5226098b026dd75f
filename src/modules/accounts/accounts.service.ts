// Accounts: sign-up with email verification, password and email-link sign-in,
// server-side sessions, password reset, email and password changes, data export
// and deletion. Answers never reveal whether an email address has an account.
import type { FastifyBaseLogger } from 'fastify';
import type { Db } from '../../db/database.js';
import { nowIso, parseJsonArray } from '../../db/database.js';
import type { Database, RoleName, TokenPurpose } from '../../db/schema.js';
import type { Transaction } from 'kysely';
import { todayUtc } from '../../lib/dates.js';
import { newId } from '../../lib/ids.js';
import type { Mailer } from '../../mail/mailer.js';
import type { SiteIdentity } from '../../mail/layout.js';
import { AppError, BadRequestError } from '../../web/errors.js';
import { accountEmails } from './account-emails.js';
import { recordAudit } from '../../db/audit.js';
import * as repo from './accounts.repository.js';
import { hashPassword, hashToken, newToken, verifyPassword } from './secrets.js';

const HOUR = 3600_000;
const DAY = 24 * HOUR;
const TOKEN_LIFETIME: Record<TokenPurpose, number> = {
  verify_email: 2 * DAY,
  reset_password: HOUR,
  magic_link: 15 * 60_000,
  change_email: DAY,
};
/** A browser session lasts the visit (cookie without Max-Age) and at most a day on the server; "keep me signed in" lasts 30 days. */
export const SESSION_LIFETIME = { short: DAY, persistent: 30 * DAY };
export const MINIMUM_AGE = 13;

export interface Viewer {
  userId: string;
  displayName: string;
  sessionId: string;
  staff: { personId: string; slug: string; name: string; roles: RoleName[] } | null;
}

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
    super(400, `token_${kind}`, messages[kind], kind === 'used' ? 'Link already used' : kind === 'expired' ? 'Link expired' : 'Link not valid');
  }
}

/** Only same-site paths are followed after signing in: no scheme, no host, no backslash tricks. */
export function safeNext(next: unknown, fallback = '/'): string {
  if (typeof next !== 'string' || next.length > 500) return fallback;
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused here
  if (!next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\') || /[\u0000-\u001f\\]/.test(next)) return fallback;
  return next;
}

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

/**
 * Lets another module remove what it keeps about an account (newsletter
 * subscriptions...) in the deletion's own transaction, before the user row goes.
 */
export type AccountDeletionHook = (trx: Transaction<Database>, account: { userId: string; email: string }) => Promise<void>;

export class AccountsService {
  private readonly deletionHooks: AccountDeletionHook[] = [];

  constructor(
    private readonly db: Db,
    private readonly mailer: Mailer,
    private readonly site: SiteIdentity,
    private readonly log: FastifyBaseLogger,
  ) {}

  /** Registers a hook that deleteAccount runs inside its transaction. */
  onDelete(hook: AccountDeletionHook): void {
    this.deletionHooks.push(hook);
  }

  private link(path: string, token: string): string {
    return `${this.site.siteUrl}${path}?token=${encodeURIComponent(token)}`;
  }

  private async issueToken(purpose: TokenPurpose, email: string, userId: string | null, data: object = {}, lifetimeMs = TOKEN_LIFETIME[purpose]): Promise<string> {
    const { token, hash } = newToken();
    const now = Date.now();
    await repo.insertToken(this.db, {
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

  /** A token's purpose and state, without using it (for pages that ask to confirm first). */
  async peekToken(token: string, purpose: TokenPurpose): Promise<void> {
    if (typeof token !== 'string' || token.length < 20 || token.length > 100) throw new TokenError('invalid');
    const row = await repo.findToken(this.db, hashToken(token), purpose);
    if (!row) throw new TokenError('invalid');
    if (row.used_at) throw new TokenError('used');
    if (row.expires_at < nowIso()) throw new TokenError('expired');
  }

  async signUp(input: { email: string; password: string; displayName: string; birthYear: number }, continuation: Continuation): Promise<void> {
    const email = normaliseEmail(input.email);
    const existing = await repo.findUserByEmail(this.db, email);
    if (existing?.email_verified_at) {
      // Same answer on the page; the owner of the address learns about it by email.
      const msg = accountEmails.alreadyRegistered(this.site, `${this.site.siteUrl}/account/sign-in`, `${this.site.siteUrl}/account/reset`);
      await this.mailer.send({ to: email, ...msg });
      return;
    }
    const now = nowIso();
    const passwordHash = await hashPassword(input.password);
    let userId: string;
    if (existing) {
      // Not verified yet: the latest sign-up wins, as nobody has proven owning the address.
      userId = existing.id;
      await repo.updateUser(this.db, userId, { password_hash: passwordHash, display_name: input.displayName, birth_year: input.birthYear, updated_at: now });
    } else {
      userId = newId();
      await repo.insertUser(this.db, {
        id: userId,
        email,
        email_verified_at: null,
        password_hash: passwordHash,
        display_name: input.displayName,
        birth_year: input.birthYear,
        created_at: now,
        updated_at: now,
      });
    }
    await this.sendVerification(userId, email, input.displayName, continuation);
  }

  private async sendVerification(userId: string, email: string, name: string, continuation: Continuation): Promise<void> {
    const token = await this.issueToken('verify_email', email, userId, continuation);
    await this.mailer.send({ to: email, ...accountEmails.verify(this.site, name, this.link('/account/verify', token)) });
  }

  async verifyEmail(token: string): Promise<{ userId: string; continuation: Continuation }> {
    const row = await this.consumeToken(token, 'verify_email');
    const user = row.user_id ? await repo.findUserById(this.db, row.user_id) : undefined;
    if (!user || user.email !== row.email) throw new TokenError('invalid');
    if (!user.email_verified_at) await repo.updateUser(this.db, user.id, { email_verified_at: nowIso(), updated_at: nowIso() });
    return { userId: user.id, continuation: { next: safeNext(row.data.next), bookmark: typeof row.data.bookmark === 'string' ? row.data.bookmark : undefined } };
  }

  /** Returns the user id on success, 'unverified' when the password is right but the email is not confirmed, or null. */
  async checkPassword(emailInput: string, password: string, continuation: Continuation): Promise<string | 'unverified' | null> {
    const email = normaliseEmail(emailInput);
    const user = await repo.findUserByEmail(this.db, email);
    const ok = await verifyPassword(password, user?.password_hash ?? null);
    if (!user || !ok) return null;
    if (!user.email_verified_at) {
      await this.sendVerification(user.id, email, user.display_name, continuation);
      return 'unverified';
    }
    return user.id;
  }

  async checkPasswordOf(userId: string, password: string): Promise<boolean> {
    const user = await repo.findUserById(this.db, userId);
    return verifyPassword(password, user?.password_hash ?? null);
  }

  async createSession(userId: string, persistent: boolean): Promise<{ token: string; expiresAt: Date }> {
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
    });
    return { token, expiresAt };
  }

  async viewerForSession(token: string): Promise<Viewer | null> {
    if (token.length < 20 || token.length > 100) return null;
    const row = await repo.findSessionWithUser(this.db, hashToken(token));
    if (!row || row.expires_at < nowIso()) return null;
    const roles = await repo.findStaffRoles(this.db, row.user_id, todayUtc());
    return {
      userId: row.user_id,
      displayName: row.display_name,
      sessionId: row.session_id,
      staff: roles[0] ? { personId: roles[0].person_id, slug: roles[0].slug, name: roles[0].name, roles: roles.map((r) => r.role) } : null,
    };
  }

  async signOut(token: string): Promise<void> {
    await repo.deleteSession(this.db, hashToken(token));
  }

  async signOutEverywhere(userId: string): Promise<void> {
    await repo.deleteSessionsOfUser(this.db, userId);
  }

  async requestPasswordReset(emailInput: string): Promise<void> {
    const email = normaliseEmail(emailInput);
    const user = await repo.findUserByEmail(this.db, email);
    if (!user) {
      this.log.info('password reset asked for an address without an account');
      return;
    }
    const token = await this.issueToken('reset_password', email, user.id);
    await this.mailer.send({ to: email, ...accountEmails.reset(this.site, this.link('/account/reset/new', token)) });
  }

  async resetPassword(token: string, password: string): Promise<string> {
    const row = await this.consumeToken(token, 'reset_password');
    if (!row.user_id) throw new TokenError('invalid');
    const now = nowIso();
    await this.db.transaction().execute(async (trx) => {
      // Following the link proves the address too.
      await repo.updateUser(trx, row.user_id!, { password_hash: await hashPassword(password), email_verified_at: now, updated_at: now });
      await repo.deleteSessionsOfUser(trx, row.user_id!);
    });
    return row.user_id;
  }

  async requestMagicLink(emailInput: string, continuation: Continuation): Promise<void> {
    const email = normaliseEmail(emailInput);
    const user = await repo.findUserByEmail(this.db, email);
    if (!user) {
      this.log.info('sign-in link asked for an address without an account');
      return;
    }
    const token = await this.issueToken('magic_link', email, user.id, continuation);
    await this.mailer.send({ to: email, ...accountEmails.magicLink(this.site, this.link('/account/link', token)) });
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
      await repo.insertUser(trx, { id, email, email_verified_at: now, password_hash: null, display_name: displayName, birth_year: null, created_at: now, updated_at: now });
      await recordAudit(trx, { userId: null, actorName: 'command line', action: 'user.created', subjectType: 'user', subjectId: id });
    });
    return id;
  }

  async consumeMagicLink(token: string): Promise<{ userId: string; continuation: Continuation }> {
    const row = await this.consumeToken(token, 'magic_link');
    const user = row.user_id ? await repo.findUserById(this.db, row.user_id) : undefined;
    if (!user || user.email !== row.email) throw new TokenError('invalid');
    if (!user.email_verified_at) await repo.updateUser(this.db, user.id, { email_verified_at: nowIso(), updated_at: nowIso() });
    return { userId: user.id, continuation: { next: safeNext(row.data.next), bookmark: typeof row.data.bookmark === 'string' ? row.data.bookmark : undefined } };
  }

  async account(userId: string) {
    const user = await repo.findUserById(this.db, userId);
    if (!user) throw new BadRequestError('No such account.');
    return { email: user.email, displayName: user.display_name, verified: user.email_verified_at !== null, hasPassword: user.password_hash !== null };
  }

  async updateProfile(userId: string, displayName: string): Promise<void> {
    await repo.updateUser(this.db, userId, { display_name: displayName, updated_at: nowIso() });
  }

  async changePassword(userId: string, current: string, next: string): Promise<boolean> {
    const user = await repo.findUserById(this.db, userId);
    if (!user || !(await verifyPassword(current, user.password_hash))) return false;
    await repo.updateUser(this.db, userId, { password_hash: await hashPassword(next), updated_at: nowIso() });
    return true;
  }

  /** Sends a confirmation link to the new address; the change happens when it is followed. */
  async requestEmailChange(userId: string, newEmailInput: string, password: string): Promise<boolean> {
    const user = await repo.findUserById(this.db, userId);
    if (!user || !(await verifyPassword(password, user.password_hash))) return false;
    const email = normaliseEmail(newEmailInput);
    if (email === user.email) return true;
    if (await repo.findUserByEmail(this.db, email)) {
      // The address has an account already: say nothing here, and tell its owner.
      const msg = accountEmails.alreadyRegistered(this.site, `${this.site.siteUrl}/account/sign-in`, `${this.site.siteUrl}/account/reset`);
      await this.mailer.send({ to: email, ...msg });
      return true;
    }
    const token = await this.issueToken('change_email', email, userId);
    await this.mailer.send({ to: email, ...accountEmails.changeEmail(this.site, this.link('/account/email/confirm', token)) });
    return true;
  }

  async confirmEmailChange(token: string): Promise<string> {
    const row = await this.consumeToken(token, 'change_email');
    const user = row.user_id ? await repo.findUserById(this.db, row.user_id) : undefined;
    if (!user) throw new TokenError('invalid');
    if (await repo.findUserByEmail(this.db, row.email)) throw new BadRequestError('That address already belongs to another account.', 'email_taken');
    await repo.updateUser(this.db, user.id, { email: row.email, email_verified_at: nowIso(), updated_at: nowIso() });
    await this.mailer.send({ to: user.email, ...accountEmails.emailChanged(this.site, row.email) });
    return user.id;
  }

  /** Everything stored about the account, for the reader to download. */
  async exportData(userId: string, extra: Record<string, unknown>): Promise<object> {
    const user = await repo.findUserById(this.db, userId);
    if (!user) throw new BadRequestError('No such account.');
    const [sessions, tokens, person] = await Promise.all([
      repo.listSessionsOfUser(this.db, userId),
      repo.listTokensOfUser(this.db, userId),
      this.db.selectFrom('people').select(['slug', 'name', 'locations', 'languages']).where('user_id', '=', userId).executeTakeFirst(),
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
      ...(person ? { profile: { slug: person.slug, name: person.name, locations: parseJsonArray(person.locations), languages: parseJsonArray(person.languages) } } : {}),
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
    await this.db.transaction().execute(async (trx) => {
      await repo.deleteTokensForEmail(trx, user.email);
      await trx.updateTable('people').set({ user_id: null }).where('user_id', '=', userId).execute();
      for (const hook of this.deletionHooks) await hook(trx, { userId, email: user.email });
      await repo.deleteUser(trx, userId);
      // The record names the account by id only: deleting it must leave nothing that names the person.
      await recordAudit(trx, { userId: null, actorName: 'the account holder', action: 'user.deleted', subjectType: 'user', subjectId: userId });
    });
  }
}
