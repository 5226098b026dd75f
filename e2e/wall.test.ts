import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { articles } from '../src/demo/content.js';
import { startSmtp, type Inbox } from '../test/smtp.js';
import { startSite, type E2eSite } from './helpers.js';

const registered = articles.find((a) => a.access === 'registered')!;
const lastParagraph = registered.body.content!.filter((b) => b.type === 'paragraph').at(-1)!.content![0]!.text!;

let site: E2eSite;
let inbox: Inbox;
before(async () => {
  inbox = await startSmtp();
  site = await startSite({ SMTP_URL: inbox.url });
});
after(async () => {
  await site?.close();
  await inbox?.close();
});

describe('the registration wall in a browser', () => {
  it('signs a reader up through the wall, verifies by email, and bookmarks the article', async () => {
    const context = await site.browser.newContext();
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (err) => problems.push(err.message));
    page.on('console', (msg) => {
      if (msg.type() === 'error') problems.push(msg.text());
    });

    await page.goto(`${site.url}/articles/${registered.slug}`);
    await page.getByRole('heading', { name: 'Create an account to continue reading' }).waitFor();
    assert.equal(await page.getByText(lastParagraph.slice(0, 60)).count(), 0, 'the end of the article is not on the page');

    const wall = page.locator('form.wall__form');
    await wall.getByLabel('Your name').fill('Jo Reader');
    await wall.getByLabel('Email').fill('jo.reader@example.org');
    await wall.getByLabel('Password').fill('a long enough password');
    await wall.getByLabel('Year of birth').fill('2009');
    await wall.getByRole('button', { name: 'Create a free account' }).click();
    await page.getByRole('heading', { name: 'Check your email' }).waitFor();

    const message = await inbox.waitFor('jo.reader@example.org', /Confirm your email/);
    const link = inbox.linkIn(message, `${site.url}/account/verify?token=`);
    await page.goto(link);
    await page.getByRole('button', { name: 'Confirm and sign in' }).click();
    await page.waitForURL(`${site.url}/articles/${registered.slug}`);
    await page.getByText(lastParagraph.slice(0, 60)).waitFor();
    assert.equal(await page.getByRole('heading', { name: 'Create an account to continue reading' }).count(), 0);

    const bookmark = page.locator('.article__actions').getByRole('button', { name: 'Bookmark' });
    assert.equal(await bookmark.getAttribute('aria-pressed'), 'false');
    await bookmark.click();
    await page.locator('.article__actions button[aria-pressed="true"]').waitFor();
    assert.equal(new URL(page.url()).pathname, `/articles/${registered.slug}`, 'toggled in place');
    // The announcer is visually hidden: a screen reader reads it, so the test reads its text.
    await page.waitForFunction(() => document.getElementById('announcer')?.textContent === 'Bookmark saved.');
    assert.equal(await page.locator('#announcer').getAttribute('aria-live'), 'polite');

    await page.getByRole('link', { name: 'Bookmarks' }).click();
    const item = page.getByRole('link', { name: registered.title });
    await item.waitFor();
    await page.getByRole('button', { name: /Remove/ }).click();
    await page.getByText('You have not bookmarked anything yet').waitFor();
    assert.deepEqual(problems, []);
    await context.close();
  });
});
