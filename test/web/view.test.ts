// Views are synchronous: htmlOf hands their text on, and refuses a view that
// rendered as a promise rather than letting "[object Promise]" reach a page.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { htmlOf } from '../../src/web/view.js';

describe('htmlOf', () => {
  it('returns the text of a synchronous view', () => {
    assert.equal(htmlOf('<p>Hello</p>'), '<p>Hello</p>');
  });

  it('refuses a view that rendered asynchronously', () => {
    assert.throws(() => htmlOf(Promise.resolve('<p>Later</p>')), /rendered asynchronously/);
  });
});
