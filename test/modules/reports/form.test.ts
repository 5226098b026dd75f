// The public "Report a problem" form: posted without JavaScript from an article
// and from a person's page, the row it writes, the reporter's acknowledgement and
// the mentors' alert arriving over SMTP, the same answer page with or without an
// address, and the refusals (unknown page, missing CSRF token, bad input kept as
// typed, too many reports from one client or one address).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyBaseLogger } from 'fastify';
import { ServiceAwayError } from '../../../src/jobs/index.js';
import { newId } from '../../../src/lib/ids.js';
import { createMailer } from '../../../src/mail/mailer.js';
import { sendAcknowledgement } from '../../../src/modules/reports/index.js';
import { Browserish } from '../../browserish.js';
import { unescapeHtml } from '../../forms.js';
import { buildTestApp, type TestApp } from '../../helpers.js';
import { startSmtp, type Inbox } from '../../smtp.js';
import { staffClient } from '../../staff.js';

const ARTICLE = 'regional-court-orders-kestria-to-free-detained-student-protesters';
const PERSON = 'amara-nwosu';
const MENTOR = 'ruth-abernethy';

let t: TestApp;
let inbox: Inbox;

before(async () => {
  inbox = await startSmtp();
  t = await buildTestApp({ env: { SMTP_URL: inbox.url } });
  // Ruth has an account and, besides managing the newsroom, is one of its mentors.
  await staffClient(t, MENTOR);
  const ruth = await t.db.selectFrom('people').select('id').where('slug', '=', MENTOR).executeTakeFirstOrThrow();
  await t.db
    .insertInto('role_assignments')
    .values({
      id: newId(),
      person_id: ruth.id,
      role: 'mentor',
      section_id: null,
      newsroom_id: null,
      starts_on: '2020-01-01',
      ends_on: null,
      created_at: new Date().toISOString(),
    })
    .execute();
});
after(async () => {
  await t.close();
  await inbox.close();
});

async function drainJobs(): Promise<void> {
  while ((await t.app.worker.runOnce()) > 0);
}

/** A visitor who opened the form (and so holds its CSRF token). */
async function visitorAt(path: string): Promise<Browserish> {
  const b = new Browserish(t.app);
  const form = await b.get(path);
  assert.equal(form.statusCode, 200, `${path} answers`);
  return b;
}

const reportsAbout = (subjectId: string) =>
  t.db.selectFrom('problem_reports').selectAll().where('subject_id', '=', subjectId).orderBy('created_at').orderBy('id').execute();

async function idOf(table: 'articles' | 'people', slug: string): Promise<string> {
  return (await t.db.selectFrom(table).select('id').where('slug', '=', slug).executeTakeFirstOrThrow()).id;
}

describe('the link to the form', () => {
  it('is on every article page and every person page', async () => {
    const article = await t.app.inject({ method: 'GET', url: `/articles/${ARTICLE}` });
    assert.match(article.body, new RegExp(`<a href="/articles/${ARTICLE}/report">Report a problem with this article</a>`));
    const person = await t.app.inject({ method: 'GET', url: `/people/${PERSON}` });
    assert.match(person.body, new RegExp(`<a href="/people/${PERSON}/report">Report a problem with this page</a>`));
  });
});

describe('reporting a problem without JavaScript', () => {
  it('files a report about an article, acknowledges it by email, and answers the same page with or without an address', async () => {
    const articleId = await idOf('articles', ARTICLE);
    const withEmail = await visitorAt(`/articles/${ARTICLE}/report`);
    const form = await withEmail.get(`/articles/${ARTICLE}/report`);
    assert.match(form.body, /<fieldset[^>]*>\s*<legend>What kind of problem is it\?<\/legend>/);
    assert.match(form.body, /type="radio" name="kind" value="personal_information"/);
    assert.match(form.body, /name="_csrf"/);

    const sent = await withEmail.post(`/articles/${ARTICLE}/report`, {
      kind: 'mistake',
      details: 'The court sat on Tuesday, not Monday.\n\nThe judge’s name is also misspelt.',
      email: '  Parent@Example.ORG ',
    });
    assert.equal(sent.statusCode, 303);
    assert.equal(sent.headers.location, `/articles/${ARTICLE}/report?done=sent`);

    const [row] = await reportsAbout(articleId);
    assert.ok(row, 'a report was written');
    assert.equal(row.subject_type, 'article');
    assert.equal(row.kind, 'mistake');
    assert.equal(row.state, 'new');
    assert.equal(row.details, 'The court sat on Tuesday, not Monday.\n\nThe judge’s name is also misspelt.');
    assert.equal(row.reporter_email, 'parent@example.org');
    const job = await t.db
      .selectFrom('jobs')
      .select('payload')
      .where('kind', '=', 'problem_report_acknowledgement')
      .executeTakeFirstOrThrow();
    assert.ok(!job.payload.includes('parent@example.org'), 'the queued job names the report, not the address');

    await drainJobs();
    const ack = await inbox.waitFor('parent@example.org', /We received your report/);
    assert.match(ack.text ?? '', /Regional court orders Kestria/i);
    assert.ok(!(ack.text ?? '').includes('Tuesday'), 'the acknowledgement does not repeat what was typed');

    const withoutEmail = await visitorAt(`/articles/${ARTICLE}/report`);
    const sentBare = await withoutEmail.post(`/articles/${ARTICLE}/report`, {
      kind: 'other',
      details: 'A photo caption is cut off.',
      email: '',
    });
    assert.equal(sentBare.headers.location, sent.headers.location, 'the same address either way');
    const pageA = await withEmail.follow(sent);
    const pageB = await withoutEmail.follow(sentBare);
    assert.equal(pageA.statusCode, 200);
    assert.match(pageA.body, /role="status" aria-live="polite"/);
    assert.match(pageA.body, /Thank you for your report/);
    assert.equal(pageA.body, pageB.body, 'the answer page says nothing about whether an address was given');
    assert.ok(!pageA.body.includes('parent@example.org'));
    assert.equal((await reportsAbout(articleId)).length, 2);
    assert.equal((await reportsAbout(articleId))[1]!.reporter_email, null);
  });

  it('files a safety report about a person and emails the mentors at once', async () => {
    const personId = await idOf('people', PERSON);
    const b = await visitorAt(`/people/${PERSON}/report`);
    const sent = await b.post(`/people/${PERSON}/report`, {
      kind: 'safety',
      details: 'This page shows which school she goes to.',
      email: '',
    });
    assert.equal(sent.statusCode, 303);
    assert.equal(sent.headers.location, `/people/${PERSON}/report?done=sent`);
    const [row] = await reportsAbout(personId);
    assert.ok(row, 'a report was written');
    assert.equal(row.subject_type, 'person');
    assert.equal(row.kind, 'safety');
    assert.equal(row.subject_title, 'Amara Nwosu');

    await drainJobs();
    const alert = await inbox.waitFor(`${MENTOR}@newsroom.example`, /Safety report: Amara Nwosu/);
    assert.ok((alert.text ?? '').includes(`http://harbinger.test/newsroom/reports/${row.id}`), 'the alert links to the report');
    assert.ok(!(alert.text ?? '').includes('which school'), 'what the reader wrote stays in the queue');
  });
});

describe('a safety report when no mentor can be reached', () => {
  it('goes to the editor-in-chief and the managing editor instead', async () => {
    const ruth = await idOf('people', MENTOR);
    await t.db
      .updateTable('role_assignments')
      .set({ ends_on: '2021-01-01' })
      .where('person_id', '=', ruth)
      .where('role', '=', 'mentor')
      .execute();
    try {
      const b = await visitorAt(`/articles/${ARTICLE}/report`);
      const sent = await b.post(`/articles/${ARTICLE}/report`, { kind: 'safety', details: 'A photo shows a pupil’s home.', email: '' });
      assert.equal(sent.statusCode, 303);
      await drainJobs();
      // Ruth is still the managing editor: she hears of it as such.
      const alert = await inbox.waitFor(`${MENTOR}@newsroom.example`, /Safety report: Regional court orders Kestria/);
      assert.match(alert.text ?? '', /reported a safety problem with the article/);
    } finally {
      await t.db
        .updateTable('role_assignments')
        .set({ ends_on: null })
        .where('person_id', '=', ruth)
        .where('role', '=', 'mentor')
        .execute();
    }
  });
});

describe('the reporter’s address', () => {
  it('stays out of the mailer’s log when the acknowledgement is sent', async () => {
    const subject = await t.app.reports.articleSubject(ARTICLE);
    assert.ok(subject);
    const id = await t.app.reports.submit(subject, { kind: 'mistake', details: 'A wrong date.', email: 'quiet@example.org' }, 'log-test');
    const logged: unknown[] = [];
    const record = (entry: unknown) => void logged.push(entry);
    const log = { info: record, warn: record, error: record, debug: record } as unknown as FastifyBaseLogger;
    const mailer = createMailer({ smtpUrl: inbox.url, from: 'newsroom@harbinger.test', outboxDir: t.dataDir, log });
    try {
      await sendAcknowledgement(t.app.reports, mailer, { reportId: id });
    } finally {
      mailer.close();
    }
    await inbox.waitFor('quiet@example.org', /We received your report/);
    assert.equal(logged.length, 1, 'the sending is logged');
    assert.ok(!JSON.stringify(logged).includes('quiet@example.org'), JSON.stringify(logged));
  });

  it('stays out of the error when the mail server cannot be reached, and the job waits for the server', async () => {
    const subject = await t.app.reports.personSubject(PERSON);
    assert.ok(subject);
    const id = await t.app.reports.submit(subject, { kind: 'other', details: 'A typo.', email: 'away@example.org' }, 'away-test');
    const silent = { info() {}, warn() {}, error() {}, debug() {} } as unknown as FastifyBaseLogger;
    // Port 9 (discard) has nobody listening here: the connection is refused.
    const mailer = createMailer({ smtpUrl: 'smtp://127.0.0.1:9', from: 'newsroom@harbinger.test', outboxDir: t.dataDir, log: silent });
    try {
      await assert.rejects(sendAcknowledgement(t.app.reports, mailer, { reportId: id }), (err: Error) => {
        assert.ok(err instanceof ServiceAwayError, `${err.name}: ${err.message}`);
        assert.ok(!err.message.includes('away@example.org'));
        assert.ok(err.cause === undefined, 'the transport’s own error (which may quote the address) is not carried');
        return true;
      });
    } finally {
      mailer.close();
    }
  });
});

describe('refusals', () => {
  it('answers 404 for a page that does not exist, and writes nothing', async () => {
    const b = await visitorAt(`/articles/${ARTICLE}/report`);
    assert.equal((await b.get('/articles/no-such-article/report')).statusCode, 404);
    assert.equal((await b.get('/people/no-such-person/report')).statusCode, 404);
    const res = await b.post('/articles/no-such-article/report', { kind: 'mistake', details: 'x', email: '' });
    assert.equal(res.statusCode, 404);
    const res2 = await b.post('/people/no-such-person/report', { kind: 'mistake', details: 'x', email: '' });
    assert.equal(res2.statusCode, 404);
    const count = await t.db
      .selectFrom('problem_reports')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('details', '=', 'x')
      .executeTakeFirstOrThrow();
    assert.equal(Number(count.n), 0);
  });

  it('refuses a post without the CSRF token', async () => {
    const b = await visitorAt(`/people/${PERSON}/report`);
    const res = await b.post(
      `/people/${PERSON}/report`,
      { kind: 'other', details: 'Forged from another site.', email: '' },
      { csrf: null },
    );
    assert.equal(res.statusCode, 403);
    const forged = await t.db.selectFrom('problem_reports').select('id').where('details', '=', 'Forged from another site.').execute();
    assert.equal(forged.length, 0);
  });

  it('keeps what was typed when the form is refused, with each error next to its field', async () => {
    const b = await visitorAt(`/articles/${ARTICLE}/report`);
    const typed = 'A quote is wrong <and> "this" & that';
    const res = await b.post(`/articles/${ARTICLE}/report`, { kind: 'copyright', details: typed, email: 'not an &quot;address' });
    assert.equal(res.statusCode, 422);
    assert.match(res.body, /id="field-email-error"[^>]*>Enter an email address like name@example.com, or leave it empty.</);
    // An entity typed into a field comes back as typed, not as the character it names.
    assert.match(res.body, /name="email" type="email" value="not an &amp;quot;address"/);
    assert.match(res.body, /value="copyright" checked/);
    const textarea = /<textarea[^>]*name="details"[^>]*>([\s\S]*?)<\/textarea>/.exec(res.body);
    assert.equal(unescapeHtml((textarea?.[1] ?? '').replace(/&#34;/g, '"')), typed);

    const empty = await b.post(`/articles/${ARTICLE}/report`, { kind: '', details: '   ', email: '' });
    assert.equal(empty.statusCode, 422);
    assert.match(empty.body, /id="field-kind-error"[^>]*>Choose what kind of problem it is.</);
    assert.match(empty.body, /id="field-details-error"[^>]*>Tell us what the problem is.</);
    assert.match(empty.body, /<a href="#field-kind">/, 'the summary links to the first choice');

    const long = await b.post(`/articles/${ARTICLE}/report`, { kind: 'other', details: 'x'.repeat(5001), email: '' });
    assert.equal(long.statusCode, 422);
    assert.match(long.body, /Keep the details under 5,000 characters./);
    const written = await t.db.selectFrom('problem_reports').select('id').where('details', '=', typed).execute();
    assert.equal(written.length, 0);
  });

  it('limits the reports sent with one address, whichever client sends them, and keeps the form as typed', async () => {
    const send = async () => {
      const b = await visitorAt(`/articles/${ARTICLE}/report`);
      return b.post(`/articles/${ARTICLE}/report`, { kind: 'other', details: 'Again and again.', email: 'busy@example.org' });
    };
    for (let i = 0; i < 5; i++) assert.equal((await send()).statusCode, 303, `report ${i + 1} is taken`);
    const refused = await send();
    assert.equal(refused.statusCode, 429);
    assert.ok(Number(refused.headers['retry-after']) > 0);
    assert.match(refused.body, /Too many reports have been sent with this email address/);
    assert.match(refused.body, /value="busy@example.org"/);
    assert.match(refused.body, />Again and again.<\/textarea>/);
    const rows = await t.db.selectFrom('problem_reports').select('id').where('reporter_email', '=', 'busy@example.org').execute();
    assert.equal(rows.length, 5);
  });

  it('limits how often one client may post the form', async () => {
    const b = await visitorAt(`/people/${PERSON}/report`);
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) statuses.push((await b.post(`/people/${PERSON}/report`, { kind: '', details: '', email: '' })).statusCode);
    assert.deepEqual(statuses, [...Array<number>(10).fill(422), 429]);
  });
});
