import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { countWords, plainText, previewOf, renderRichText, rt, safeHref, type RichNode } from '../../src/lib/rich-text.js';

describe('rich text rendering', () => {
  it('renders the allowed nodes and marks', () => {
    const html = renderRichText(
      rt.doc(rt.h2('Heading'), rt.p('Plain ', rt.em('italic'), ' ', rt.strong('bold'), ' ', rt.link('link', 'https://example.org/a')), rt.quote('Quoted.'), rt.ul('One', 'Two')),
    );
    assert.equal(
      html,
      '<h2>Heading</h2><p>Plain <em>italic</em> <strong>bold</strong> <a href="https://example.org/a" rel="noopener noreferrer nofollow">link</a></p>' +
        '<blockquote><p>Quoted.</p></blockquote><ul><li><p>One</p></li><li><p>Two</p></li></ul>',
    );
  });

  it('escapes text and drops unknown nodes, attributes and unsafe links', () => {
    const doc: RichNode = {
      type: 'doc',
      content: [
        { type: 'paragraph', content: [{ type: 'text', text: '<script>alert(1)</script>' }] },
        { type: 'script', content: [{ type: 'text', text: 'evil()' }] },
        { type: 'paragraph', attrs: { onclick: 'evil()' }, content: [{ type: 'text', text: 'x', marks: [{ type: 'link', attrs: { href: 'javascript:evil()' } }] }] },
        { type: 'heading', attrs: { level: 1 }, content: [{ type: 'text', text: 'Too high' }] },
        { type: 'paragraph', content: [{ type: 'text', text: 'y', marks: [{ type: 'link', attrs: { href: '" onmouseover="evil()' } }] }] },
      ],
    };
    const html = renderRichText(doc);
    assert.equal(html, '<p>&lt;script&gt;alert(1)&lt;/script&gt;</p><p>x</p><h2>Too high</h2><p>y</p>');
  });

  it('accepts only web, mail and same-site links', () => {
    assert.equal(safeHref('/articles/a'), '/articles/a');
    assert.equal(safeHref('mailto:desk@example.org'), 'mailto:desk@example.org');
    assert.equal(safeHref('//evil.example/'), null);
    assert.equal(safeHref('data:text/html,hi'), null);
    assert.equal(safeHref(' JAVASCRIPT:alert(1)'), null);
  });

  it('counts words and extracts text', () => {
    const doc = rt.doc(rt.p('One two three.'), rt.h2('Four five'));
    assert.equal(countWords(doc), 5);
    assert.equal(plainText(doc), 'One two three.\n\nFour five');
  });

  it('previews the first paragraphs with the blocks between them', () => {
    const doc = rt.doc(rt.p('a'), rt.h2('h'), rt.p('b'), rt.p('c'), rt.p('d'));
    const { doc: preview, truncated } = previewOf(doc, 2);
    assert.equal(renderRichText(preview), '<p>a</p><h2>h</h2><p>b</p>');
    assert.equal(truncated, true);
    assert.equal(previewOf(doc, 10).truncated, false);
  });
});
