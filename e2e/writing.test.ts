// Writing in a real browser: with JavaScript off the typed text is what gets
// saved and submitted; with it on, "Submit for review" right after typing asks
// nothing and submits the typed words; the authors picker works by keyboard.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { signedInContext, startSite, type E2eSite } from './helpers.js';

let site: E2eSite;
before(async () => {
  site = await startSite();
});
after(() => site?.close());

async function newDraft(page: Page, title: string): Promise<string> {
  await page.goto(`${site.url}/newsroom/articles/new`);
  await page.getByLabel('Working headline').fill(title);
  await page.getByLabel('Section', { exact: true }).selectOption({ label: 'Climate' });
  await page.getByRole('button', { name: 'Create the draft' }).click();
  await page.waitForURL(/\/newsroom\/articles\/[0-9a-f-]{36}$/);
  return page.url().split('/').pop()!;
}

async function article(id: string) {
  return site.server.app.db
    .selectFrom('articles')
    .select(['status', 'body_html', 'word_count'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
}

async function authorNames(id: string): Promise<string[]> {
  const rows = await site.server.app.db
    .selectFrom('article_authors')
    .innerJoin('people', 'people.id', 'article_authors.person_id')
    .select('people.name')
    .where('article_id', '=', id)
    .orderBy('position')
    .execute();
  return rows.map((r) => r.name);
}

describe('writing in a browser', () => {
  it('saves and submits the typed text without JavaScript', { timeout: 120_000 }, async () => {
    const { context, page } = await signedInContext(site, 'amara-nwosu', { javaScriptEnabled: false });
    try {
      const id = await newDraft(page, 'Flood night, no script');
      await page.getByLabel('Body', { exact: true }).fill('The river rose two metres overnight.\n\nVolunteers filled sandbags until dawn.');
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      await page.waitForURL(/done=saved/);
      await page.reload();
      assert.equal(
        await page.getByLabel('Body', { exact: true }).inputValue(),
        'The river rose two metres overnight.\n\nVolunteers filled sandbags until dawn.',
      );
      assert.equal(
        (await article(id)).body_html,
        '<p>The river rose two metres overnight.</p><p>Volunteers filled sandbags until dawn.</p>',
      );

      // A new article, typed and submitted straight away.
      const second = await newDraft(page, 'Sandbags, no script');
      await page.getByLabel('Body', { exact: true }).fill('By morning the water had started to fall.');
      await page.getByRole('button', { name: 'Submit for review' }).click();
      await page.waitForURL(/done=moved/);
      const row = await article(second);
      assert.equal(row.status, 'submitted');
      assert.equal(row.body_html, '<p>By morning the water had started to fall.</p>');
    } finally {
      await context.close();
    }
  });

  it('submits right after typing with JavaScript, without a “Leave site?” question', { timeout: 120_000 }, async () => {
    const { context, page } = await signedInContext(site, 'amara-nwosu');
    try {
      const dialogs: string[] = [];
      page.on('dialog', (dialog) => {
        dialogs.push(dialog.type());
        void dialog.dismiss();
      });
      const id = await newDraft(page, 'Typed and sent');
      await page.getByRole('textbox', { name: 'Body' }).click();
      await page.keyboard.type('Pumps ran all night along the harbour road.');
      await page.getByRole('button', { name: 'Submit for review' }).click();
      await page.waitForURL(/done=moved/);
      assert.deepEqual(dialogs, [], 'no beforeunload dialog');
      const row = await article(id);
      assert.equal(row.status, 'submitted');
      assert.equal(row.word_count, 8);
      assert.match(row.body_html, /Pumps ran all night along the harbour road\./);
      // The submitted article is shown rendered, not as a text box.
      assert.equal(await page.locator('.editor-readonly p').first().textContent(), 'Pumps ran all night along the harbour road.');
    } finally {
      await context.close();
    }
  });

  it('saves a reviewer’s typing before a workflow button moves the article', { timeout: 120_000 }, async () => {
    const writer = await signedInContext(site, 'amara-nwosu');
    const reviewer = await signedInContext(site, 'tavita-leaupepe');
    try {
      const id = await newDraft(writer.page, 'Reviewed after typing');
      await writer.page.getByRole('textbox', { name: 'Body' }).click();
      await writer.page.keyboard.type('The sea wall held.');
      await writer.page.getByRole('button', { name: 'Submit for review' }).click();
      await writer.page.waitForURL(/done=moved/);

      const page = reviewer.page;
      const dialogs: string[] = [];
      page.on('dialog', (dialog) => {
        dialogs.push(dialog.type());
        void dialog.dismiss();
      });
      await page.goto(`${site.url}/newsroom/articles/${id}`);
      await page.getByRole('textbox', { name: 'Body' }).click();
      await page.keyboard.press('Control+End');
      await page.keyboard.type(' Barely.');
      await page.getByRole('button', { name: 'Start reviewing' }).click();
      await page.waitForURL(/done=moved/);
      assert.deepEqual(dialogs, []);
      const row = await article(id);
      assert.equal(row.status, 'in_review');
      assert.equal(row.body_html, '<p>The sea wall held. Barely.</p>');
    } finally {
      await writer.context.close();
      await reviewer.context.close();
    }
  });

  it('adds and removes a co-author with the keyboard only', { timeout: 120_000 }, async () => {
    const { context, page } = await signedInContext(site, 'amara-nwosu');
    try {
      const id = await newDraft(page, 'Two voices');
      const picker = page.locator('fieldset#field-authorIds');
      const status = picker.locator('[data-people-status]');
      // Start from the headline, then move by keyboard only.
      await page.getByLabel('Headline', { exact: true }).focus();
      let steps = 0;
      while (!(await page.evaluate(() => document.activeElement?.id === 'field-authorIds-add')) && steps++ < 30)
        await page.keyboard.press('Tab');
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'field-authorIds-add', 'the list of people is reached by Tab');
      // A closed select changes its value with the arrow keys; "Yuki Hartmann" is the last person.
      await page.keyboard.press('End');
      assert.equal(await page.locator('#field-authorIds-add option:checked').textContent(), 'Yuki Hartmann');
      await page.keyboard.press('Tab');
      await page.keyboard.press('Enter');
      await status.filter({ hasText: 'Added Yuki Hartmann to authors.' }).waitFor();
      assert.deepEqual(await picker.locator('.people-picker__chip > span').allTextContents(), ['Amara Nwosu', 'Yuki Hartmann']);
      await page
        .locator('[data-save-status]')
        .filter({ hasText: /Saved at/ })
        .waitFor({ timeout: 20_000 });
      assert.deepEqual(await authorNames(id), ['Amara Nwosu', 'Yuki Hartmann']);

      // Back to Yuki's remove button: before the list and its "Add" button.
      await page.keyboard.press('Shift+Tab');
      await page.keyboard.press('Shift+Tab');
      assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('aria-label')), 'Remove Yuki Hartmann from authors');
      await page.keyboard.press('Enter');
      await status.filter({ hasText: 'Removed Yuki Hartmann from authors.' }).waitFor();
      assert.equal(
        await page.evaluate(() => document.activeElement?.getAttribute('aria-label')),
        'Remove Amara Nwosu from authors',
        'focus stays in the picker',
      );
      assert.deepEqual(await picker.locator('.people-picker__chip > span').allTextContents(), ['Amara Nwosu']);
      // The change goes out with the next autosave.
      const deadline = Date.now() + 20_000;
      while ((await authorNames(id)).length !== 1 && Date.now() < deadline) await page.waitForTimeout(200);
      assert.deepEqual(await authorNames(id), ['Amara Nwosu']);
    } finally {
      await context.close();
    }
  });
  it('asks for a confirmation before a writer takes herself off her draft, by keyboard', { timeout: 120_000 }, async () => {
    const { context, page } = await signedInContext(site, 'amara-nwosu');
    try {
      const id = await newDraft(page, 'Handing over');
      const picker = page.locator('fieldset#field-authorIds');
      const status = picker.locator('[data-people-status]');
      await page.locator('#field-authorIds-add').focus();
      await page.keyboard.press('End');
      await page.keyboard.press('Tab');
      await page.keyboard.press('Enter');
      await status.filter({ hasText: 'Added Yuki Hartmann to authors.' }).waitFor();
      await page
        .locator('[data-save-status]')
        .filter({ hasText: /Saved at/ })
        .waitFor({ timeout: 20_000 });

      // Add button → list → Yuki's remove → Amara's remove.
      for (let i = 0; i < 3; i++) await page.keyboard.press('Shift+Tab');
      assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('aria-label')), 'Remove Amara Nwosu from authors');
      await page.keyboard.press('Enter');
      await status.filter({ hasText: 'To take yourself off authors, tick “Yes, take me off this article”.' }).waitFor();
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'field-authorIds-confirm', 'focus moves to the confirmation');
      assert.deepEqual(
        await picker.locator('.people-picker__chip > span').allTextContents(),
        ['Amara Nwosu', 'Yuki Hartmann'],
        'nothing removed yet',
      );
      assert.deepEqual(await authorNames(id), ['Amara Nwosu', 'Yuki Hartmann']);

      await page.keyboard.press('Space');
      await status.filter({ hasText: 'Removed you (Amara Nwosu) from authors.' }).waitFor();
      assert.deepEqual(await picker.locator('.people-picker__chip > span').allTextContents(), ['Yuki Hartmann']);
      const deadline = Date.now() + 20_000;
      while ((await authorNames(id)).length !== 1 && Date.now() < deadline) await page.waitForTimeout(200);
      assert.deepEqual(await authorNames(id), ['Yuki Hartmann']);
    } finally {
      await context.close();
    }
  });

  it('pastes a word processor’s table as readable paragraphs and says which pictures were left out', { timeout: 120_000 }, async () => {
    const { context, page } = await signedInContext(site, 'amara-nwosu');
    try {
      await newDraft(page, 'Pasted from a document');
      const body = page.getByRole('textbox', { name: 'Body' });
      await body.click();
      await page.evaluate(() => {
        const data = new DataTransfer();
        data.setData(
          'text/html',
          '<p>Rainfall this week:</p><table><tr><th>Town</th><th>Rain</th></tr><tr><td>Harbour</td><td>40 mm</td></tr></table><p><img src="file:///C:/Users/amara/chart.png" alt="Rainfall chart"><img src="data:image/png;base64,iVBORw0KGgo="></p>',
        );
        data.setData('text/plain', 'Rainfall this week: Town Rain Harbour 40 mm');
        document
          .querySelector('.ProseMirror')!
          .dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
      });
      const paragraphs = await page.locator('.ProseMirror p').allTextContents();
      assert.ok(paragraphs.includes('Town | Rain'), paragraphs.join(' / '));
      assert.ok(paragraphs.includes('Harbour | 40 mm'), paragraphs.join(' / '));
      assert.equal(await page.locator('.ProseMirror img').count(), 0);
      const status = page.locator('[data-paste-status]');
      assert.equal(await status.getAttribute('role'), 'status');
      assert.match(
        (await status.textContent()) ?? '',
        /^2 pictures were not pasted \(“Rainfall chart” and a picture without a name\): pictures come in through the media library, with alt text/,
      );
    } finally {
      await context.close();
    }
  });
});
