// Keyboard, screen reader and touch use in a real browser: the bookmark button
// keeps focus and announces the result; a refused form puts focus on its error
// summary; the prize countdown can be paused and is not a live region; the home
// page's section links are big enough to tap.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { articles } from '../src/demo/content.js';
import { startSite, type E2eSite } from './helpers.js';

let site: E2eSite;
before(async () => {
  site = await startSite();
});
after(async () => {
  await site?.close();
});

function watchProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('pageerror', (err) => problems.push(err.message));
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(msg.text());
  });
  return problems;
}

/** A browser context signed in as a new reader (a verified account, signed in through a one-time link). */
async function readerContext(email: string) {
  const app = site.server.app;
  const userId = (await app.accounts.findUserIdByEmail(email)) ?? (await app.accounts.createVerifiedUser(email, 'Keyboard Reader'));
  const link = (await app.accounts.signInLinkFor(userId, '/')).replace(/^https?:\/\/[^/]+/, site.url);
  const context = await site.browser.newContext();
  const page = await context.newPage();
  await page.goto(link);
  await page.getByRole('button', { name: 'Sign in now' }).click();
  await page.waitForURL(`${site.url}/`);
  return { context, page };
}

const focusedIs = (page: Page, selector: string) => page.evaluate((s) => document.activeElement === document.querySelector(s), selector);

describe('keyboard and screen reader use', () => {
  it('keeps focus on the bookmark button while it saves, toggles it with Enter and Space, and announces the result', async () => {
    const { context, page } = await readerContext('keyboard.reader@example.org');
    const problems = watchProblems(page);
    const article = articles.find((a) => a.access === 'free')!;
    // A slow network: the request takes a while, long enough to press again.
    await page.route('**/bookmarks', async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 2000));
      await route.continue();
    });
    await page.goto(`${site.url}/articles/${article.slug}`);
    const button = page.locator('.article__actions button.bookmark-button');
    await button.waitFor();
    assert.equal(await button.getAttribute('aria-pressed'), 'false');
    await button.focus();

    await page.keyboard.press('Enter');
    // While the request runs the button is not disabled (it would lose focus): it says it is busy, and a second press is ignored.
    await page.waitForFunction(
      () => document.querySelector('.article__actions button.bookmark-button')?.getAttribute('aria-disabled') === 'true',
    );
    assert.equal(await button.evaluate((b) => (b as HTMLButtonElement).disabled), false, 'not the disabled property');
    assert.equal(await focusedIs(page, '.article__actions button.bookmark-button'), true, 'focus stays on the button while saving');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.getElementById('announcer')?.textContent === 'Bookmark saved.');
    assert.equal(await button.getAttribute('aria-pressed'), 'true');
    assert.equal(await button.textContent(), 'Bookmarked');
    assert.equal(await button.getAttribute('aria-disabled'), null);
    assert.equal(await focusedIs(page, '.article__actions button.bookmark-button'), true, 'focus stays on the button after saving');
    assert.equal(new URL(page.url()).pathname, `/articles/${article.slug}`);
    const saved = await site.server.app.db.selectFrom('bookmarks').select('article_id').execute();
    assert.equal(saved.length, 1, 'the repeated press did nothing');

    await page.keyboard.press('Space');
    await page.waitForFunction(() => document.getElementById('announcer')?.textContent === 'Bookmark removed.');
    assert.equal(await button.getAttribute('aria-pressed'), 'false');
    assert.equal(await focusedIs(page, '.article__actions button.bookmark-button'), true, 'focus stays on the button after removing');
    assert.deepEqual(problems, []);
    await context.close();
  });

  it('puts focus on the error summary after a refused form, and says “Error” in the title', async () => {
    const context = await site.browser.newContext();
    const page = await context.newPage();
    const problems = watchProblems(page);
    await page.goto(`${site.url}/account/sign-up`);
    const form = page.locator('main form');
    await form.getByLabel('Your name').fill('Kim');
    await form.getByLabel('Email').fill('not an address');
    await form.getByLabel('Password').fill('short');
    await form.getByLabel('Year of birth').fill('twenty');
    await form.getByRole('button', { name: 'Create account' }).click();
    await page.locator('[data-error-summary]').waitFor();
    await page.waitForFunction(() => document.activeElement?.hasAttribute('data-error-summary') === true);
    assert.match(await page.title(), /^Error: /);
    // The refusal itself is an answer of 422, which the browser logs; nothing else may go wrong.
    problems.splice(0, problems.length, ...problems.filter((p) => !/status of 422/.test(p)));
    assert.equal(await page.locator('main form').getByLabel('Your name').inputValue(), 'Kim', 'what was typed is kept');
    // The summary's links lead to the fields.
    await page.keyboard.press('Tab');
    const link = await page.evaluate(() => document.activeElement?.getAttribute('href'));
    assert.match(link ?? '', /^#field-/);
    await page.keyboard.press('Enter');
    await page.waitForFunction((id) => document.activeElement?.id === id, link!.slice(1));
    assert.deepEqual(problems, []);
    await context.close();
  });

  it('lets the prize countdown be paused and resumed, and does not announce it', async () => {
    const app = site.server.app;
    const year = new Date().getUTCFullYear();
    const slug = `harbinger-prize-${year}`;
    const prize = await app.db.selectFrom('competitions').select('deadline_at').where('slug', '=', slug).executeTakeFirstOrThrow();
    // The last minute before the deadline, when the countdown shows seconds.
    const deadline = new Date(prize.deadline_at).getTime();
    app.prizes.setClock(() => new Date(deadline - 50_000));
    try {
      const context = await site.browser.newContext();
      const page = await context.newPage();
      const problems = watchProblems(page);
      await page.goto(`${site.url}/prizes/${slug}`);
      const text = page.locator('[data-countdown-text]');
      assert.match((await text.textContent()) ?? '', /^\d+ seconds$/);
      assert.equal(await text.getAttribute('aria-live'), 'off');
      assert.equal(
        await page.locator('[data-countdown]').evaluate((el) => el.closest('[aria-live]:not([aria-live="off"])') === null),
        true,
        'not inside a live region',
      );

      const toggle = page.getByRole('button', { name: 'Pause the countdown' });
      await toggle.click();
      await page.getByRole('button', { name: 'Resume the countdown' }).waitFor();
      const paused = await text.textContent();
      await page.waitForTimeout(2500);
      assert.equal(await text.textContent(), paused, 'a paused countdown does not change');

      await page.getByRole('button', { name: 'Resume the countdown' }).click();
      await page.getByRole('button', { name: 'Pause the countdown' }).waitFor();
      await page.waitForFunction((before) => document.querySelector('[data-countdown-text]')?.textContent !== before, paused, {
        timeout: 5000,
      });
      assert.deepEqual(problems, []);
      await context.close();
    } finally {
      app.prizes.setClock(() => new Date());
    }
  });
});

describe('touch use', () => {
  for (const [device, options, minimum] of [
    ['a desktop browser', { viewport: { width: 1280, height: 900 } }, 24],
    ['a phone', { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 }, 44],
  ] as const) {
    it(`gives the home page's section links targets at least ${minimum} pixels tall and 24 wide on ${device}`, async () => {
      const context = await site.browser.newContext(options);
      const page = await context.newPage();
      await page.goto(`${site.url}/`);
      const links = page.locator('.section-list__name, .section-list a.section-list__latest');
      const count = await links.count();
      assert.ok(count >= 5, 'the sections are listed');
      for (let i = 0; i < count; i++) {
        const link = links.nth(i);
        await link.scrollIntoViewIfNeeded();
        const box = await link.boundingBox();
        assert.ok(box, `link ${i} is shown`);
        assert.ok(box.height >= minimum, `${await link.textContent()}: ${box.height}px tall`);
        assert.ok(box.width >= 24, `${await link.textContent()}: ${box.width}px wide`);
      }
      await context.close();
    });
  }
});
