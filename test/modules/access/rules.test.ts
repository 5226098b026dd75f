// The access rules on their own: the workflow's moves, the desks each role may
// open (people, prizes, newsletters, media, audit log) and the newsroom tabs.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ArticleStatus, RoleName } from '../../../src/db/schema.js';
import {
  canCreateNewsletter,
  canEdit,
  canManagePeople,
  canManageRedirects,
  canMove,
  canOrganise,
  canRunNewsletter,
  canUseMediaLibrary,
  canView,
  canViewAudit,
  holderOf,
  movesFor,
  newsroomTabs,
  roleChangeRefused,
  type Actor,
  type ArticleFacts,
} from '../../../src/modules/access/index.js';

const actor = (personId: string, ...roles: [RoleName, string?][]): Actor => ({
  userId: `u-${personId}`,
  personId,
  name: personId,
  roles: roles.map(([role, sectionId]) => ({ role, sectionId: sectionId ?? null })),
});
const article = (status: ArticleStatus, authorIds = ['writer'], sectionId = 'climate'): ArticleFacts => ({
  status,
  sectionId,
  authorIds,
  editorIds: [],
});

const writer = actor('writer', ['contributor']);
const otherWriter = actor('other', ['staff_writer']);
const climateEditor = actor('climate-ed', ['section_editor', 'climate']);
const cultureEditor = actor('culture-ed', ['section_editor', 'culture']);
const chief = actor('chief', ['editor_in_chief']);
const mentor = actor('mentor', ['mentor']);
const admin = actor('admin', ['admin']);

describe('newsroom rules', () => {
  it('lets writers edit and submit only their own drafts', () => {
    assert.equal(canEdit(writer, article('draft')), true);
    assert.equal(canEdit(otherWriter, article('draft')), false);
    assert.equal(canEdit(writer, article('submitted')), false, 'submitted work is with the editors');
    assert.equal(canEdit(writer, article('changes_requested')), true);
    assert.equal(canMove(writer, article('draft'), 'submitted'), true);
    assert.equal(canMove(otherWriter, article('draft'), 'submitted'), false);
    assert.equal(canView(otherWriter, article('draft')), false);
  });

  it('never lets a writer approve or publish', () => {
    for (const to of ['approved', 'published', 'scheduled', 'in_review'] as const) {
      for (const from of ['draft', 'submitted', 'in_review', 'approved'] as const)
        assert.equal(canMove(writer, article(from), to), false, `${from}→${to}`);
    }
  });

  it('lets section editors review their own section only', () => {
    assert.equal(canMove(climateEditor, article('submitted'), 'in_review'), true);
    assert.equal(canMove(climateEditor, article('in_review'), 'changes_requested'), true);
    assert.equal(canMove(climateEditor, article('in_review'), 'approved'), true);
    assert.equal(canMove(cultureEditor, article('in_review'), 'approved'), false);
    assert.equal(canEdit(climateEditor, article('in_review')), true);
    assert.equal(canEdit(cultureEditor, article('in_review')), false);
    assert.equal(canMove(climateEditor, article('approved'), 'published'), false, 'publishing is for the chiefs');
  });

  it('lets the editor-in-chief and mentors publish, schedule and unpublish anywhere', () => {
    for (const boss of [chief, mentor]) {
      assert.equal(canMove(boss, article('approved', ['x'], 'culture'), 'published'), true);
      assert.equal(canMove(boss, article('approved'), 'scheduled'), true);
      assert.equal(canMove(boss, article('published'), 'unpublished'), true);
      assert.equal(canEdit(boss, article('published')), true);
    }
    assert.deepEqual(movesFor(chief, article('approved')).sort(), ['changes_requested', 'published', 'scheduled']);
  });

  it('refuses moves that are not in the workflow', () => {
    assert.equal(canMove(chief, article('draft'), 'published'), false);
    assert.equal(canMove(chief, article('published'), 'draft'), false);
  });

  it('shows the audit log to admins, mentors and the editor-in-chief, not to writers', () => {
    assert.equal(canViewAudit(admin), true);
    assert.equal(canViewAudit(mentor), true);
    assert.equal(canViewAudit(chief), true);
    assert.equal(canViewAudit(writer), false);
    assert.deepEqual(
      [...newsroomTabs(writer.roles.map((r) => r.role))],
      ['/newsroom', '/newsroom/articles', '/newsroom/articles/new', '/newsroom/media'],
    );
    assert.ok(newsroomTabs(chief.roles.map((r) => r.role)).has('/newsroom/audit'));
    assert.ok(
      newsroomTabs(chief.roles.map((r) => r.role)).has('/newsroom/writing-rules'),
      'the editor-in-chief sees the writing rules tab',
    );
    assert.deepEqual([...newsroomTabs([])], [], 'a reader has no newsroom tabs');
  });
});

describe('desk rules', () => {
  it('lets the editor-in-chief, mentors and admins organise prizes, not writers', () => {
    for (const role of ['editor_in_chief', 'mentor', 'managing_editor', 'admin'] as const)
      assert.equal(canOrganise(holderOf([role])), true, role);
    assert.equal(canOrganise(holderOf(['section_editor', 'staff_writer'])), false);
    assert.equal(canOrganise(holderOf([])), false);
  });

  it('lets the newsletter editor, the chiefs and mentors run the newsletter; new newsletters are for the chiefs', () => {
    for (const role of ['newsletter_editor', 'editor_in_chief', 'managing_editor', 'mentor', 'admin'] as const)
      assert.ok(canRunNewsletter(holderOf([role])), role);
    for (const role of ['contributor', 'staff_writer', 'correspondent', 'section_editor', 'social_media_editor'] as const) {
      assert.ok(!canRunNewsletter(holderOf([role])), role);
    }
    assert.ok(canCreateNewsletter(holderOf(['editor_in_chief'])));
    assert.ok(!canCreateNewsletter(holderOf(['newsletter_editor'])));
  });

  it('gives the people desk to the chiefs and admins, and the media library to every staff member', () => {
    for (const boss of [chief, mentor, admin]) assert.ok(canManagePeople(boss));
    for (const other of [writer, climateEditor]) assert.ok(!canManagePeople(other));
    for (const someone of [writer, otherWriter, climateEditor, chief, admin]) assert.ok(canUseMediaLibrary(someone));
    assert.ok(!canUseMediaLibrary(holderOf([])), 'a reader holds no role');
  });

  it('gives the redirects desk (and its tab) to the editor-in-chief, the managing editor and admins only', () => {
    for (const role of ['editor_in_chief', 'managing_editor', 'admin'] as const) {
      assert.ok(canManageRedirects(holderOf([role])), role);
      assert.ok(newsroomTabs([role]).has('/newsroom/redirects'), role);
    }
    for (const role of ['mentor', 'section_editor', 'staff_writer', 'contributor'] as const) {
      assert.ok(!canManageRedirects(holderOf([role])), role);
      assert.ok(!newsroomTabs([role]).has('/newsroom/redirects'), role);
    }
    assert.ok(!canManageRedirects(holderOf([])), 'a reader holds no role');
  });
});

describe('who gives which role', () => {
  it('lets nobody change their own roles, and only administrators give the administrator and editor-in-chief roles', () => {
    assert.equal(roleChangeRefused(mentor, 'mentor', 'staff_writer'), 'own_roles');
    assert.equal(roleChangeRefused(admin, 'admin', 'admin'), 'own_roles');
    assert.equal(roleChangeRefused(mentor, 'someone', 'admin'), 'admin_only');
    assert.equal(roleChangeRefused(chief, 'someone', 'editor_in_chief'), 'admin_only');
    assert.equal(roleChangeRefused(admin, 'someone', 'editor_in_chief'), null);
    assert.equal(roleChangeRefused(mentor, 'someone', 'section_editor'), null);
  });
});
