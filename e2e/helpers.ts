// Starts Harbinger on a fresh SQLite database and a headless Debian Chromium
// driven by playwright-core (no downloaded browser).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { loadConfig } from '../src/config.js';
import { startServer, type RunningServer } from '../src/server.js';
import { authenticatorOf, rememberAuthenticator, totpCode } from '../test/two-factor.js';
import { freePort } from '../test/harbinger-process.js';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export interface E2eSite {
  server: RunningServer;
  url: string;
  browser: Browser;
  close(): Promise<void>;
}

/** A free TCP port, so the site's canonical URLs can name it before it listens. */

export async function startSite(env: Record<string, string> = {}): Promise<E2eSite> {
  const dataDir = mkdtempSync(join(tmpdir(), 'harbinger-e2e-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const config = loadConfig({
    NODE_ENV: 'test',
    DATA_DIR: dataDir,
    MEDIA_DIR: join(tmpdir(), 'harbinger-test-media'),
    HOST: '127.0.0.1',
    PORT: String(port),
    SITE_URL: url,
    LOG_LEVEL: 'warn',
    ...env,
  });
  const server = await startServer(config);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  return {
    server,
    url,
    browser,
    close: async () => {
      await browser.close();
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Opens a browser context signed in as the demo person with this slug (an account
 * is made and linked if needed). The sign-in link page is a plain form, so this
 * works with JavaScript switched off too. Someone whose role requires two-factor
 * sign-in sets it up the first time (the key read from the page, the code made as
 * an authenticator app makes it) and types a code afterwards.
 */
export async function signedInContext(
  site: E2eSite,
  personSlug: string,
  options: { javaScriptEnabled?: boolean; timezoneId?: string; next?: string } = {},
) {
  const next = options.next ?? '/newsroom';
  const db = site.server.app.db;
  const person = await db.selectFrom('people').select(['id', 'name', 'user_id']).where('slug', '=', personSlug).executeTakeFirstOrThrow();
  let userId = person.user_id;
  if (!userId) {
    userId = await site.server.app.accounts.createVerifiedUser(`${personSlug}@newsroom.example`, person.name);
    await db.updateTable('people').set({ user_id: userId }).where('id', '=', person.id).execute();
  }
  const link = (await site.server.app.accounts.signInLinkFor(userId, next)).replace(/^https?:\/\/[^/]+/, site.url);
  const context = await site.browser.newContext({
    javaScriptEnabled: options.javaScriptEnabled ?? true,
    ...(options.timezoneId ? { timezoneId: options.timezoneId } : {}),
  });
  const page = await context.newPage();
  await page.goto(link);
  await page.getByRole('button', { name: 'Sign in now' }).click();
  await page.waitForURL((url) => url.pathname === next || url.pathname.startsWith('/account/two-factor'));
  const key = `${site.url} ${personSlug}`;
  if (page.url().endsWith('/account/two-factor/setup')) {
    const secret = (await page.locator('#two-factor-key').innerText()).replace(/\s+/g, '');
    await page.getByLabel('Six-digit code').fill(totpCode(secret));
    await page.getByRole('button', { name: 'Turn on two-factor sign-in' }).click();
    const codes = await page.locator('.recovery-codes code').allInnerTexts();
    rememberAuthenticator(key, { secret, recoveryCodes: codes });
    await page.getByRole('link', { name: 'I have saved them: continue' }).click();
  } else if (page.url().endsWith('/account/two-factor')) {
    const authenticator = authenticatorOf(key);
    if (!authenticator) throw new Error(`${personSlug} has two-factor sign-in on, and no test browser set it up`);
    // A second sign-in within the same 30 seconds takes the next step's code, as a code works once; a third, a recovery code.
    const codes = [totpCode(authenticator.secret), totpCode(authenticator.secret, Date.now() + 30_000)];
    for (const code of [...codes, authenticator.recoveryCodes.shift() ?? '']) {
      await page.getByLabel('Code').fill(code);
      const answer = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/account/two-factor'));
      await page.getByRole('button', { name: 'Sign in' }).click();
      if ((await answer).status() === 303) break;
    }
  }
  await page.waitForURL(`${site.url}${next}`);
  return { context, page };
}
