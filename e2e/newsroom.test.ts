import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import { people } from '../src/demo/content.js';
import { ageOn } from '../src/lib/dates.js';
import { signedInContext, startSite, type E2eSite } from './helpers.js';

let site: E2eSite;
before(async () => {
  site = await startSite();
});
after(() => site?.close());

/** Local London wall-clock time, `minutes` from now, for a datetime-local input. */
function londonInput(minutes: number): string {
  return new Date(Date.now() + minutes * 60_000).toLocaleString('sv-SE', { timeZone: 'Europe/London' }).slice(0, 16).replace(' ', 'T');
}

describe('the newsroom in a browser', () => {
  it('takes a contributor’s draft through review, changes, approval and a scheduled publication', { timeout: 240_000 }, async () => {
    const problems: string[] = [];
    const writer = await signedInContext(site, 'yuki-hartmann');
    const page = writer.page;
    page.on('pageerror', (err) => problems.push(err.message));
    page.on('console', (msg) => {
      if (msg.type() === 'error' || msg.type() === 'warning') problems.push(`${msg.type()}: ${msg.text()}`);
    });
    page.on('dialog', (dialog) => {
      if (dialog.type() === 'prompt')
        void dialog.accept(dialog.message().startsWith('Link') ? 'https://example.org/tide-report' : dialog.defaultValue());
      else void dialog.accept();
    });

    // The picture first, through the media library.
    await page.goto(`${site.url}/newsroom/media`);
    const png = await sharp({ create: { width: 1200, height: 800, channels: 3, background: { r: 20, g: 90, b: 140 } } })
      .png()
      .toBuffer();
    const upload = page.locator('form[enctype="multipart/form-data"]');
    await upload.getByLabel('Picture', { exact: true }).setInputFiles({ name: 'tide.png', mimeType: 'image/png', buffer: png });
    await upload.getByLabel('Alt text').fill('A deep blue sea under an empty sky');
    await upload.getByLabel('Creator (optional)').fill('Yuki Hartmann');
    await upload.getByLabel('Source (optional)').fill('The Harbinger');
    await upload.getByRole('button', { name: 'Upload the picture' }).click();
    await page.getByText('Picture uploaded: “A deep blue sea under an empty sky”.').waitFor();

    // A new draft, written in the rich-text editor.
    await page.goto(`${site.url}/newsroom/articles/new`);
    await page.getByLabel('Working headline').fill('The tide tables are changing');
    await page.getByLabel('Section', { exact: true }).selectOption({ label: 'Climate' });
    await page.getByRole('button', { name: 'Create the draft' }).click();
    await page.waitForURL(/\/newsroom\/articles\/[0-9a-f-]{36}$/);
    const editorUrl = page.url();
    const articleId = editorUrl.split('/').pop()!;

    await page.getByLabel('Standfirst', { exact: true }).fill('Harbour towns are rewriting their flood plans.');
    await page.getByLabel('Byline phrase', { exact: true }).fill('reports on what rising tides mean for harbour towns');
    const body = page.getByRole('textbox', { name: 'Body' });
    await body.click();
    await page.getByRole('button', { name: 'Heading 2' }).click();
    await page.keyboard.type('Why the tables matter');
    await page.keyboard.press('Enter');
    await page.keyboard.type('Fishing crews read the tide tables every morning before they leave.');
    await page.keyboard.down('Shift');
    for (let i = 0; i < 'morning before they leave.'.length; i++) await page.keyboard.press('ArrowLeft');
    await page.keyboard.up('Shift');
    await page.getByRole('button', { name: 'Link' }).click();
    assert.match((await page.locator('[data-word-count]').textContent()) ?? '', /1[0-9] words · 1 min read/);

    await page.getByRole('button', { name: 'Choose from the media library' }).click();
    await page.locator('dialog.picker .picker__item').filter({ hasText: 'A deep blue sea' }).click();
    await page.getByLabel('Caption', { exact: true }).fill('High water at the harbour wall.');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.waitForURL(/done=saved/);
    await page.getByRole('button', { name: 'Submit for review' }).click();
    await page.waitForURL(/done=moved/);

    // The Climate section editor asks for changes, with a comment.
    const editor = await signedInContext(site, 'tavita-leaupepe');
    await editor.page.goto(editorUrl);
    await editor.page.getByRole('button', { name: 'Start reviewing' }).click();
    await editor.page.waitForURL(/done=moved/);
    await editor.page
      .locator('form.move-form')
      .filter({ has: editor.page.getByRole('button', { name: 'Request changes' }) })
      .getByLabel('Note with “Request changes” (optional)')
      .fill('Say which harbour.');
    await editor.page.getByRole('button', { name: 'Request changes' }).click();
    await editor.page.waitForURL(/done=moved/);
    await editor.page.getByLabel('Add a comment').fill('Lovely opening. Which harbour is this?');
    await editor.page.getByRole('button', { name: 'Comment', exact: true }).click();
    await editor.page.getByText('Lovely opening. Which harbour is this?').waitFor();

    // The writer revises and resubmits.
    await page.goto(editorUrl);
    await page.getByText('Lovely opening. Which harbour is this?').waitFor();
    await page.getByRole('textbox', { name: 'Body' }).click();
    await page.keyboard.press('Control+End');
    await page.keyboard.press('Enter');
    await page.keyboard.type('In Port Ellery, the harbour master now checks them twice a day.');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.waitForURL(/done=saved/);
    await page.getByRole('button', { name: 'Submit for review' }).click();
    await page.waitForURL(/done=moved/);

    // Approved by the section editor, scheduled by the editor-in-chief a minute ahead.
    await editor.page.goto(editorUrl);
    await editor.page.getByRole('button', { name: 'Approve' }).click();
    await editor.page.waitForURL(/done=moved/);
    const chief = await signedInContext(site, 'aarav-kulkarni');
    await chief.page.goto(editorUrl);
    await chief.page.getByLabel('Publish at (London time)').fill(londonInput(1));
    await chief.page.getByRole('button', { name: 'Schedule' }).click();
    await chief.page.waitForURL(/done=moved/);

    // The job runner publishes it.
    const row = await site.server.app.db
      .selectFrom('articles')
      .select(['slug', 'status'])
      .where('id', '=', articleId)
      .executeTakeFirstOrThrow();
    assert.equal(row.status, 'scheduled');
    const reader = await site.browser.newContext();
    const readerPage = await reader.newPage();
    let status = 404;
    for (let i = 0; i < 150 && status !== 200; i++) {
      status = (await readerPage.goto(`${site.url}/articles/${row.slug}`))?.status() ?? 0;
      if (status !== 200) await readerPage.waitForTimeout(1000);
    }
    assert.equal(status, 200, 'published by the job runner');
    const yuki = people.find((p) => p.slug === 'yuki-hartmann')!;
    const age = ageOn(yuki.birthDate, new Date().toISOString().slice(0, 10));
    assert.equal(
      (await readerPage.locator('.byline').first().textContent())?.trim(),
      `${age} year-old Yuki Hartmann reports on what rising tides mean for harbour towns`,
    );
    assert.equal(await readerPage.getByRole('heading', { level: 2, name: 'Why the tables matter' }).count(), 1);
    assert.equal(await readerPage.locator('.article__body a[href="https://example.org/tide-report"]').count(), 1);
    assert.equal(await readerPage.locator('.article__hero img').getAttribute('alt'), 'A deep blue sea under an empty sky');
    const editedBy = readerPage.locator('section.credits').filter({ hasText: 'Edited by:' });
    assert.match((await editedBy.textContent()) ?? '', /Tavita Leaupepe/);
    await readerPage.getByText('Picture by: Yuki Hartmann | The Harbinger').waitFor();
    assert.deepEqual(problems, []);
    await Promise.all([writer.context.close(), editor.context.close(), chief.context.close(), reader.close()]);
  });
});
