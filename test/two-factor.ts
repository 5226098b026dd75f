// Two-factor sign-in for test clients: the authenticator's codes (otpauth, as a
// phone app computes them) and the second step of a sign-in, so the helpers that
// sign in staff whose role requires it (test/staff.ts, e2e/helpers.ts) go
// through set-up and codes like a person would.
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { TOTP, Secret } from 'otpauth';
import type { Browserish } from './browserish.js';

/** The code an authenticator app shows for this secret at this moment. */
export function totpCode(secret: string, at = Date.now()): string {
  return new TOTP({ algorithm: 'SHA1', digits: 6, period: 30, secret: Secret.fromBase32(secret) }).generate({ timestamp: at });
}

/** The key the set-up page shows (in groups of four), as typed into an app. */
export function secretOnPage(html: string): string {
  const match = /id="two-factor-key"[^>]*>([^<]+)</.exec(html);
  if (!match) throw new Error('no two-factor key on the page');
  return match[1]!.replace(/\s+/g, '');
}

/** The recovery codes a page shows once. */
export function recoveryCodesOnPage(html: string): string[] {
  return [...html.matchAll(/<li><code>([a-z0-9]{5}-[a-z0-9]{5})<\/code><\/li>/g)].map((m) => m[1]!);
}

/** What a test client knows of an account's two-factor sign-in: its key and unused recovery codes. */
export interface Authenticator {
  secret: string;
  recoveryCodes: string[];
}

/** The authenticators the helpers set up, by account (its email, unique to a test's database, or another key of the caller's). */
const authenticators = new Map<string, Authenticator>();

export function authenticatorOf(key: string): Authenticator | undefined {
  return authenticators.get(key);
}

export function rememberAuthenticator(key: string, authenticator: Authenticator): void {
  authenticators.set(key, authenticator);
}

/**
 * Finishes a sign-in that asked for a second step (`res` is the answer to the
 * password or link form): sets two-factor sign-in up when the page asks to, or
 * types the current code. Each code works once, so a second sign-in within the
 * same 30 seconds uses the next step's code (one step of drift is allowed), and
 * a third a recovery code, as a person would. Answers the redirect into the site.
 */
export async function completeSecondStep(b: Browserish, res: LightMyRequestResponse, email: string): Promise<LightMyRequestResponse> {
  const location = String(res.headers.location ?? '');
  if (location === '/account/two-factor/setup') {
    const page = await b.get(location);
    const secret = secretOnPage(page.body);
    const done = await b.post('/account/two-factor/setup', { code: totpCode(secret) });
    if (done.statusCode !== 200) throw new Error(`two-factor set-up failed: ${done.statusCode}`);
    rememberAuthenticator(email, { secret, recoveryCodes: recoveryCodesOnPage(done.body) });
    const next = /<a class="button" href="([^"]+)">I have saved them/.exec(done.body)?.[1] ?? '/';
    return { ...done, statusCode: 303, headers: { ...done.headers, location: next.replace(/&amp;/g, '&') } };
  }
  if (location !== '/account/two-factor') return res;
  const authenticator = authenticators.get(email);
  if (!authenticator) throw new Error(`${email} has two-factor sign-in on, and no test client set it up`);
  await b.get(location);
  for (const code of [totpCode(authenticator.secret), totpCode(authenticator.secret, Date.now() + 30_000)]) {
    const answer = await b.post(location, { code });
    if (answer.statusCode === 303) return answer;
  }
  const recovery = authenticator.recoveryCodes.shift();
  if (!recovery) throw new Error(`no recovery code left for ${email}`);
  return b.post(location, { code: recovery });
}

/**
 * Signs a browser in to an account through a one-time link, as `harbinger user
 * link` does, finishing the second step when the account asks for one.
 */
export async function signInByLink(app: FastifyInstance, b: Browserish, userId: string, next = '/'): Promise<LightMyRequestResponse> {
  const link = await app.accounts.signInLinkFor(userId, next);
  await b.get(link.replace(/^https?:\/\/[^/]+/, ''));
  const res = await b.post('/account/link', { token: new URL(link).searchParams.get('token')! });
  const { email } = await app.accounts.account(userId);
  return completeSecondStep(b, res, email);
}
