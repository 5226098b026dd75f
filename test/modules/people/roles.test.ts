import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { displayedRole, isHeldOn, roleChangeRefusal, roleTitle, type RoleSpan } from '../../../src/modules/people/roles.js';

const span = (role: RoleSpan['role'], startsOn: string, endsOn: string | null, sectionName: string | null = null): RoleSpan => ({
  role,
  sectionName,
  newsroomName: null,
  startsOn,
  endsOn,
});

describe('role titles', () => {
  it('puts the section before the role', () => {
    assert.equal(roleTitle(span('section_editor', '2023-09-01', null, 'Human Rights')), 'Human Rights Section Editor');
    assert.equal(roleTitle(span('correspondent', '2023-02-01', null, 'Human Rights')), 'Human Rights Correspondent');
  });
  it('writes editor-in-chief as the magazine does', () => {
    assert.equal(roleTitle(span('editor_in_chief', '2022-09-01', null)), 'Editor-in-chief');
  });
});

describe('displayed role', () => {
  const promotedTwice = [
    span('contributor', '2022-03-01', '2023-02-01'),
    span('correspondent', '2023-02-01', '2023-09-01', 'Human Rights'),
    span('section_editor', '2023-09-01', null, 'Human Rights'),
  ];

  it('shows the open role', () => {
    assert.deepEqual(displayedRole(promotedTwice, '2026-01-01'), { title: 'Human Rights Section Editor', current: true });
  });
  it('shows the new role on the day of a promotion', () => {
    assert.deepEqual(displayedRole(promotedTwice, '2023-09-01'), { title: 'Human Rights Section Editor', current: true });
    assert.deepEqual(displayedRole(promotedTwice, '2023-08-31'), { title: 'Human Rights Correspondent', current: true });
  });
  it('reads "former" once the last role has ended', () => {
    const spans = [span('contributor', '2020-01-01', '2022-09-01'), span('editor_in_chief', '2022-09-01', '2023-08-31')];
    assert.deepEqual(displayedRole(spans, '2024-01-01'), { title: 'former Editor-in-chief', current: false });
  });
  it('is the current role while it is held, even on its last day', () => {
    const spans = [span('editor_in_chief', '2022-09-01', '2023-08-31')];
    assert.equal(displayedRole(spans, '2023-08-30')?.title, 'Editor-in-chief');
    assert.equal(displayedRole(spans, '2023-08-31')?.title, 'former Editor-in-chief');
  });
  it('ignores roles that have not started yet', () => {
    assert.equal(displayedRole([span('mentor', '2030-01-01', null)], '2026-01-01'), null);
    assert.equal(isHeldOn(span('mentor', '2030-01-01', null), '2029-12-31'), false);
  });
});

describe('who may change whose roles', () => {
  const mentor = { personId: 'p-mentor', roles: ['mentor' as const] };
  const admin = { personId: 'p-admin', roles: ['admin' as const] };

  it('lets nobody change their own roles, administrators included', () => {
    assert.match(roleChangeRefusal(mentor, 'p-mentor', 'admin') ?? '', /Nobody changes their own roles/);
    assert.match(roleChangeRefusal(mentor, 'p-mentor', 'staff_writer') ?? '', /Nobody changes their own roles/);
    assert.match(roleChangeRefusal(admin, 'p-admin', 'admin') ?? '', /Nobody changes their own roles/);
  });

  it('keeps administrator and editor-in-chief for administrators to give', () => {
    assert.match(roleChangeRefusal(mentor, 'p-other', 'admin') ?? '', /Only an administrator/);
    assert.match(
      roleChangeRefusal({ personId: 'p-chief', roles: ['editor_in_chief'] }, 'p-other', 'editor_in_chief') ?? '',
      /Only an administrator/,
    );
    assert.equal(roleChangeRefusal(admin, 'p-other', 'admin'), null);
    assert.equal(roleChangeRefusal(admin, 'p-other', 'editor_in_chief'), null);
  });

  it('lets a people manager give the other roles to someone else', () => {
    assert.equal(roleChangeRefusal(mentor, 'p-other', 'section_editor'), null);
    assert.equal(roleChangeRefusal({ personId: null, roles: ['admin'] }, 'p-other', 'admin'), null);
  });
});
