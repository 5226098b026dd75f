import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startSmtp, type Inbox } from '../test/smtp.js';
import { startSite, type E2eSite } from './helpers.js';

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

const year = new Date().getUTCFullYear();
const slug = `harbinger-prize-${year}`;
const words = (n: number) => Array.from({ length: n }, (_, i) => `word${i}`).join(' ');

describe('the yearly prize in a browser', () => {
  it('lets a signed-out reader sign up through the wall, write an essay with a live word count, submit it and get the receipt by email', async () => {
    const context = await site.browser.newContext({ timezoneId: 'America/New_York' });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (err) => problems.push(err.message));
    page.on('console', (msg) => {
      if (msg.type() === 'error') problems.push(msg.text());
    });

    // The prize page: state, the deadline in London and, from the script, in the visitor's own zone; a live countdown.
    await page.goto(`${site.url}/prizes/${slug}`);
    await page.getByRole('heading', { level: 1, name: `The Harbinger Prize ${year}` }).waitFor();
    assert.equal(await page.locator('[data-prize-state]').textContent(), 'Open for entries');
    const local = page.locator('[data-local-time]');
    await local.waitFor({ state: 'visible' });
    assert.match((await local.textContent()) ?? '', /^In your time zone \(America\/New_York\): .*(EST|EDT|GMT-[45])\.$/);
    // The countdown changes once a minute (every second only in the last one), and can be paused.
    assert.match((await page.locator('[data-countdown-text]').textContent()) ?? '', /days?/);
    await page.getByRole('button', { name: 'Pause the countdown' }).waitFor();

    // Entering needs an account: the wall's sign-up, coming back to the form.
    await page.getByRole('link', { name: 'Enter the prize' }).click();
    await page.getByRole('heading', { name: 'Create an account to enter' }).waitFor();
    const wall = page.locator('.wall');
    await wall.getByLabel('Your name').fill('Noor Writer');
    await wall.getByLabel('Email').fill('noor.writer@example.org');
    await wall.getByLabel('Password').fill('a long enough password');
    await wall.getByLabel('Year of birth').fill(String(year - 16));
    await wall.getByRole('button', { name: 'Create a free account' }).click();
    await page.getByRole('heading', { name: 'Check your email' }).waitFor();
    const verify = await inbox.waitFor('noor.writer@example.org', /Confirm your email/);
    await page.goto(inbox.linkIn(verify, `${site.url}/account/verify?token=`));
    await page.getByRole('button', { name: 'Confirm and sign in' }).click();
    await page.waitForURL(`${site.url}/prizes/${slug}/enter`);
    await page.getByRole('heading', { name: 'Your entry' }).waitFor();

    // The essay, with the word count following the typing and the category's limit.
    await page.getByLabel(/^Society/).check();
    assert.equal(await page.locator('[data-kind-section="photo"]').isHidden(), true, 'only the fields of an essay category');
    await page.getByLabel('Title of your entry').fill('The bell that rings too early');
    const essay = page.getByLabel('Your essay');
    const count = page.locator('#field-essay-count');
    await essay.pressSequentially('Our school day starts at eight', { delay: 5 });
    await page.waitForFunction(() => document.getElementById('field-essay-count')?.textContent === '6 of 1,500 words');
    await essay.fill(words(1502));
    await page.waitForFunction(
      () => document.getElementById('field-essay-count')?.textContent === '1,502 words: 2 over the limit of 1,500',
    );
    assert.match((await count.getAttribute('class')) ?? '', /field__error/);
    const text =
      'Our school day starts at eight, and the science says that is too early for teenagers.\n\nHere is what a later bell would change.';
    await essay.fill(text);
    await page.waitForFunction(() => document.getElementById('field-essay-count')?.textContent === '24 of 1,500 words');

    await page.getByLabel('Your full name').fill('Noor Writer');
    const birth = page.getByRole('group', { name: 'Date of birth' });
    await birth.getByLabel('Day').fill('14');
    await birth.getByLabel('Month').fill('3');
    await birth.getByLabel('Year').fill(String(year - 16));
    await page.getByLabel('School', { exact: true }).fill('Riverside Academy');
    await page.getByLabel('Country where you live').fill('Jordan');
    await page.getByLabel('Which school year have you just completed?').fill('Year 11');
    await page.getByLabel(/full-time pre-university education/).check();
    await page.getByLabel(/my own work/).check();
    await page.getByLabel(/My entry is in English/).check();
    await page.getByLabel(/I have read the rules/).check();
    await page.getByRole('button', { name: 'Submit my entry' }).click();

    // The confirmation page and the receipt, sent over SMTP by the job worker.
    await page.getByRole('heading', { name: 'Thank you: your entry is in' }).waitFor();
    const reference = (await page.locator('.prize-reference').textContent()) ?? '';
    assert.match(reference, new RegExp(`^HP${String(year % 100).padStart(2, '0')}-[A-Z0-9]{4}-[A-Z0-9]{4}$`));
    const receipt = await inbox.waitFor('noor.writer@example.org', /Your entry to The Harbinger Prize/, 20_000);
    assert.equal(receipt.subject, `Your entry to The Harbinger Prize ${year}: ${reference}`);
    assert.match(receipt.text ?? '', /Length: 24 words/);

    // A second visit to the form says the entry is in, and offers no form.
    await page.goto(`${site.url}/prizes/${slug}/enter`);
    await page.getByRole('heading', { name: 'You have entered' }).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Submit my entry' }).count(), 0);
    assert.deepEqual(problems, []);
    await context.close();
  });
});
