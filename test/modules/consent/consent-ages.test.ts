import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { newId } from '../../../src/lib/ids.js';
import type { Browserish } from '../../browserish.js';
import { buildTestApp, textOf, type TestApp } from '../../helpers.js';
import { staffClient } from '../../staff.js';
import { addWriter, approvedArticle, bornFor, moveTo, statusOf } from './consent-helpers.js';

let t: TestApp;
let admin: Browserish; // Ruth Abernethy, made an administrator here
let chief: Browserish; // Aarav Kulkarni, editor-in-chief (not an administrator)

before(async () => {
  t = await buildTestApp();
  const ruth = await t.db.selectFrom('people').select('id').where('slug', '=', 'ruth-abernethy').executeTakeFirstOrThrow();
  await t.db
    .insertInto('role_assignments')
    .values({
      id: newId(),
      person_id: ruth.id,
      role: 'admin',
      section_id: null,
      newsroom_id: null,
      starts_on: '2020-01-01',
      ends_on: null,
      created_at: new Date().toISOString(),
    })
    .execute();
  admin = await staffClient(t, 'ruth-abernethy');
  chief = await staffClient(t, 'aarav-kulkarni');
});
after(() => t.close());

/** Every age field of the settings form, as the page fills it. */
async function formValues(): Promise<Record<string, string>> {
  const page = await admin.get('/newsroom/consent/ages');
  assert.equal(page.statusCode, 200);
  return Object.fromEntries([...page.body.matchAll(/name="(age_[A-Za-z]+)"[^>]*value="([^"]*)"/g)].map((m) => [m[1]!, m[2]!]));
}

describe('the editor-in-chief’s list', () => {
  it('says so when every young writer has consent, and has no second page', async () => {
    const list = await chief.get('/newsroom/consent');
    assert.equal(list.statusCode, 200);
    assert.match(textOf(list.body), /Every writer who needs a guardian’s consent has it\./);
    assert.doesNotMatch(list.body, /Ages of digital consent/, 'the settings link is for administrators');
    assert.equal((await chief.get('/newsroom/consent?page=2')).statusCode, 404);
  });
});

describe('the ages of digital consent', () => {
  it('shows the GDPR Art. 8 defaults to administrators only', async () => {
    const values = await formValues();
    assert.equal(values.age_DE, '16');
    assert.equal(values.age_FR, '15');
    assert.equal(values.age_ES, '14');
    assert.equal(values.age_BE, '13');
    assert.equal(values.age_GB, '13');
    assert.equal(values.age_elsewhere, '13');
    assert.equal(Object.keys(values).length, 32, 'the EU, the EEA, the UK and everywhere else');
    assert.equal((await chief.get('/newsroom/consent/ages')).statusCode, 403);
  });

  it('refuses ages outside 13 to 18, keeping what was typed, and saves nothing', async () => {
    const values = await formValues();
    const res = await admin.post('/newsroom/consent/ages', { ...values, age_DE: '12', age_FR: 'fifteen', age_IT: '15' });
    assert.equal(res.statusCode, 422);
    const text = textOf(res.body);
    assert.match(text, /Germany: enter a whole number from 13 to 18\./);
    assert.match(text, /France: enter a whole number from 13 to 18\./);
    assert.match(res.body, /name="age_DE"[^>]*value="12"/);
    assert.match(res.body, /name="age_FR"[^>]*value="fifteen"/);
    assert.match(res.body, /name="age_IT"[^>]*value="15"/, 'the valid change typed beside them is kept too');
    assert.match(res.body, /<a href="#age-DE">Germany: enter/);
    assert.deepEqual(await t.db.selectFrom('digital_consent_ages').selectAll().execute(), []);
  });

  it('saves a change, audits it, and the newsroom applies it at once', async () => {
    // Tomas is 16 in Rome: Italy's default (14) lets him publish; 17 does not.
    const tomasId = await addWriter(t, 'Tomas Ricci', bornFor(16, 90), 'Rome, Italy');
    const values = await formValues();
    const saved = await admin.post('/newsroom/consent/ages', { ...values, age_IT: '17' });
    assert.equal(saved.statusCode, 303);
    const page = await admin.get(saved.headers.location as string);
    assert.match(page.body, /role="status"[^>]*>\s*<p>Saved\.<\/p>/);
    assert.match(page.body, /name="age_IT"[^>]*value="17"/);
    const rows = await t.db.selectFrom('digital_consent_ages').select(['country', 'age']).execute();
    assert.deepEqual(
      rows.map((r) => [r.country, Number(r.age)]),
      [['IT', 17]],
    );
    const audit = await t.db
      .selectFrom('audit_log')
      .select(['action', 'details', 'actor_name'])
      .where('action', '=', 'consent.ages_changed')
      .execute();
    assert.equal(audit.length, 1);
    assert.equal(audit[0]!.actor_name, 'Ruth Abernethy');
    assert.deepEqual(JSON.parse(audit[0]!.details), { IT: { from: 14, to: 17 } });

    const article = await approvedArticle(t, chief, tomasId, 'Rome’s night buses');
    const refused = await moveTo(chief, article, 'published');
    assert.equal(refused.statusCode, 409);
    assert.match(textOf(refused.body), /Tomas Ricci is 16 on .*, under the age of digital consent in Italy \(17\)/);
    assert.equal(await statusOf(t, article), 'approved');
  });

  it('needs the form’s CSRF token', async () => {
    const values = await formValues();
    assert.equal((await admin.post('/newsroom/consent/ages', { ...values, age_IT: '18' }, { csrf: null })).statusCode, 403);
    const it = await t.db.selectFrom('digital_consent_ages').select('age').where('country', '=', 'IT').executeTakeFirstOrThrow();
    assert.equal(Number(it.age), 17);
  });
});
