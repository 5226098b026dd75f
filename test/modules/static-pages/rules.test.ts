// Who writes, publishes and orders the magazine's own pages: the access rules on their own.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RoleName } from '../../../src/db/schema.js';
import {
  canEditPage,
  canEditPages,
  canMovePage,
  canPublishPages,
  holderOf,
  newsroomTabs,
  pageMovesFor,
} from '../../../src/modules/access/index.js';
import { ROLE_NAMES } from '../../../src/modules/people/index.js';

const WRITERS: RoleName[] = ['editor_in_chief', 'managing_editor', 'mentor', 'admin'];
const PUBLISHERS: RoleName[] = ['editor_in_chief', 'admin'];

describe('static page rules', () => {
  it('lets the chiefs and administrators write pages, and only the editor-in-chief and administrators publish them', () => {
    for (const role of ROLE_NAMES) {
      const holder = holderOf([role]);
      assert.equal(canEditPages(holder), WRITERS.includes(role), `${role} writes pages`);
      assert.equal(canPublishPages(holder), PUBLISHERS.includes(role), `${role} publishes pages`);
      assert.equal(newsroomTabs([role]).has('/newsroom/pages'), WRITERS.includes(role), `${role} sees the Pages tab`);
    }
  });

  it('walks the workflow: the managing editor submits, the editor-in-chief publishes and unpublishes', () => {
    const managing = holderOf(['managing_editor']);
    const chief = holderOf(['editor_in_chief']);
    assert.deepEqual(pageMovesFor(managing, 'draft'), ['submitted']);
    assert.deepEqual(pageMovesFor(chief, 'draft'), ['submitted', 'published']);
    assert.deepEqual(pageMovesFor(managing, 'submitted'), ['draft']);
    assert.deepEqual(pageMovesFor(chief, 'submitted'), ['draft', 'published']);
    assert.deepEqual(pageMovesFor(managing, 'published'), []);
    assert.deepEqual(pageMovesFor(chief, 'published'), ['unpublished']);
    assert.equal(canMovePage(chief, 'published', 'draft'), false, 'a published page is unpublished first');
    assert.equal(canMovePage(holderOf(['staff_writer']), 'draft', 'submitted'), false);
  });

  it('leaves a published page to those who publish', () => {
    assert.equal(canEditPage(holderOf(['managing_editor']), 'published'), false);
    assert.equal(canEditPage(holderOf(['managing_editor']), 'unpublished'), true);
    assert.equal(canEditPage(holderOf(['editor_in_chief']), 'published'), true);
    assert.equal(canEditPage(holderOf(['section_editor']), 'draft'), false);
  });
});
