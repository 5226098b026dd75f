// A page cut at its slots once fills, request after request, exactly as the
// scans over the whole page did: CSRF inputs, bookmark buttons, and each
// newsletter box as the sign-up form or the subscriber's note.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  bookmarkSlot,
  compileSlots,
  CSRF_SLOT,
  fillCompiledSlots,
  fillNewsletterSlots,
  fillSlots,
  newsletterSlot,
  slotArticleIds,
} from '../../src/web/slots.js';

const A = '0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b';
const B = '0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5c';
const page =
  `<header><form>${CSRF_SLOT}</form></header><main>${bookmarkSlot(A, 'first-story')}<p>Text — ünïcödé</p>` +
  newsletterSlot(
    'weekly-brief',
    `<form>${CSRF_SLOT}<button>Sign up</button>${bookmarkSlot(B, 'second')}</form>`,
    '<p>You get the Weekly Brief.</p>',
  ) +
  newsletterSlot('prize-news', `<form>${CSRF_SLOT}</form>`, '<p>You get Prize News.</p>') +
  `</main><footer>${CSRF_SLOT}</footer>`;

const button = (id: string, slug: string) => `<button data-id="${id}">${slug}</button>`;

describe('compiled slots', () => {
  for (const subscribed of [new Set<string>(), new Set(['weekly-brief']), new Set(['weekly-brief', 'prize-news'])]) {
    it(`fill as the page scans do (subscribed to ${[...subscribed].join(', ') || 'nothing'})`, () => {
      const compiled = compileSlots(page);
      const expected = fillSlots(fillNewsletterSlots(page, subscribed), 'tok&en', button);
      assert.equal(fillCompiledSlots(compiled, 'tok&en', button, subscribed), expected);
      assert.ok(!expected.includes('<!--slot:'));
    });
  }

  it('name the same bookmarked articles and know the page has newsletter boxes', () => {
    const compiled = compileSlots(page);
    assert.deepEqual(compiled.articleIds, slotArticleIds(page));
    assert.equal(compiled.hasNewsletters, true);
    assert.equal(compileSlots(`<p>${CSRF_SLOT}</p>`).hasNewsletters, false);
  });
});
