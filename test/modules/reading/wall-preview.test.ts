// The wall's one split of an article into its public part and the rest: the page,
// the newsroom's preview and the feeds all show a visitor what wallPreview keeps.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { rt } from '../../../src/lib/rich-text.js';
import { wallPreview } from '../../../src/modules/reading/access.js';

const body = rt.doc(rt.p('One.'), rt.h2('A heading'), rt.p('Two.'), rt.quote('Quoted.'), rt.p('Three.'), rt.p('Four.'));

describe('wallPreview', () => {
  it("keeps the blocks up to the site's number of paragraphs, headings between them included", () => {
    assert.deepEqual(wallPreview({ body, previewParagraphs: null }, 2), rt.doc(rt.p('One.'), rt.h2('A heading'), rt.p('Two.')));
  });

  it("prefers the article's own number", () => {
    assert.deepEqual(wallPreview({ body, previewParagraphs: 1 }, 3), rt.doc(rt.p('One.')));
  });

  it('keeps nothing when the number is 0', () => {
    assert.deepEqual(wallPreview({ body, previewParagraphs: 0 }, 3), rt.doc());
  });
});
