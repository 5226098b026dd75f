import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_DOC_DEPTH } from '../../../src/lib/rich-text.js';
import { htmlToDoc } from '../../../src/modules/imports/convert/index.js';
import { depthOf, rendered, SITE } from './convert-helpers.js';

const html = (input: string, options = {}) => rendered(htmlToDoc(input, { siteUrl: SITE, ...options }));

describe('HTML into the document', () => {
  it('keeps paragraphs, headings (h1 as h2, h4–h6 as h3), rules and line breaks', () => {
    assert.equal(
      html('<h1>Club news</h1><p>First line<br>second line</p><hr><h2>Results</h2><h3>Under 14s</h3><h5>Notes</h5><h6>Small print</h6>'),
      '<h2>Club news</h2><p>First line<br>second line</p><hr><h2>Results</h2><h3>Under 14s</h3><h3>Notes</h3><h3>Small print</h3>',
    );
  });

  it('combines nested marks and keeps bold inside a link', () => {
    const result = htmlToDoc('<p><a href="https://example.org/map"><b>Map <i>here</i></b></a> and <s>old</s> <code>x = 1</code></p>');
    assert.equal(
      rendered(result),
      '<p><a href="https://example.org/map" rel="noopener noreferrer nofollow"><strong>Map </strong></a>' +
        '<a href="https://example.org/map" rel="noopener noreferrer nofollow"><em><strong>here</strong></em></a>' +
        ' and <s>old</s> <code>x = 1</code></p>',
    );
    const here = result.doc.content![0]!.content![1]!;
    assert.deepEqual(
      here.marks?.map((m) => m.type),
      ['bold', 'italic', 'link'],
    );
  });

  it('makes links to the old site site-relative, keeps other web and mail links, drops unsafe ones but keeps their text', () => {
    assert.equal(
      html(
        '<p><a href="https://old.example.org/2019/04/trip/">trip</a> <a href="http://www.old.example.org/about/?x=1#team">team</a> ' +
          '<a href="mailto:desk@example.org">mail</a> <a href="javascript:alert(1)">click</a> <a href="data:text/html,hi">data</a> <a name="top">anchor</a></p>',
      ),
      '<p><a href="/2019/04/trip/">trip</a> <a href="/about/?x=1#team">team</a> <a href="mailto:desk@example.org">mail</a> click data anchor</p>',
    );
  });

  it('collapses white space like a browser, outside preformatted text', () => {
    const result = htmlToDoc(
      '<div>\n  <span>Lots   of\n\tspace </span> <b> here </b>\n</div><p>&nbsp;</p><p>   </p><pre>\n  keep   this\n    indented</pre>',
    );
    assert.equal(rendered(result), '<p>Lots of space <strong>here</strong></p><pre><code>  keep   this\n    indented</code></pre>');
  });

  it('keeps non-breaking spaces inside text', () => {
    assert.equal(html('<p>10&nbsp;km</p>'), '<p>10\u00a0km</p>');
  });

  it('turns preformatted text into a code block without marks', () => {
    const result = htmlToDoc('<pre><code class="language-js">if (a &lt; b) {\n  <b>go</b>();\n}</code></pre>');
    assert.deepEqual(result.doc.content, [{ type: 'codeBlock', content: [{ type: 'text', text: 'if (a < b) {\n  go();\n}' }] }]);
    assert.equal(rendered(result), '<pre><code>if (a &lt; b) {\n  go();\n}</code></pre>');
  });

  it('keeps quotes and lists, nested lists, list starts, and lists written straight inside lists', () => {
    assert.equal(
      html(
        '<blockquote><p>We won.</p>Said the captain</blockquote><ul><li>Kit<ul><li>Boots</li></ul></li><li><p>Water</p></li><ol><li>inner</li></ol></ul><ol start="4"><li>fourth</li><li></li></ol>',
      ),
      '<blockquote><p>We won.</p><p>Said the captain</p></blockquote>' +
        '<ul><li><p>Kit</p><ul><li><p>Boots</p></li></ul></li><li><p>Water</p><ol><li><p>inner</p></li></ol></li></ul><ol start="4"><li><p>fourth</p></li></ol>',
    );
  });

  it('starts every list item with a paragraph', () => {
    const result = htmlToDoc('<ul><li><h3>Heading item</h3></li><li><img src="/a.jpg" alt="A"></li></ul>');
    const items = result.doc.content![0]!.content!;
    assert.equal(items[0]!.content![0]!.type, 'paragraph');
    assert.equal(items[1]!.content![0]!.type, 'paragraph');
    assert.equal(items[1]!.content![1]!.type, 'figure');
  });

  it('splits a paragraph around a picture, and lists every picture once', () => {
    const result = htmlToDoc(
      '<p>Before <img src="https://old.example.org/up/owl.jpg" alt="An  owl" class="wp-image-31"> after <img src="https://old.example.org/up/owl.jpg" alt="again"></p>',
    );
    assert.equal(rendered(result), '<p>Before</p><figure>An owl|</figure><p>after</p><figure>again|</figure>');
    assert.deepEqual(result.doc.content![1], {
      type: 'figure',
      attrs: { mediaId: '', src: 'https://old.example.org/up/owl.jpg', alt: 'An owl', caption: '', creditCreator: '', creditSource: '' },
    });
    assert.deepEqual(result.pictures, [{ url: 'https://old.example.org/up/owl.jpg', alt: 'An owl', caption: '', sourceId: '31' }]);
  });

  it('reads <figure> with its caption as plain text, lazy-loaded pictures, and galleries one picture after another', () => {
    const result = htmlToDoc(
      '<figure><a href="/big.jpg"><img src="/small.jpg" alt="Stage"></a><figcaption>The <em>school</em> play</figcaption></figure>' +
        '<img src="data:image/gif;base64,R0lGOD" data-src="/lazy.jpg" alt="Lazy">' +
        '<figure class="gallery"><figure><img src="/g1.jpg" alt="One"><figcaption>First</figcaption></figure><figure><img src="/g2.jpg" alt="Two"></figure><figcaption>Sports day</figcaption></figure>',
    );
    assert.equal(
      rendered(result),
      '<figure>Stage|The school play</figure><figure>Lazy|</figure><figure>One|First</figure><figure>Two|</figure><p>Sports day</p>',
    );
    assert.deepEqual(
      result.pictures.map((p) => p.url),
      ['/small.jpg', '/lazy.jpg', '/g1.jpg', '/g2.jpg'],
    );
    assert.ok(result.warnings.some((w) => w.includes('gallery of 2 pictures')));
  });

  it('leaves out pictures without a usable address, saying so', () => {
    const result = htmlToDoc(
      '<p>Text</p><img src="data:image/png;base64,AAAA" alt="inline"><img alt="nothing"><img src="javascript:alert(1)">',
    );
    assert.equal(rendered(result), '<p>Text</p>');
    assert.deepEqual(result.pictures, []);
    assert.equal(result.warnings.length, 2);
  });

  it('unwraps div, span and unknown elements, keeping their text', () => {
    assert.equal(
      html('<section><div class="x"><span style="color:red">Red</span> <u>under</u> <blink>old</blink><sup>2</sup></div></section>'),
      '<p>Red under old2</p>',
    );
  });

  it('turns a table into one paragraph per row, with a warning', () => {
    const result = htmlToDoc(
      '<table><caption>Scores</caption><thead><tr><th>Team</th><th>Points</th></tr></thead><tbody><tr><td><b>Owls</b></td><td>12</td></tr><tr><td></td><td></td></tr></tbody></table>',
    );
    assert.equal(rendered(result), '<p>Scores</p><p>Team | Points</p><p><strong>Owls</strong> | 12</p>');
    assert.equal(result.warnings.length, 1);
    assert.match(result.warnings[0]!, /table/);
  });

  it('drops scripts, styles, forms and unknown frames; keeps a known video frame as a link with a warning', () => {
    const result = htmlToDoc(
      '<p>Hi<script>alert(1)</script></p><style>p { color: red }</style><form action="/x"><input name="q"><button>Go</button></form>' +
        '<iframe src="https://ads.example.net/frame"></iframe><iframe src="https://www.youtube.com/embed/dQw4w9WgXcQ?rel=0"></iframe>' +
        '<object data="/flash.swf"></object><video src="/clip.mp4"></video>',
    );
    assert.equal(
      rendered(result),
      '<p>Hi</p><p><a href="https://www.youtube.com/watch?v=dQw4w9WgXcQ" rel="noopener noreferrer nofollow">https://www.youtube.com/watch?v=dQw4w9WgXcQ</a></p><p><a href="/clip.mp4">/clip.mp4</a></p>',
    );
    assert.ok(result.warnings.some((w) => w.startsWith('A video from YouTube was kept as a link')));
    assert.ok(result.warnings.some((w) => w.includes('ads.example.net')));
    assert.ok(result.warnings.some((w) => w.includes('form')));
    assert.ok(result.warnings.some((w) => w.startsWith('A video file was kept as a link')));
  });

  it('reads Ghost’s HTML cards: bookmarks as links, embeds with their captions, galleries picture by picture', () => {
    const result = htmlToDoc(
      '<figure class="kg-card kg-bookmark-card"><a class="kg-bookmark-container" href="https://example.org/recipes"><div class="kg-bookmark-content">' +
        '<div class="kg-bookmark-title">Easy recipes</div><div class="kg-bookmark-description">Long text</div><img class="kg-bookmark-icon" src="https://example.org/icon.png" alt=""></div>' +
        '<div class="kg-bookmark-thumbnail"><img src="https://example.org/thumb.jpg" alt=""></div></a></figure>' +
        '<figure class="kg-card kg-embed-card"><iframe src="https://player.vimeo.com/video/555"></iframe><figcaption>Our short film</figcaption></figure>' +
        '<figure class="kg-card kg-gallery-card"><div class="kg-gallery-container"><div class="kg-gallery-row"><div class="kg-gallery-image"><img src="/content/images/1.jpg" alt="Left"></div>' +
        '<div class="kg-gallery-image"><img src="/content/images/2.jpg" alt="Right"></div></div></div><figcaption>Both sides</figcaption></figure>',
    );
    assert.equal(
      rendered(result),
      '<p><a href="https://example.org/recipes" rel="noopener noreferrer nofollow">Easy recipes</a></p>' +
        '<p><a href="https://vimeo.com/555" rel="noopener noreferrer nofollow">https://vimeo.com/555</a></p><p>Our short film</p>' +
        '<figure>Left|</figure><figure>Right|</figure><p>Both sides</p>',
    );
    assert.deepEqual(
      result.pictures.map((p) => p.url),
      ['/content/images/1.jpg', '/content/images/2.jpg'],
    );
  });

  it('turns blank-line paragraphs and single newlines into paragraphs and line breaks with autop', () => {
    const result = htmlToDoc(
      'First para\nstill first<br />\nafter a break\n\n<strong>Second</strong> para\n<ul>\n<li>one\ntwo</li>\n</ul>\n<pre>a\n\nb</pre>',
      { autop: true },
    );
    assert.equal(
      rendered(result),
      '<p>First para<br>still first<br>after a break</p><p><strong>Second</strong> para</p><ul><li><p>one two</p></li></ul><pre><code>a\n\nb</code></pre>',
    );
  });

  it('never gives an empty document for input with something in it', () => {
    const result = htmlToDoc('<script>only()</script>');
    assert.equal(result.doc.content!.length, 1);
    assert.match(rendered(result), /Nothing in this text could be carried over/);
    assert.deepEqual(htmlToDoc('  \n ').doc, { type: 'doc', content: [] });
    assert.deepEqual(htmlToDoc('<!-- just a comment -->').doc, { type: 'doc', content: [] });
  });

  it('gives a safe document for hostile markup', () => {
    const result = htmlToDoc(
      '<p onclick="evil()">Hi <img src=x onerror="alert(1)" alt="x"><a href=" JAVASCRIPT:alert(1)">go</a><a href="&#106;avascript:alert(1)">go2</a></p>' +
        '<svg><script>alert(2)</script></svg><math><mi>x</mi></math><a href="vbscript:x">vb</a><p style="background:url(javascript:x)">styled</p>',
    );
    const out = rendered(result);
    assert.equal(out, '<p>Hi</p><figure>x|</figure><p>gogo2</p><p>vb</p><p>styled</p>');
    assert.doesNotMatch(JSON.stringify(result.doc), /onerror|onclick|javascript|vbscript|background/i);
  });

  it('flattens markup nested beyond the depth limit instead of refusing it', () => {
    const levels = MAX_DOC_DEPTH * 3;
    const quotes = htmlToDoc(`${'<blockquote>'.repeat(levels)}deep words${'</blockquote>'.repeat(levels)}`);
    assert.ok(depthOf(quotes.doc) <= MAX_DOC_DEPTH);
    assert.match(rendered(quotes), /deep words/);
    const lists = htmlToDoc(`${'<ul><li>level'.repeat(levels)}${'</li></ul>'.repeat(levels)}`);
    assert.ok(depthOf(lists.doc) <= MAX_DOC_DEPTH);
    assert.equal(rendered(lists).match(/level/g)?.length, levels);
    const divs = htmlToDoc(`${'<div>'.repeat(100_000)}at the bottom${'</div>'.repeat(100_000)}`);
    assert.equal(rendered(divs), '<p>at the bottom</p>');
    assert.ok(divs.warnings.some((w) => w.includes('deeply nested')));
    const spans = htmlToDoc(`${'<span><b>'.repeat(5000)}very deep${'</b></span>'.repeat(5000)}`);
    assert.equal(rendered(spans), '<p>very deep</p>');
  });
});
