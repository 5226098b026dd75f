import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { signedInContext, startSite, type E2eSite } from './helpers.js';

/** The demo's editor-in-chief, whose account is editor@harbinger.localhost. */
const EDITOR = 'aarav-kulkarni';

let site: E2eSite;
before(async () => {
  site = await startSite();
});
after(async () => {
  await site?.close();
});

describe('the newsletter composer in a browser', () => {
  it('writes the intro in the rich editor and shows the send time in the editor’s own zone', async () => {
    const { context, page } = await signedInContext(site, EDITOR, { timezoneId: 'Asia/Tokyo', next: '/newsroom/newsletters' });
    const problems: string[] = [];
    page.on('pageerror', (err) => problems.push(err.message));
    page.on('console', (msg) => {
      if (msg.type() === 'error') problems.push(msg.text());
    });
    await page.reload();

    await page.getByRole('button', { name: 'New issue' }).click();
    await page.getByRole('heading', { name: 'Compose the issue' }).waitFor();

    // The time in the newsletter's zone (London) is in the page; the script adds the editor's own.
    const yours = page.locator('#field-scheduledAt-hint [data-your-time]');
    await yours.waitFor({ state: 'visible' });
    assert.match((await yours.textContent()) ?? '', /^Saturday \d{1,2} [A-Z][a-z]+, 0[01]:00 in your time zone \(Asia\/Tokyo\)$/);
    await page.getByLabel(/^Send on/).fill('2030-07-05T16:00');
    assert.equal(await page.locator('#scheduled-local').textContent(), 'Saturday 6 July, 00:00 in your time zone (Asia/Tokyo)');

    // The intro in the rich-text editor (the plain textarea gives way to it).
    await page.getByRole('toolbar', { name: 'Formatting' }).waitFor();
    const editor = page.locator('.ProseMirror');
    await editor.click();
    await page.keyboard.type('Hello from the newsroom. ');
    await page.getByRole('button', { name: 'Bold' }).click();
    await page.keyboard.type('Big week.');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Saved.').waitFor();

    const issue = await site.server.app.db
      .selectFrom('newsletter_issues')
      .select(['intro_html'])
      .where('status', '=', 'draft')
      .executeTakeFirstOrThrow();
    assert.equal(issue.intro_html, '<p>Hello from the newsroom. <strong>Big week.</strong></p>');
    // The saved intro comes back into the editor, and saving again keeps it.
    await page.locator('.ProseMirror strong', { hasText: 'Big week.' }).waitFor();
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Saved.').waitFor();
    const again = await site.server.app.db
      .selectFrom('newsletter_issues')
      .select(['intro_html'])
      .where('status', '=', 'draft')
      .executeTakeFirstOrThrow();
    assert.equal(again.intro_html, '<p>Hello from the newsroom. <strong>Big week.</strong></p>');
    assert.deepEqual(problems, [], 'no script errors or CSP violations');
    await context.close();
  });

  it('keeps the intro typed in the plain text box when JavaScript is off', async () => {
    const { context, page } = await signedInContext(site, EDITOR, { javaScriptEnabled: false, next: '/newsroom/newsletters' });
    await page.getByRole('button', { name: 'New issue' }).click();
    await page.getByRole('heading', { name: 'Compose the issue' }).waitFor();
    const issueUrl = page.url();

    // The stored intro travels in a hidden field too; what is typed must win over it, every time.
    const intro = page.getByRole('textbox', { name: 'Intro' });
    await page.getByLabel('Subject').fill('Typed without scripts');
    await intro.fill('First words from the editors.\n\nA second paragraph.');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Saved.').waitFor();
    const id = issueUrl.split('/').pop()!.split('?')[0]!;
    const introOf = async () =>
      (await site.server.app.db.selectFrom('newsletter_issues').select('intro_html').where('id', '=', id).executeTakeFirstOrThrow())
        .intro_html;
    assert.equal(await introOf(), '<p>First words from the editors.</p><p>A second paragraph.</p>');
    assert.equal(await intro.inputValue(), 'First words from the editors.\n\nA second paragraph.');

    await intro.fill('Better words, on second thought.');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Saved.').waitFor();
    assert.equal(await introOf(), '<p>Better words, on second thought.</p>');
    await context.close();
  });
});
