import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { countDocWords, docToText } from '../../src/lib/plain-text.js';
import {
  DOC_MESSAGES,
  MAX_DOC_DEPTH,
  normalizeDoc,
  parseRichDoc,
  previewOf,
  renderRichText,
  rt,
  safeHref,
  type RichNode,
} from '../../src/lib/rich-text.js';

describe('rich text rendering', () => {
  it('renders the allowed nodes and marks', () => {
    const html = renderRichText(
      rt.doc(
        rt.h2('Heading'),
        rt.p('Plain ', rt.em('italic'), ' ', rt.strong('bold'), ' ', rt.link('link', 'https://example.org/a')),
        rt.quote('Quoted.'),
        rt.ul('One', 'Two'),
      ),
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
        {
          type: 'paragraph',
          attrs: { onclick: 'evil()' },
          content: [{ type: 'text', text: 'x', marks: [{ type: 'link', attrs: { href: 'javascript:evil()' } }] }],
        },
        { type: 'heading', attrs: { level: 1 }, content: [{ type: 'text', text: 'Too high' }] },
        { type: 'paragraph', content: [{ type: 'text', text: 'y', marks: [{ type: 'link', attrs: { href: '" onmouseover="evil()' } }] }] },
      ],
    };
    const html = renderRichText(doc);
    assert.equal(html, '<p>&lt;script&gt;alert(1)&lt;/script&gt;</p><p>x</p><h2>Too high</h2><p>y</p>');
  });

  it('renders preformatted text as a code block: its text escaped, marks and other nodes left out', () => {
    const doc: RichNode = {
      type: 'doc',
      content: [
        {
          type: 'codeBlock',
          attrs: { language: null },
          content: [
            { type: 'text', text: 'if (a < b) {\n  shout("<b>&");\n}', marks: [{ type: 'bold' }] },
            { type: 'hardBreak' },
            { type: 'figure', attrs: { mediaId: '00000000-0000-4000-8000-000000000000' } },
          ],
        },
        { type: 'codeBlock' },
      ],
    };
    assert.equal(
      renderRichText(doc),
      '<pre><code>if (a &lt; b) {\n  shout(&quot;&lt;b&gt;&amp;&quot;);\n}</code></pre><pre><code></code></pre>',
    );
    assert.equal(parseRichDoc(JSON.stringify(doc)).ok, true);
    assert.match(docToText(doc), /^if \(a < b\) \{\n {2}shout/);
  });

  it('accepts only web, mail and same-site links', () => {
    assert.equal(safeHref('/articles/a'), '/articles/a');
    assert.equal(safeHref('mailto:desk@example.org'), 'mailto:desk@example.org');
    assert.equal(safeHref('//evil.example/'), null);
    assert.equal(safeHref('data:text/html,hi'), null);
    assert.equal(safeHref(' JAVASCRIPT:alert(1)'), null);
    // Browsers drop tabs and newlines and read a backslash as a slash: these lead to another site.
    assert.equal(safeHref('/\t/evil.example/'), null);
    assert.equal(safeHref('/\n/evil.example/'), null);
    assert.equal(safeHref('/\\evil.example/'), null);
    assert.equal(safeHref('#top'), '#top');
  });

  it('writes only text inside paragraphs and headings, list items only in lists, and one link per text', () => {
    const doc = {
      type: 'doc',
      content: [
        {
          type: 'paragraph',
          content: [{ type: 'blockquote', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'quoted' }] }] }],
        },
        { type: 'heading', content: [{ type: 'bulletList', content: [{ type: 'listItem', content: [{ type: 'text', text: 'item' }] }] }] },
        { type: 'listItem', content: [{ type: 'listItem', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'loose' }] }] }] },
        {
          type: 'paragraph',
          content: [
            {
              type: 'text',
              text: 'two links',
              marks: [
                { type: 'link', attrs: { href: '/a' } },
                { type: 'link', attrs: { href: '/b' } },
              ],
            },
          ],
        },
      ],
    };
    assert.equal(renderRichText(doc), '<p>quoted</p><h2>item</h2><p>loose</p><p><a href="/a">two links</a></p>');
  });

  it('counts words and extracts text', () => {
    const doc = rt.doc(rt.p('One two three.'), rt.h2('Four five'));
    assert.equal(countDocWords(doc), 5);
    assert.equal(docToText(doc), 'One two three.\n\nFour five');
  });

  it('previews the first paragraphs with the blocks between them', () => {
    const doc = rt.doc(rt.p('a'), rt.h2('h'), rt.p('b'), rt.p('c'), rt.p('d'));
    const { doc: preview, truncated } = previewOf(doc, 2);
    assert.equal(renderRichText(preview), '<p>a</p><h2>h</h2><p>b</p>');
    assert.equal(truncated, true);
    assert.equal(previewOf(doc, 10).truncated, false);
  });
});

describe('document shape', () => {
  // Built as text: JSON.stringify itself overflows the stack on 5,000 levels.
  const deepJson = (levels: number): string =>
    '{"type":"doc","content":[' +
    '{"type":"blockquote","content":['.repeat(levels) +
    '{"type":"paragraph","content":[{"type":"text","text":"deep"}]}' +
    ']}'.repeat(levels) +
    ']}';
  const deep = (levels: number): unknown => JSON.parse(deepJson(levels));

  it('accepts an ordinary document', () => {
    const doc = rt.doc(rt.h2('Title'), rt.p('One ', rt.link('link', 'https://example.org')), rt.ul('a', 'b'));
    const parsed = parseRichDoc(JSON.stringify(doc));
    assert.ok(parsed.ok);
  });

  it('refuses content given as a string, null children, and text that is not text', () => {
    for (const bad of [
      { type: 'doc', content: 'Hello' },
      { type: 'doc', content: [null] },
      { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 5 }] }] },
      { type: 'doc', content: [{ type: 'paragraph', marks: 'bold' }] },
      { type: 'paragraph' },
      [],
    ]) {
      const parsed = parseRichDoc(JSON.stringify(bad));
      assert.equal(parsed.ok, false, JSON.stringify(bad));
      if (!parsed.ok) assert.equal(parsed.message, DOC_MESSAGES.notADocument);
    }
    assert.deepEqual(parseRichDoc('{not json'), { ok: false, message: DOC_MESSAGES.unreadable });
  });

  it('refuses 5,000-deep nesting with a message, without overflowing the stack', () => {
    const parsed = parseRichDoc(deepJson(5_000));
    assert.deepEqual(parsed, { ok: false, message: DOC_MESSAGES.tooDeep });
    assert.ok(parseRichDoc(deepJson(MAX_DOC_DEPTH - 3)).ok);
  });

  it('renders crafted documents without crashing, leaving out what is nested too deeply', () => {
    const html = renderRichText(deep(5_000) as RichNode);
    assert.doesNotMatch(html, /deep/);
    assert.equal(renderRichText({ type: 'doc', content: 'Hello' } as unknown as RichNode), '');
    assert.equal(
      renderRichText({
        type: 'doc',
        content: [null, { type: 'paragraph', content: [{ type: 'text', text: 5, marks: 'x' }] }],
      } as unknown as RichNode),
      '<p></p>',
    );
    assert.equal(docToText(deep(5_000) as RichNode).includes('deep'), false);
    assert.equal(
      renderRichText(deep(3) as RichNode),
      '<blockquote><blockquote><blockquote><p>deep</p></blockquote></blockquote></blockquote>',
    );
  });

  it('renders to the depth limit and not a level further', () => {
    // doc (1) > quotes > paragraph > text: the text sits at depth levels + 3.
    const atLimit = renderRichText(deep(MAX_DOC_DEPTH - 3) as RichNode);
    assert.match(atLimit, /<p>deep<\/p>/);
    assert.equal(atLimit.split('<blockquote>').length - 1, MAX_DOC_DEPTH - 3);
    const past = renderRichText(deep(MAX_DOC_DEPTH - 2) as RichNode);
    assert.doesNotMatch(past, /deep/);
    assert.equal(past.split('<blockquote>').length - 1, MAX_DOC_DEPTH - 2);
  });

  it('drops the empty paragraphs an editor leaves at the end', () => {
    const doc = rt.doc(rt.p('Kept.'), { type: 'paragraph' }, rt.p(' '), { type: 'paragraph', content: [{ type: 'hardBreak' }] });
    assert.deepEqual(normalizeDoc(doc), rt.doc(rt.p('Kept.')));
  });
});
