import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_DOC_DEPTH } from '../../../src/lib/rich-text.js';
import { wordpressToDoc } from '../../../src/modules/imports/convert/index.js';
import { rendered, SITE } from './convert-helpers.js';

const wp = (content: string) => wordpressToDoc(content, { siteUrl: SITE });

describe('WordPress classic content', () => {
  it('makes paragraphs of blank lines and line breaks of single newlines, but not inside lists or preformatted text', () => {
    const result = wp(
      'The allotment club met on Tuesday.\nEveryone brought seeds.\n\nWe planted <em>beans</em>.<br />\nThen it rained.\n\n<ul>\n<li>Beans\n</li>\n<li>Peas</li>\n</ul>\n\n<pre>row 1\n\nrow 2</pre>\n\n<h2>Next time</h2>\nBring gloves.',
    );
    assert.equal(
      rendered(result),
      '<p>The allotment club met on Tuesday.<br>Everyone brought seeds.</p><p>We planted <em>beans</em>.<br>Then it rained.</p>' +
        '<ul><li><p>Beans</p></li><li><p>Peas</p></li></ul><pre><code>row 1\n\nrow 2</code></pre><h2>Next time</h2><p>Bring gloves.</p>',
    );
    assert.deepEqual(result.warnings, []);
  });

  it('turns a [caption] shortcode into a picture with its caption as plain text', () => {
    const result = wp(
      'Our stall.\n\n[caption id="attachment_44" align="aligncenter" width="640"]<a href="https://old.example.org/wp-content/uploads/2021/05/stall.jpg"><img class="size-large wp-image-44" src="https://old.example.org/wp-content/uploads/2021/05/stall-640x480.jpg" alt="A stall of jam jars" width="640" height="480" /></a> Jam by <strong>Year 9</strong>[/caption]\n\nSold out by noon.',
    );
    assert.equal(rendered(result), '<p>Our stall.</p><figure>A stall of jam jars|Jam by Year 9</figure><p>Sold out by noon.</p>');
    assert.deepEqual(result.doc.content![1]!.attrs, {
      mediaId: '',
      src: 'https://old.example.org/wp-content/uploads/2021/05/stall-640x480.jpg',
      alt: 'A stall of jam jars',
      caption: 'Jam by Year 9',
      creditCreator: '',
      creditSource: '',
    });
    assert.deepEqual(result.pictures, [
      {
        url: 'https://old.example.org/wp-content/uploads/2021/05/stall-640x480.jpg',
        alt: 'A stall of jam jars',
        caption: 'Jam by Year 9',
        sourceId: '44',
      },
    ]);
  });

  it('reads the older caption="…" form of [caption]', () => {
    assert.equal(
      rendered(wp('[caption caption="Fog on the hill" width="300"]<img src="/wp-content/uploads/fog.jpg" alt="Fog">[/caption]')),
      '<figure>Fog|Fog on the hill</figure>',
    );
  });

  it('keeps [gallery], [audio], [playlist] and unknown shortcodes as visible notes, each with a warning', () => {
    const result = wp(
      '[gallery ids="12,15,19" columns="3"]\n\n[playlist ids="3"]\n\n[contact-form-7 id="5" title="Write to us"]\n\n[pullquote]Words matter[/pullquote]',
    );
    assert.equal(
      rendered(result),
      '<p>[Gallery from the old site: pictures 12, 15 and 19 — add them again in the editor]</p>' +
        '<p>[Playlist from the old site: files 3 — add it again in the editor]</p>' +
        '<p>[Shortcode from the old site: [contact-form-7 id=&quot;5&quot; title=&quot;Write to us&quot;] — check what it showed there and redo it here]</p>' +
        '<p>[Shortcode from the old site: [pullquote] — check what it showed there and redo it here]</p><p>Words matter</p>',
    );
    assert.equal(result.warnings.length, 4);
    assert.ok(result.warnings[0]!.includes('12, 15 and 19'));
  });

  it('shows a [gallery] as its pictures when the export has every one of them, with a warning', () => {
    const attachments = new Map([
      ['12', { url: `${SITE}/wp-content/uploads/2020/05/kiln.jpg`, alt: 'The school kiln', caption: 'Fired at last' }],
      ['15', { url: `${SITE}/wp-content/uploads/2020/05/bowls.jpg`, alt: 'Six bowls', caption: '' }],
    ]);
    const result = wordpressToDoc('Our pottery week:\n\n[gallery ids="12, 15" columns="2"]', {
      siteUrl: SITE,
      attachment: (id) => attachments.get(id),
    });
    assert.deepEqual(
      result.pictures.map((p) => [p.url, p.alt, p.caption]),
      [
        [`${SITE}/wp-content/uploads/2020/05/kiln.jpg`, 'The school kiln', 'Fired at last'],
        [`${SITE}/wp-content/uploads/2020/05/bowls.jpg`, 'Six bowls', ''],
      ],
    );
    assert.equal(result.doc.content?.filter((n) => n.type === 'figure').length, 2);
    assert.deepEqual(result.warnings, ['A gallery (pictures 12 and 15 on the old site) is shown as its pictures one after another.']);
    // One picture the export does not have: the whole gallery stays a note.
    const partial = wordpressToDoc('[gallery ids="12,99"]', { siteUrl: SITE, attachment: (id) => attachments.get(id) });
    assert.match(rendered(partial), /\[Gallery from the old site: pictures 12 and 99/);
  });

  it('leaves words in brackets and escaped shortcodes as text, and shortcodes inside <pre> alone', () => {
    assert.equal(
      rendered(
        wp('The mayor [sic] said so. [Update: she did not.]\n\nWrite [[gallery]] to show a gallery.\n\n<pre>[gallery ids="1"]</pre>'),
      ),
      '<p>The mayor [sic] said so. [Update: she did not.]</p><p>Write [gallery] to show a gallery.</p><pre><code>[gallery ids=&quot;1&quot;]</code></pre>',
    );
  });

  it('keeps [embed], [video] and bare video or post addresses on their own line as link paragraphs with warnings', () => {
    const result = wp(
      'Watch this:\n\nhttps://www.youtube.com/watch?v=a1b2c3d4e5f\n\n[embed]https://vimeo.com/76979871[/embed]\n\n[video src="https://old.example.org/wp-content/uploads/match.mp4"]\n\nhttps://twitter.com/example/status/123\n\nSee https://www.youtube.com/watch?v=zzz in the text.',
    );
    assert.equal(
      rendered(result),
      '<p>Watch this:</p>' +
        '<p><a href="https://www.youtube.com/watch?v=a1b2c3d4e5f" rel="noopener noreferrer nofollow">https://www.youtube.com/watch?v=a1b2c3d4e5f</a></p>' +
        '<p><a href="https://vimeo.com/76979871" rel="noopener noreferrer nofollow">https://vimeo.com/76979871</a></p>' +
        '<p><a href="/wp-content/uploads/match.mp4">/wp-content/uploads/match.mp4</a></p>' +
        '<p><a href="https://twitter.com/example/status/123" rel="noopener noreferrer nofollow">https://twitter.com/example/status/123</a></p>' +
        '<p>See https://www.youtube.com/watch?v=zzz in the text.</p>',
    );
    assert.equal(result.warnings.length, 4);
  });

  it('makes links to the old site relative', () => {
    assert.equal(
      rendered(wp('See <a href="https://old.example.org/2020/01/05/fair/">the fair</a>.')),
      '<p>See <a href="/2020/01/05/fair/">the fair</a>.</p>',
    );
  });
});

const BLOCKS = `<!-- wp:paragraph -->
<p>The <strong>debate club</strong> went to the <a href="https://old.example.org/tag/finals/">finals</a>.</p>
<!-- /wp:paragraph -->

<!-- wp:heading {"level":1} -->
<h1>How it went</h1>
<!-- /wp:heading -->

<!-- wp:heading {"level":5} -->
<h5>Round one</h5>
<!-- /wp:heading -->

<!-- wp:image {"id":88,"sizeSlug":"large","linkDestination":"none"} -->
<figure class="wp-block-image size-large"><img src="https://old.example.org/wp-content/uploads/2023/03/podium.jpg" alt="Four students on a stage" class="wp-image-88"/><figcaption class="wp-element-caption">On stage, <em>nervous</em></figcaption></figure>
<!-- /wp:image -->

<!-- wp:list -->
<ul><!-- wp:list-item -->
<li>Prepare</li>
<!-- /wp:list-item -->

<!-- wp:list-item -->
<li>Argue<!-- wp:list {"ordered":true} -->
<ol><!-- wp:list-item -->
<li>calmly</li>
<!-- /wp:list-item --></ol>
<!-- /wp:list --></li>
<!-- /wp:list-item --></ul>
<!-- /wp:list -->

<!-- wp:quote -->
<blockquote class="wp-block-quote"><!-- wp:paragraph -->
<p>Listen first.</p>
<!-- /wp:paragraph --><cite>Our coach</cite></blockquote>
<!-- /wp:quote -->

<!-- wp:preformatted -->
<pre class="wp-block-preformatted">Score:  3
Them:   2</pre>
<!-- /wp:preformatted -->

<!-- wp:code -->
<pre class="wp-block-code"><code>print("&lt;win&gt;")</code></pre>
<!-- /wp:code -->

<!-- wp:separator -->
<hr class="wp-block-separator has-alpha-channel-opacity"/>
<!-- /wp:separator -->

<!-- wp:more -->
<!--more-->
<!-- /wp:more -->

<!-- wp:embed {"url":"https://www.youtube.com/watch?v=q1w2e3r4t5y","type":"video","providerNameSlug":"youtube"} -->
<figure class="wp-block-embed is-type-video is-provider-youtube wp-block-embed-youtube"><div class="wp-block-embed__wrapper">
https://www.youtube.com/watch?v=q1w2e3r4t5y
</div><figcaption class="wp-element-caption">The final, filmed by a parent</figcaption></figure>
<!-- /wp:embed -->

<!-- wp:gallery {"linkTo":"none"} -->
<figure class="wp-block-gallery has-nested-images columns-default is-cropped"><!-- wp:image {"id":90} -->
<figure class="wp-block-image size-large"><img src="/wp-content/uploads/2023/03/cup.jpg" alt="The cup" class="wp-image-90"/><figcaption class="wp-element-caption">Shiny</figcaption></figure>
<!-- /wp:image -->

<!-- wp:image {"id":91} -->
<figure class="wp-block-image size-large"><img src="/wp-content/uploads/2023/03/bus.jpg" alt="The bus home" class="wp-image-91"/></figure>
<!-- /wp:image --><figcaption class="blocks-gallery-caption wp-element-caption">The day out</figcaption></figure>
<!-- /wp:gallery -->

<!-- wp:html -->
<div class="box">Raw <b>HTML</b><script>track()</script><iframe src="https://tracker.example.net/x"></iframe></div>
<!-- /wp:html -->

<!-- wp:latest-posts {"postsToShow":3} /-->

<!-- wp:block {"ref":321} /-->

<!-- wp:acme/fancy-box -->
<div class="wp-block-acme-fancy-box"><p>Inside a plugin block</p></div>
<!-- /wp:acme/fancy-box -->`;

describe('WordPress block content', () => {
  it('understands the core blocks and keeps what it cannot carry over as notes and links', () => {
    const result = wp(BLOCKS);
    assert.equal(
      rendered(result),
      '<p>The <strong>debate club</strong> went to the <a href="/tag/finals/">finals</a>.</p>' +
        '<h2>How it went</h2><h3>Round one</h3>' +
        '<figure>Four students on a stage|On stage, nervous</figure>' +
        '<ul><li><p>Prepare</p></li><li><p>Argue</p><ol><li><p>calmly</p></li></ol></li></ul>' +
        '<blockquote><p>Listen first.</p><p><em>Our coach</em></p></blockquote>' +
        '<pre><code>Score:  3\nThem:   2</code></pre>' +
        '<pre><code>print(&quot;&lt;win&gt;&quot;)</code></pre>' +
        '<hr>' +
        '<p><a href="https://www.youtube.com/watch?v=q1w2e3r4t5y" rel="noopener noreferrer nofollow">https://www.youtube.com/watch?v=q1w2e3r4t5y</a></p>' +
        '<p>The final, filmed by a parent</p>' +
        '<figure>The cup|Shiny</figure><figure>The bus home|</figure><p>The day out</p>' +
        '<p>Raw <strong>HTML</strong></p>' +
        '<p>[The old site showed a “latest posts” block here — add something like it again if it is still wanted]</p>' +
        '<p>[Reusable block #321 from the old site — add its content again in the editor]</p>' +
        '<p>Inside a plugin block</p>',
    );
    assert.deepEqual(
      result.pictures.map((p) => [p.url, p.sourceId]),
      [
        ['https://old.example.org/wp-content/uploads/2023/03/podium.jpg', '88'],
        ['/wp-content/uploads/2023/03/cup.jpg', '90'],
        ['/wp-content/uploads/2023/03/bus.jpg', '91'],
      ],
    );
    const warnings = result.warnings.join('\n');
    assert.match(warnings, /A video from YouTube was kept as a link/);
    assert.match(warnings, /latest posts/);
    assert.match(warnings, /reusable block \(#321\)/);
    assert.match(warnings, /tracker\.example\.net/);
  });

  it('does not add line breaks inside blocks, but reads classic HTML between blocks as classic content', () => {
    const result = wp('<!-- wp:paragraph -->\n<p>One\nline</p>\n<!-- /wp:paragraph -->\n\nLoose text\nwith a break\n\nand a paragraph');
    assert.equal(rendered(result), '<p>One line</p><p>Loose text<br>with a break</p><p>and a paragraph</p>');
  });

  it('takes an old-style gallery (a list of figures) picture by picture', () => {
    const result = wp(
      '<!-- wp:gallery {"ids":[5,6]} -->\n<ul class="wp-block-gallery columns-2"><li class="blocks-gallery-item"><figure><img src="/up/a.jpg" alt="A" data-id="5"/></figure></li><li class="blocks-gallery-item"><figure><img src="/up/b.jpg" alt="B" data-id="6"/><figcaption>Bee</figcaption></figure></li></ul>\n<!-- /wp:gallery -->',
    );
    assert.equal(rendered(result), '<figure>A|</figure><figure>B|Bee</figure>');
    assert.deepEqual(
      result.pictures.map((p) => p.sourceId),
      ['5', '6'],
    );
  });

  it('survives unclosed and unreadable block comments', () => {
    const result = wp(
      '<!-- wp:paragraph {"broken": -->\n<p>Still here</p>\n<!-- wp:quote -->\n<blockquote><p>Never closed</p></blockquote>',
    );
    assert.equal(rendered(result), '<p>Still here</p><blockquote><p>Never closed</p></blockquote>');
  });

  it('gives a safe document for hostile content', () => {
    const levels = MAX_DOC_DEPTH * 2;
    const result = wp(
      `<!-- wp:html -->\n<a href="javascript:alert(1)" onclick="x()">click</a><img src="/a.jpg" onerror="alert(1)" alt="a">\n<!-- /wp:html -->\n\n` +
        `[caption]<img src="javascript:alert(1)" alt="bad">evil[/caption]\n\n${'<blockquote>'.repeat(levels)}deep${'</blockquote>'.repeat(levels)}`,
    );
    const out = rendered(result);
    assert.match(out, /^<p>click<\/p><figure>a\|<\/figure><p>evil<\/p>/);
    assert.match(out, /deep/);
    assert.doesNotMatch(JSON.stringify(result.doc), /javascript|onerror|onclick/);
  });
});
