// Services check who is asking, not only the routes in front of them: the people
// desk, the media library, the audit log and the prize organiser's actions each
// refuse (403) an actor whose roles do not allow them, and serve one whose do.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RoleName } from '../../../src/db/schema.js';
import type { Actor } from '../../../src/modules/access/index.js';
import { addToLibrary, libraryPage } from '../../../src/modules/media/library.service.js';
import { mediaDirs } from '../../../src/modules/media/index.js';
import { peopleAdmin } from '../../../src/modules/people/index.js';
import { addRedirect, editRedirect, removeRedirect } from '../../../src/modules/redirects/redirects.service.js';
import { buildTestApp, type TestApp } from '../../helpers.js';

let t: TestApp;
before(async () => {
  t = await buildTestApp();
});
after(() => t.close());

const actor = (...roles: RoleName[]): Actor => ({
  userId: `u-${roles.join('-')}`,
  personId: `p-${roles.join('-')}`,
  name: 'Someone',
  roles: roles.map((role) => ({ role, sectionId: null })),
});
const editorOf = (a: Actor): peopleAdmin.PeopleEditor => ({
  userId: a.userId,
  personId: a.personId,
  name: a.name,
  roles: a.roles.map((r) => r.role),
});
const refused = { status: 403 };

const writer = actor('staff_writer');
const reader = actor();
const chief = actor('editor_in_chief');

describe('services refuse whom the rules leave out', () => {
  it('the people desk: only the chiefs and administrators, and a staff member on their own profile', async () => {
    const someone = (await t.db.selectFrom('people').select('id').executeTakeFirstOrThrow()).id;
    await assert.rejects(peopleAdmin.listPeopleAdmin(t.db, editorOf(writer)), refused);
    await assert.rejects(peopleAdmin.personForEdit(t.db, editorOf(writer), someone), refused);
    await assert.rejects(
      peopleAdmin.addMembership(t.db, editorOf(writer), someone, { newsroomId: 'x', role: 'member', startsOn: '2026-01-01', endsOn: null }),
      refused,
    );
    assert.ok((await peopleAdmin.listPeopleAdmin(t.db, editorOf(chief))).length > 0);
    const self = { ...editorOf(writer), personId: someone };
    assert.equal((await peopleAdmin.personForEdit(t.db, self, someone)).id, someone, 'their own profile opens');
  });

  it('the media library: staff only', async () => {
    const dirs = mediaDirs(t.config.mediaDir, `${t.dataDir}/private-media`);
    await assert.rejects(libraryPage(t.db, reader, '', 1, 10), refused);
    await assert.rejects(addToLibrary(t.db, dirs, reader, Buffer.from('not a picture'), { alt: 'x' }), refused);
    assert.ok((await libraryPage(t.db, writer, '', 1, 10)).total >= 0);
  });

  it('the audit log: those who answer for the newsroom', async () => {
    await assert.rejects(t.app.desk.auditLog(writer, 1), refused);
    await assert.rejects(t.app.desk.auditLog(actor('newsletter_editor'), 1), refused);
    assert.ok(Array.isArray((await t.app.desk.auditLog(chief, 1)).rows));
  });

  it('the redirects desk: the chiefs and administrators', async () => {
    const input = { from: '/old-service-check/', to: '/about', status: 301 as const };
    for (const who of [writer, reader, actor('mentor')]) {
      await assert.rejects(addRedirect(t.db, who, input), refused);
      await assert.rejects(editRedirect(t.db, who, 'none', input), refused);
      await assert.rejects(removeRedirect(t.db, who, 'none'), refused);
    }
    const made = await addRedirect(t.db, chief, input);
    assert.equal(made.from_path, '/old-service-check');
    assert.equal((await removeRedirect(t.db, actor('managing_editor'), made.id))?.id, made.id);
  });

  it('the prize: organisers only, whichever service is asked', async () => {
    const prize = (await t.app.prizes.list())[0]!;
    for (const who of [writer, reader, actor('section_editor')]) {
      await assert.rejects(t.app.prizes.removeCategory(who, prize.id, 'none'), refused);
      await assert.rejects(t.app.judging.jurors(who, prize.id), refused);
      await assert.rejects(t.app.judging.overview(who, prize.id), refused);
      await assert.rejects(t.app.prizeResults.organiserEntries(who, prize.id), refused);
      await assert.rejects(t.app.prizeResults.scoresCsv(who, prize.id), refused);
      await assert.rejects(t.app.prizeResults.publish(who, prize.id, 'shortlist'), refused);
      await assert.rejects(t.app.prizeResults.offerPlace(who, prize.id, 'none'), refused);
    }
    assert.ok(Array.isArray(await t.app.judging.jurors(chief, prize.id)));
    assert.ok(Array.isArray(await t.app.prizeResults.organiserEntries(actor('mentor'), prize.id)));
  });
});
