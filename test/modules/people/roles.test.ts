import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { displayedRole, isHeldOn, roleTitle, type RoleSpan } from '../../../src/modules/people/roles.js';

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
