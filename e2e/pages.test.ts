// The magazine's own pages in a real browser: written without JavaScript (the
// textarea is what gets saved), published by the editor-in-chief, then read by
// a visitor and found in the footer; with JavaScript the rich editor takes over
// and saves the same way.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { signedInContext, startSite, type E2eSite } from './helpers.js';

let site: E2eSite;
before(async () => {
  site = await startSite();
});
after(() => site?.close());

const pageRow = (slug: string) =>
  site.server.app.db.selectFrom('pages').select(['status', 'body_html', 'version']).where('slug', '=', slug).executeTakeFirst();

describe('static pages in a browser', () => {
  it('writes a page without JavaScript, and the editor-in-chief publishes it', { timeout: 120_000 }, async () => {
    const writer = await signedInContext(site, 'ruth-abernethy', { javaScriptEnabled: false });
    try {
      const { page } = writer;
      await page.goto(`${site.url}/newsroom/pages/new`);
      await page.getByLabel('Title').fill('Our partners');
      await page.getByLabel('Address (optional)').fill('partners');
      await page.getByRole('button', { name: 'Create the draft' }).click();
      await page.waitForURL(/\/newsroom\/pages\/[0-9a-f-]{36}\?done=created$/);
      await page.getByLabel('Summary').fill('Who helps us make the magazine.');
      await page.getByLabel('Body', { exact: true }).fill('Two libraries lend us rooms.\n\nA print shop gives us paper.');
      await page.getByRole('button', { name: 'Save and submit for publication' }).click();
      await page.waitForURL(/done=submitted/);
      await page.reload();
      assert.equal(
        await page.getByLabel('Body', { exact: true }).inputValue(),
        'Two libraries lend us rooms.\n\nA print shop gives us paper.',
      );
      const row = await pageRow('partners');
      assert.equal(row?.status, 'submitted');
      assert.equal(row?.body_html, '<p>Two libraries lend us rooms.</p><p>A print shop gives us paper.</p>');
    } finally {
      await writer.context.close();
    }

    const chief = await signedInContext(site, 'aarav-kulkarni', { javaScriptEnabled: false });
    try {
      const { page } = chief;
      await page.goto(`${site.url}/newsroom/pages`);
      await page.getByRole('table').getByRole('link', { name: 'Our partners' }).click();
      await page.getByRole('button', { name: 'Publish' }).click();
      await page.waitForURL(/done=published/);
      await page.goto(`${site.url}/newsroom/pages/menu`);
      await page.getByRole('button', { name: /^Add to the menu\s*: Our partners$/ }).click();
      await page.waitForURL(/done=added/);
    } finally {
      await chief.context.close();
    }

    const visitor = await site.browser.newContext({ javaScriptEnabled: false });
    try {
      const page = await visitor.newPage();
      await page.goto(`${site.url}/`);
      await page.getByRole('navigation', { name: 'About the magazine' }).getByRole('link', { name: 'Our partners' }).click();
      await page.waitForURL(`${site.url}/partners`);
      assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Our partners');
      assert.match((await page.locator('.article__body').textContent()) ?? '', /A print shop gives us paper\./);
    } finally {
      await visitor.close();
    }
  });

  it('edits a page in the rich editor with JavaScript on', { timeout: 120_000 }, async () => {
    const { context, page } = await signedInContext(site, 'aarav-kulkarni');
    try {
      await page.goto(`${site.url}/newsroom/pages`);
      await page.locator('#main').getByRole('link', { name: 'Contact' }).click();
      const editor = page.locator('[data-editor-mount] .ProseMirror');
      await editor.waitFor();
      assert.equal(await page.locator('textarea#field-body').isHidden(), true, 'the plain text box steps aside');
      await editor.locator(':scope > p').last().click();
      // The end of the document, not of the line the click landed on: the paragraph may wrap.
      // On a busy machine the click's caret can land after the key: press it until the caret is at the end.
      const caretAtEnd = () =>
        page.evaluate(() => {
          const selection = getSelection();
          const node = selection?.anchorNode;
          const last = document.querySelector('[data-editor-mount] .ProseMirror > p:last-child');
          return Boolean(node && last?.contains(node) && selection.anchorOffset === (node.textContent ?? '').length);
        });
      for (let tries = 0; tries < 20 && !(await caretAtEnd()); tries += 1) {
        await page.keyboard.press('Control+End');
        await page.waitForTimeout(50);
      }
      assert.equal(await caretAtEnd(), true, 'the caret is at the end of the page');
      await page.keyboard.press('Enter');
      await page.keyboard.type('We answer within two school days.');
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      await page.waitForURL(/done=saved/);
      const row = await pageRow('contact');
      assert.match(row?.body_html ?? '', /<p>We answer within two school days\.<\/p>$/);
    } finally {
      await context.close();
    }
  });
});
