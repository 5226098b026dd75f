// Two-factor sign-in for an account: setting it up (a secret, then a first code
// to prove the authenticator has it, then ten recovery codes shown once),
// checking a code at sign-in (each accepted once, one step of drift either way),
// recovery codes, and turning it off. The sign-in's pending step itself (the
// short-lived token between the password and the code) is AccountsService's.
import type { FastifyBaseLogger } from 'fastify';
import type { Db } from '../../db/database.js';
import { recordAudit } from '../../db/audit.js';
import { todayUtc } from '../../lib/dates.js';
import { newId } from '../../lib/ids.js';
import { BadRequestError } from '../../web/errors.js';
import { KeyLimiter } from '../../web/key-limit.js';
import * as repo from './accounts.repository.js';
import type { AccountPeople } from './accounts.service.js';
import {
  SecretBox,
  hashRecoveryCode,
  looksLikeTotp,
  matchingStep,
  newRecoveryCodes,
  newTotpSecret,
  otpauthUri,
  roleNeedsTwoFactor,
} from './two-factor.js';

export interface TwoFactorOptions {
  /** The site's secret key: the TOTP secrets are encrypted with a key derived from it. */
  siteSecret: string;
  /** The name authenticator apps show beside the code. */
  issuer: string;
  /** 'required': the editor-in-chief, managing editor, mentors and admins must use it (STAFF_TWO_FACTOR). */
  staff: 'required' | 'optional';
}

export interface TwoFactorState {
  enabled: boolean;
  /** A role of theirs requires it (and the site requires it for those roles). */
  required: boolean;
  recoveryCodesLeft: number;
}

export class TwoFactorService {
  /** The time codes are checked at; tests set a fixed one. */
  clock: () => number = Date.now;
  private readonly box: SecretBox;
  /** Wrong codes per account, whatever the client's address: six digits are guessable at speed, not at five tries a quarter-hour. */
  private readonly limit: KeyLimiter;

  constructor(
    private readonly db: Db,
    private readonly people: AccountPeople,
    private readonly log: FastifyBaseLogger,
    private readonly options: TwoFactorOptions,
  ) {
    this.box = new SecretBox(options.siteSecret);
    this.limit = new KeyLimiter(db, {
      scope: 'two-factor',
      max: 5,
      windowMs: 15 * 60_000,
      message:
        'Too many attempts: too many wrong codes were typed for this account. Wait {minutes}, then sign in again with the code your authenticator app shows, or with a recovery code.',
    });
  }

  /** Whether the person's roles (today) require two-factor sign-in on this site. */
  async requiredFor(userId: string): Promise<boolean> {
    if (this.options.staff !== 'required') return false;
    const roles = await this.people.staffRolesOf(this.db, userId, todayUtc());
    return roleNeedsTwoFactor(roles.map((r) => r.role));
  }

  /** The same, from the roles a viewer lookup already read. */
  requiredForRoles(roles: readonly string[]): boolean {
    return this.options.staff === 'required' && roleNeedsTwoFactor(roles);
  }

  async state(userId: string): Promise<TwoFactorState> {
    const user = await repo.findUserById(this.db, userId);
    if (!user) throw new BadRequestError('No such account.');
    const enabled = user.two_factor_enabled_at !== null;
    return {
      enabled,
      required: await this.requiredFor(userId),
      recoveryCodesLeft: enabled ? await repo.countUnusedRecoveryCodes(this.db, userId) : 0,
    };
  }

  async isEnabled(userId: string): Promise<boolean> {
    const user = await repo.findUserById(this.db, userId);
    return user?.two_factor_enabled_at != null;
  }

  /**
   * The secret to show on the set-up page. The same one until it is confirmed
   * (reloading the page must not invalidate what the app already scanned).
   */
  async setupSecret(userId: string): Promise<{ secret: string; uri: string }> {
    const user = await repo.findUserById(this.db, userId);
    if (!user) throw new BadRequestError('No such account.');
    if (user.two_factor_enabled_at) throw new BadRequestError('Two-factor sign-in is already on for this account.', 'two_factor_on');
    let secret = user.two_factor_secret ? this.box.open(user.two_factor_secret) : null;
    if (!secret) {
      secret = newTotpSecret();
      await repo.updateUser(this.db, userId, { two_factor_secret: this.box.seal(secret), two_factor_last_step: null });
    }
    return { secret, uri: otpauthUri(secret, this.options.issuer, user.email) };
  }

  /**
   * Turns two-factor sign-in on when the code matches the pending secret; the
   * answer is the recovery codes, to show once (null for a wrong code).
   */
  async confirmSetup(userId: string, code: string): Promise<string[] | null> {
    await this.limit.assertOpen(userId);
    const user = await repo.findUserById(this.db, userId);
    if (!user) throw new BadRequestError('No such account.');
    if (user.two_factor_enabled_at) throw new BadRequestError('Two-factor sign-in is already on for this account.', 'two_factor_on');
    const secret = user.two_factor_secret ? this.box.open(user.two_factor_secret) : null;
    const step = secret ? matchingStep(secret, code, this.clock()) : null;
    if (step === null) {
      await this.limit.record(userId);
      return null;
    }
    const codes = newRecoveryCodes();
    const now = new Date(this.clock()).toISOString();
    const enabled = await this.db.transaction().execute(async (trx) => {
      if (!(await repo.claimTotpStep(trx, userId, step))) return false;
      await repo.updateUser(trx, userId, { two_factor_enabled_at: now, updated_at: now });
      await repo.replaceRecoveryCodes(
        trx,
        userId,
        codes.map((c) => ({ id: newId(), code_hash: hashRecoveryCode(c) })),
        now,
      );
      await recordAudit(trx, {
        userId,
        actorName: user.display_name,
        action: 'two_factor.enabled',
        subjectType: 'user',
        subjectId: userId,
      });
      return true;
    });
    if (!enabled) return null;
    await this.limit.clear(userId);
    return codes;
  }

  /**
   * Checks a code from the authenticator (accepted once: a code seen before,
   * or one older than the last accepted, is refused) or a recovery code (used
   * up). Wrong codes count towards the account's limit.
   */
  async verify(userId: string, code: string): Promise<boolean> {
    await this.limit.assertOpen(userId);
    const ok = await this.check(userId, code);
    if (ok) await this.limit.clear(userId);
    else await this.limit.record(userId);
    return ok;
  }

  private async check(userId: string, input: string): Promise<boolean> {
    const code = input.trim().slice(0, 40);
    if (!code) return false;
    const user = await repo.findUserById(this.db, userId);
    if (!user?.two_factor_enabled_at || !user.two_factor_secret) return false;
    if (looksLikeTotp(code)) {
      const secret = this.box.open(user.two_factor_secret);
      if (!secret) {
        this.log.error('a two-factor secret does not open with the site key (was SESSION_SECRET changed?)');
        return false;
      }
      const step = matchingStep(secret, code, this.clock());
      return step !== null && (await repo.claimTotpStep(this.db, userId, step));
    }
    const used = await repo.useRecoveryCode(this.db, userId, hashRecoveryCode(code), new Date(this.clock()).toISOString());
    if (used) this.log.info('a recovery code was used to sign in');
    return used;
  }

  /** New recovery codes; the old ones stop working. */
  async regenerateRecoveryCodes(userId: string, actorName: string): Promise<string[]> {
    if (!(await this.isEnabled(userId))) throw new BadRequestError('Two-factor sign-in is off for this account.', 'two_factor_off');
    const codes = newRecoveryCodes();
    const now = new Date().toISOString();
    await this.db.transaction().execute(async (trx) => {
      await repo.replaceRecoveryCodes(
        trx,
        userId,
        codes.map((c) => ({ id: newId(), code_hash: hashRecoveryCode(c) })),
        now,
      );
      await recordAudit(trx, { userId, actorName, action: 'two_factor.recovery_codes_replaced', subjectType: 'user', subjectId: userId });
    });
    return codes;
  }

  /** Turns it off (the caller checked the password); refused to those whose role requires it. */
  async disable(userId: string, actorName: string): Promise<'off' | 'required'> {
    if (await this.requiredFor(userId)) return 'required';
    await this.turnOff(userId, actorName);
    return 'off';
  }

  /**
   * Turns it off whatever the role (`harbinger user reset-two-factor`, for someone
   * who lost both their phone and their recovery codes): a role that requires it
   * sets it up again at the next sign-in.
   */
  async turnOff(userId: string, actorName: string): Promise<void> {
    const now = new Date().toISOString();
    await this.db.transaction().execute(async (trx) => {
      await repo.updateUser(trx, userId, {
        two_factor_enabled_at: null,
        two_factor_secret: null,
        two_factor_last_step: null,
        updated_at: now,
      });
      await repo.deleteRecoveryCodes(trx, userId);
      await recordAudit(trx, { userId, actorName, action: 'two_factor.disabled', subjectType: 'user', subjectId: userId });
    });
  }
}
