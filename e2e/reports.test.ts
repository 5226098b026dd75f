// "Report a problem" in a real browser, on a phone-sized screen and with the
// keyboard alone: the link at the foot of an article, a refused form that puts
// focus on its error summary and keeps what was typed, a kind chosen with the
// arrow keys, and the thank-you announced in a live region. Without JavaScript
// the form works the same.
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

const PHONE = { width: 360, height: 740 };
const article = articles.find((a) => a.status === 'published')!;

const fitsTheScreen = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

async function reportsAbout(title: string): Promise<number> {
  const rows = await site.server.app.db.selectFrom('problem_reports').select('id').where('subject_title', '=', title).execute();
  return rows.length;
}

describe('reporting a problem in a browser', () => {
  it('works with the keyboard on a phone, focusing the errors and announcing the thank-you', async () => {
    const context = await site.browser.newContext({ viewport: PHONE });
    const page = await context.newPage();
    await page.goto(`${site.url}/articles/${article.slug}`);
    await page.getByRole('link', { name: 'Report a problem with this article' }).click();
    await page.waitForURL(`${site.url}/articles/${article.slug}/report`);
    assert.ok(await fitsTheScreen(page), 'the form fits a phone’s width');

    await page.getByLabel('What is the problem?').fill('The second photo is credited to the wrong person.');
    await page.getByRole('button', { name: 'Send the report' }).press('Enter');
    await page.waitForSelector('[data-error-summary]');
    assert.equal(await page.evaluate(() => document.activeElement?.hasAttribute('data-error-summary')), true, 'focus is on the errors');
    assert.equal(await page.getByLabel('What is the problem?').inputValue(), 'The second photo is credited to the wrong person.');

    // Into the group of kinds, then through it with the arrow keys.
    await page.getByRole('radio', { name: 'A mistake' }).focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    assert.equal(await page.getByRole('radio', { name: 'Copyright' }).isChecked(), true);
    await page.getByRole('button', { name: 'Send the report' }).press('Enter');
    await page.waitForURL(`${site.url}/articles/${article.slug}/report?done=sent`);
    const status = page.getByRole('status').filter({ hasText: 'has reached the newsroom' });
    assert.equal(await status.getAttribute('aria-live'), 'polite');
    assert.ok(await fitsTheScreen(page));
    assert.equal(await reportsAbout(article.title), 1);
    await context.close();
  });

  it('works without JavaScript', async () => {
    const context = await site.browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${site.url}/articles/${article.slug}/report`);
    await page.getByRole('radio', { name: 'A mistake' }).check();
    await page.getByLabel('What is the problem?').fill('The date in the first paragraph is a year out.');
    await page.getByLabel('Your email address (optional)').fill('not an address');
    await page.getByRole('button', { name: 'Send the report' }).click();
    await page.waitForSelector('#field-email-error');
    assert.equal(await page.getByLabel('What is the problem?').inputValue(), 'The date in the first paragraph is a year out.');
    assert.equal(await page.getByRole('radio', { name: 'A mistake' }).isChecked(), true);
    await page.getByLabel('Your email address (optional)').fill('');
    await page.getByRole('button', { name: 'Send the report' }).click();
    await page.getByText('Thank you for your report').waitFor();
    assert.equal(await reportsAbout(article.title), 2);
    await context.close();
  });
});
