// The pieces of two-factor sign-in that touch no database: TOTP codes (RFC 6238:
// 30-second steps, 6 digits, SHA-1, which every authenticator app reads), the
// encryption of the stored secret, recovery codes, and the readable form of a
// browser's User-Agent for the session list.
import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes, randomInt } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';

export const TOTP_PERIOD = 30;
export const TOTP_DIGITS = 6;
/** Codes one step early or late are accepted too: a phone's clock drifts. */
export const TOTP_WINDOW = 1;
export const RECOVERY_CODE_COUNT = 10;

/** The roles that may not work in the newsroom without two-factor sign-in. */
export const TWO_FACTOR_ROLES: ReadonlySet<string> = new Set(['editor_in_chief', 'managing_editor', 'mentor', 'admin']);

export function roleNeedsTwoFactor(roles: readonly string[]): boolean {
  return roles.some((r) => TWO_FACTOR_ROLES.has(r));
}

/** A new random secret (160 bits, as RFC 4226 recommends), in base32 as authenticator apps take it. */
export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

function totp(secret: string, label = '', issuer = ''): TOTP {
  return new TOTP({ issuer, label, algorithm: 'SHA1', digits: TOTP_DIGITS, period: TOTP_PERIOD, secret: Secret.fromBase32(secret) });
}

/** The otpauth:// address an authenticator app reads (typed in, or from a QR code). */
export function otpauthUri(secret: string, issuer: string, account: string): string {
  return totp(secret, account, issuer).toString();
}

/** The 30-second step a moment falls in. */
export function stepAt(nowMs: number): number {
  return Math.floor(nowMs / 1000 / TOTP_PERIOD);
}

/**
 * The step a six-digit code belongs to, if it is right now or one step either
 * side; null when it is not a code of this secret. Whether the step was used
 * already is the caller's question (the account remembers its last one).
 */
export function matchingStep(secret: string, code: string, nowMs: number): number | null {
  const token = code.replace(/\s+/g, '');
  if (!/^\d{6}$/.test(token)) return null;
  const delta = totp(secret).validate({ token, timestamp: nowMs, window: TOTP_WINDOW });
  return delta === null ? null : stepAt(nowMs) + delta;
}

/** Whether what was typed looks like an authenticator code rather than a recovery code. */
export function looksLikeTotp(code: string): boolean {
  return /^\d{6}$/.test(code.replace(/\s+/g, ''));
}

/**
 * Encrypts secrets at rest with AES-256-GCM. The key is derived from the site's
 * secret key (SESSION_SECRET, or the one kept in the database) by HMAC with a
 * label of its own, as the picture grants derive theirs: a database dump alone
 * does not give the TOTP secrets away.
 */
export class SecretBox {
  private readonly key: Buffer;

  constructor(siteSecret: string) {
    this.key = createHmac('sha256', siteSecret).update('harbinger two-factor secrets').digest();
  }

  seal(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return ['v1', iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), data.toString('base64url')].join('.');
  }

  /** The plain text, or null when the box was sealed with another key or tampered with. */
  open(sealed: string): string | null {
    const [version, iv, tag, data] = sealed.split('.');
    if (version !== 'v1' || !iv || !tag || data === undefined) return null;
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
    } catch {
      return null;
    }
  }
}

// Letters and digits that cannot be mistaken for one another when copied by hand.
const RECOVERY_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

/** Ten codes of ten characters (about 49 bits each), shown as "abcde-fghjk". */
export function newRecoveryCodes(count = RECOVERY_CODE_COUNT): string[] {
  return Array.from({ length: count }, () => {
    const chars = Array.from({ length: 10 }, () => RECOVERY_ALPHABET[randomInt(RECOVERY_ALPHABET.length)]).join('');
    return `${chars.slice(0, 5)}-${chars.slice(5)}`;
  });
}

/** The hash a recovery code is stored and looked up by: case, spaces and dashes do not matter. */
export function hashRecoveryCode(code: string): string {
  const normal = code.toLowerCase().replace(/[\s-]+/g, '');
  return createHash('sha256').update(`recovery\u0000${normal}`).digest('base64url');
}

/**
 * "Firefox on Android", "Safari on iPhone", "Chrome on Windows": enough to
 * recognise one's own devices in the session list, without keeping the whole
 * User-Agent (which says much more about the device than that).
 */
export function describeDevice(userAgent: string | undefined): string {
  const ua = userAgent ?? '';
  const browser = /Edg(e|A|iOS)?\//.test(ua)
    ? 'Edge'
    : /OPR\/|Opera/.test(ua)
      ? 'Opera'
      : /SamsungBrowser\//.test(ua)
        ? 'Samsung Internet'
        : /Firefox\/|FxiOS\//.test(ua)
          ? 'Firefox'
          : /Chrome\/|CriOS\/|Chromium\//.test(ua)
            ? 'Chrome'
            : /Safari\//.test(ua) && /Version\//.test(ua)
              ? 'Safari'
              : /curl\//.test(ua)
                ? 'curl'
                : null;
  const system = /iPhone/.test(ua)
    ? 'iPhone'
    : /iPad/.test(ua)
      ? 'iPad'
      : /Android/.test(ua)
        ? 'Android'
        : /Windows/.test(ua)
          ? 'Windows'
          : /Mac OS X|Macintosh/.test(ua)
            ? 'macOS'
            : /CrOS/.test(ua)
              ? 'ChromeOS'
              : /Linux/.test(ua)
                ? 'Linux'
                : null;
  if (browser && system) return `${browser} on ${system}`;
  return browser ?? (system ? `A browser on ${system}` : 'An unknown browser');
}
