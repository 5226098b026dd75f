import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_DOC_DEPTH } from '../../../src/lib/rich-text.js';
import { lexicalToDoc } from '../../../src/modules/imports/convert/index.js';
import { depthOf, rendered } from './convert-helpers.js';

type Node = Record<string, unknown>;
const text = (value: string, format = 0): Node => ({ type: 'text', text: value, format, detail: 0, mode: 'normal', style: '', version: 1 });
const para = (...children: Node[]): Node => ({ type: 'paragraph', children, direction: 'ltr', format: '', indent: 0, version: 1 });
const item = (...children: Node[]): Node => ({ type: 'listitem', children, value: 1, version: 1 });
const lexical = (...children: Node[]) => ({ root: { type: 'root', children, direction: 'ltr', format: '', indent: 0, version: 1 } });

describe('Ghost lexical into the document', () => {
  it('reads paragraphs, headings (h1 as h2, h4–h6 as h3), quotes, asides, format bits, links and line breaks', () => {
    const result = lexicalToDoc(
      JSON.stringify(
        lexical(
          { type: 'heading', tag: 'h1', children: [text('Garden diary')] },
          { type: 'extended-heading', tag: 'h3', children: [text('Week one')] },
          { type: 'heading', tag: 'h6', children: [text('Footnote')] },
          para(
            text('Bold', 1),
            text(' '),
            text('both', 3),
            text(' '),
            text('gone', 4),
            text(' '),
            text('under', 8),
            text(' '),
            text('x = 1', 16),
            { type: 'linebreak', version: 1 },
            { type: 'link', url: 'https://old.example.org/tag/garden/', children: [text('our '), text('garden', 1)] },
          ),
          { type: 'quote', children: [text('Dig deep.')] },
          { type: 'aside', children: [text('Water daily.', 2)] },
          para(),
          para(text('   ')),
        ),
      ),
      { siteUrl: 'https://old.example.org' },
    );
    assert.equal(
      rendered(result),
      '<h2>Garden diary</h2><h3>Week one</h3><h3>Footnote</h3>' +
        '<p><strong>Bold</strong> <em><strong>both</strong></em> <s>gone</s> under <code>x = 1</code><br><a href="/tag/garden/">our </a><a href="/tag/garden/"><strong>garden</strong></a></p>' +
        '<blockquote><p>Dig deep.</p></blockquote><blockquote><p><em>Water daily.</em></p></blockquote>',
    );
    assert.deepEqual(result.warnings, []);
  });

  it('reads bullet and numbered lists, nested through list items holding a list', () => {
    const result = lexicalToDoc(
      lexical(
        {
          type: 'list',
          listType: 'bullet',
          tag: 'ul',
          start: 1,
          children: [
            item(text('Seeds')),
            item({ type: 'list', listType: 'number', tag: 'ol', start: 3, children: [item(text('sunflower')), item(text('pea', 2))] }),
            item(text('Tools')),
          ],
        },
        { type: 'list', listType: 'number', tag: 'ol', start: 1, children: [item(text('dig')), item()] },
      ),
    );
    assert.equal(
      rendered(result),
      '<ul><li><p>Seeds</p><ol start="3"><li><p>sunflower</p></li><li><p><em>pea</em></p></li></ol></li><li><p>Tools</p></li></ul><ol><li><p>dig</p></li></ol>',
    );
  });

  it('keeps image cards, code blocks and rules, and converts html and markdown cards', () => {
    const result = lexicalToDoc(
      lexical(
        {
          type: 'image',
          src: 'https://old.example.org/content/images/2024/05/shed.jpg',
          alt: 'A green shed',
          caption: '<span>Painted <b>by us</b></span>',
          width: 800,
          height: 600,
        },
        { type: 'codeblock', code: 'water(plants) && rest()\n  # done', language: 'python', caption: '' },
        { type: 'horizontalrule' },
        { type: 'html', html: '<p>Plain <em>HTML</em></p><style>p {}</style>' },
        { type: 'markdown', markdown: '## Harvest\n\n* carrots\n* **beans**' },
      ),
    );
    assert.equal(
      rendered(result),
      '<figure>A green shed|Painted by us</figure><pre><code>water(plants) &amp;&amp; rest()\n  # done</code></pre><hr>' +
        '<p>Plain <em>HTML</em></p><h2>Harvest</h2><ul><li><p>carrots</p></li><li><p><strong>beans</strong></p></li></ul>',
    );
    assert.deepEqual(result.pictures, [
      { url: 'https://old.example.org/content/images/2024/05/shed.jpg', alt: 'A green shed', caption: 'Painted by us' },
    ]);
  });

  it('keeps embeds, bookmarks and buttons as links, callouts as quotes, toggles as a heading and text, and other cards as notes, with warnings', () => {
    const result = lexicalToDoc(
      lexical(
        {
          type: 'embed',
          url: 'https://twitter.com/gardeners/status/42',
          embedType: 'twitter',
          html: '<blockquote>…</blockquote>',
          caption: '',
        },
        { type: 'bookmark', url: 'https://example.org/compost', metadata: { title: 'Making compost' }, caption: 'Worth reading' },
        { type: 'gallery', images: [{ src: '/content/images/p1.jpg', alt: 'Pot' }], caption: '' },
        { type: 'callout', calloutEmoji: '🌱', calloutText: '<p>Plant after the frost</p>' },
        { type: 'toggle', heading: '<span>When to water?</span>', content: '<p>Evenings.</p>' },
        { type: 'button', buttonText: 'Join us', buttonUrl: 'https://example.org/join', alignment: 'center' },
        { type: 'product', productTitle: 'Trowel' },
      ),
    );
    assert.equal(
      rendered(result),
      '<p><a href="https://twitter.com/gardeners/status/42" rel="noopener noreferrer nofollow">https://twitter.com/gardeners/status/42</a></p>' +
        '<p><a href="https://example.org/compost" rel="noopener noreferrer nofollow">Making compost</a></p><p>Worth reading</p>' +
        '<figure>Pot|</figure>' +
        '<blockquote><p>🌱 Plant after the frost</p></blockquote>' +
        '<h3>When to water?</h3><p>Evenings.</p>' +
        '<p><a href="https://example.org/join" rel="noopener noreferrer nofollow">Join us</a></p>' +
        '<p>[The old site had a “product” card here — add it again if it is still wanted]</p>',
    );
    assert.equal(result.warnings.length, 7);
    assert.ok(result.warnings.some((w) => w.startsWith('A post on Twitter was kept as a link')));
  });

  it('says so instead of giving nothing for unreadable input, and gives an empty document for an empty post', () => {
    const broken = lexicalToDoc('{"root": 3}');
    assert.match(rendered(broken), /Nothing in this text could be carried over/);
    assert.deepEqual(lexicalToDoc(lexical(para())).doc, { type: 'doc', content: [] });
  });

  it('gives a safe document for hostile input, however deeply nested', () => {
    let list: Node = { type: 'list', listType: 'bullet', children: [item(text('bottom'))] };
    for (let i = 0; i < MAX_DOC_DEPTH * 2; i++)
      list = { type: 'list', listType: 'bullet', children: [item(text(`level ${i}`)), item(list)] };
    let link: Node = text('buried');
    for (let i = 0; i < 1000; i++) link = { type: 'link', url: 'https://example.org/', children: [link] };
    const result = lexicalToDoc(
      lexical(
        para({ type: 'link', url: 'javascript:alert(1)', children: [text('click')] }, text('<img src=x onerror=alert(1)>')),
        { type: 'html', html: '<a href="javascript:alert(2)" onmouseover="x()">hover</a><script>alert(3)</script>' },
        { type: 'image', src: 'javascript:alert(4)', alt: 'bad' },
        list,
        para(link),
      ),
    );
    const out = rendered(result);
    assert.match(out, /^<p>click&lt;img src=x onerror=alert\(1\)&gt;<\/p><p>hover<\/p><ul>/);
    assert.match(out, /bottom/);
    assert.match(out, /buried/);
    assert.ok(depthOf(result.doc) <= MAX_DOC_DEPTH);
    assert.doesNotMatch(JSON.stringify(result.doc), /javascript|onmouseover/);
  });
});
