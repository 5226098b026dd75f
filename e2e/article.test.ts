import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { articles } from '../src/demo/content.js';
import { startSite, type E2eSite } from './helpers.js';

const anatomy = articles[0]!;
let site: E2eSite;

before(async () => {
  site = await startSite();
});
after(() => site?.close());

describe('the article page in a browser', () => {
  it('copies the article link to the clipboard and announces it, without console errors', async () => {
    const context = await site.browser.newContext({ permissions: ['clipboard-read', 'clipboard-write'] });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('console', (msg) => {
      if (msg.type() === 'error' || msg.type() === 'warning') problems.push(`${msg.type()}: ${msg.text()}`);
    });
    page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
    page.on('requestfailed', (req) => problems.push(`request failed: ${req.url()}`));

    const response = await page.goto(`${site.url}/articles/${anatomy.slug}`, { waitUntil: 'load' });
    assert.equal(response?.status(), 200);
    assert.equal(await page.locator('h1').textContent(), anatomy.title);

    const button = page.getByRole('button', { name: 'Copy link' });
    await button.click();
    const status = page.locator('.copy-link__status');
    await status.filter({ hasText: 'Article link copied.' }).waitFor({ timeout: 5000 });
    assert.equal(await status.getAttribute('role'), 'status');
    const clipboard = await page.evaluate(() => navigator.clipboard.readText());
    assert.equal(clipboard, `${site.url}/articles/${anatomy.slug}`);

    // Every picture on the page loaded (lazy ones once scrolled into view).
    await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    await page.waitForLoadState('networkidle');
    const broken = await page.evaluate(() =>
      [...document.images].filter((img) => img.complete && img.naturalWidth === 0).map((img) => img.currentSrc),
    );
    assert.deepEqual(broken, []);
    assert.deepEqual(problems, []);
    await context.close();
  });

  it('shows the link to copy by hand without JavaScript', async () => {
    const context = await site.browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${site.url}/articles/${anatomy.slug}`);
    const field = page.getByLabel('Link to this article');
    assert.equal(await field.isVisible(), true);
    assert.match(await field.inputValue(), new RegExp(`/articles/${anatomy.slug}$`));
    assert.equal(await page.getByRole('button', { name: 'Copy link' }).count(), 0, 'the button stays hidden without JavaScript');
    await context.close();
  });

  it('lets a keyboard user skip to the content', async () => {
    const context = await site.browser.newContext();
    const page = await context.newPage();
    await page.goto(`${site.url}/articles/${anatomy.slug}`);
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => document.activeElement?.textContent?.trim());
    assert.equal(focused, 'Skip to content');
    const visible = await page.evaluate(() => {
      const r = document.activeElement!.getBoundingClientRect();
      return r.top >= 0 && r.left >= 0 && r.width > 0 && r.height > 0;
    });
    assert.equal(visible, true, 'the focused skip link is on screen');
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'main');
    await context.close();
  });

  it('fits a 320 px phone screen without sideways scrolling', async () => {
    const context = await site.browser.newContext({ viewport: { width: 320, height: 640 } });
    const page = await context.newPage();
    for (const path of ['/', `/articles/${anatomy.slug}`, '/sections/human-rights', '/people/marta-quiroga']) {
      await page.goto(`${site.url}${path}`);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.ok(overflow <= 0, `${path} overflows by ${overflow}px`);
    }
    await context.close();
  });
});
