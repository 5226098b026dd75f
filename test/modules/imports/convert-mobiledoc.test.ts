import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_DOC_DEPTH } from '../../../src/lib/rich-text.js';
import { mobiledocToDoc } from '../../../src/modules/imports/convert/index.js';
import { rendered } from './convert-helpers.js';

const mobiledoc = (sections: unknown[], extra: { markups?: unknown[]; atoms?: unknown[]; cards?: unknown[] } = {}) => ({
  version: '0.3.1',
  markups: extra.markups ?? [],
  atoms: extra.atoms ?? [],
  cards: extra.cards ?? [],
  sections,
});

/** A document of card sections only, one for each card in turn. */
const cardsOnly = (cards: unknown[]) =>
  mobiledoc(
    cards.map((_, i) => [10, i]),
    { cards },
  );

describe('Ghost mobiledoc into the document', () => {
  it('reads markup sections, markups (nested, opened and closed by count), soft returns and list sections', () => {
    const doc = mobiledoc(
      [
        [1, 'h1', [[0, [], 0, 'Bike week']]],
        [1, 'h2', [[0, [], 0, 'Monday']]],
        [1, 'h4', [[0, [], 0, 'Details']]],
        [
          1,
          'p',
          [
            [0, [0], 0, 'Ride '],
            [0, [1, 2], 2, 'to school'],
            [0, [], 1, ' safely'],
            [1, [], 0, 0],
            [0, [3], 1, 'helmets on'],
          ],
        ],
        [1, 'blockquote', [[0, [], 0, 'Pedal on.']]],
        [1, 'aside', [[0, [], 0, 'A softer quote.']]],
        [3, 'ul', [[[0, [], 0, 'lights']], [[0, [4], 1, 'bell']]]],
        [3, 'ol', [[[0, [], 0, 'check tyres']], [[0, [], 0, '   ']]]],
        [1, 'p', []],
      ],
      {
        markups: [['strong'], ['a', ['href', 'https://old.example.org/routes/', 'rel', 'noopener']], ['em'], ['code'], ['s']],
        atoms: [['soft-return', '', {}]],
      },
    );
    const result = mobiledocToDoc(JSON.stringify(doc), { siteUrl: 'https://old.example.org' });
    assert.equal(
      rendered(result),
      '<h2>Bike week</h2><h2>Monday</h2><h3>Details</h3>' +
        '<p><strong>Ride </strong><a href="/routes/"><em><strong>to school</strong></em></a><strong> safely</strong><br><code>helmets on</code></p>' +
        '<blockquote><p>Pedal on.</p></blockquote><blockquote><p>A softer quote.</p></blockquote>' +
        '<ul><li><p>lights</p></li><li><p><s>bell</s></p></li></ul><ol><li><p>check tyres</p></li></ol>',
    );
    assert.deepEqual(result.warnings, []);
  });

  it('keeps image cards as pictures with plain-text captions, and image sections', () => {
    const result = mobiledocToDoc(
      mobiledoc(
        [
          [10, 0],
          [2, 'https://old.example.org/content/images/2022/06/pond.jpg'],
        ],
        {
          cards: [
            [
              'image',
              { src: '/content/images/2022/06/frog.jpg', alt: 'A frog', caption: 'Found in the <a href="/pond">pond</a> &amp; garden' },
            ],
          ],
        },
      ),
    );
    assert.equal(rendered(result), '<figure>A frog|Found in the pond & garden</figure><figure>|</figure>');
    assert.deepEqual(result.pictures, [
      { url: '/content/images/2022/06/frog.jpg', alt: 'A frog', caption: 'Found in the pond & garden' },
      { url: 'https://old.example.org/content/images/2022/06/pond.jpg', alt: '', caption: '' },
    ]);
  });

  it('converts html, markdown, code and hr cards', () => {
    const markdown = [
      '# Kit list',
      '',
      'Bring **water**, _snacks_ and a [map](https://example.org/map "Map").',
      'A second line.',
      '',
      '- tent',
      '- stove',
      '  - gas',
      '',
      '1. pack',
      '2. go',
      '',
      '> Leave no trace.',
      '',
      '```',
      'tent <pegs> x 8',
      '```',
      '',
      '---',
      '',
      'Use `code` and ~~not this~~ and \\*stars\\*.',
    ].join('\n');
    const result = mobiledocToDoc(
      cardsOnly([
        ['html', { html: '<p>From <b>HTML</b></p><script>alert(1)</script>' }],
        ['markdown', { markdown }],
        ['code', { code: 'let a = 1 < 2;\nshout();', language: 'js', caption: 'The code' }],
        ['hr', {}],
      ]),
    );
    assert.equal(
      rendered(result),
      '<p>From <strong>HTML</strong></p>' +
        '<h2>Kit list</h2><p>Bring <strong>water</strong>, <em>snacks</em> and a <a href="https://example.org/map" rel="noopener noreferrer nofollow">map</a>. A second line.</p>' +
        '<ul><li><p>tent</p></li><li><p>stove</p><ul><li><p>gas</p></li></ul></li></ul><ol><li><p>pack</p></li><li><p>go</p></li></ol>' +
        '<blockquote><p>Leave no trace.</p></blockquote><pre><code>tent &lt;pegs&gt; x 8</code></pre><hr>' +
        '<p>Use <code>code</code> and <s>not this</s> and *stars*.</p>' +
        '<pre><code>let a = 1 &lt; 2;\nshout();</code></pre><p>The code</p><hr>',
    );
  });

  it('leaves addresses in Markdown links alone: underscores, stars and parentheses', () => {
    const result = mobiledocToDoc(
      cardsOnly([['markdown', { markdown: 'See [the *rules*](https://example.org/a_b_c_(d)) and <https://example.org/x_y_z>.' }]]),
    );
    assert.equal(
      rendered(result),
      '<p>See <a href="https://example.org/a_b_c_(d)" rel="noopener noreferrer nofollow">the </a>' +
        '<a href="https://example.org/a_b_c_(d)" rel="noopener noreferrer nofollow"><em>rules</em></a> and ' +
        '<a href="https://example.org/x_y_z" rel="noopener noreferrer nofollow">https://example.org/x_y_z</a>.</p>',
    );
  });

  it('keeps embeds, bookmarks and buttons as links, galleries as pictures, and other cards as notes, each with a warning', () => {
    const result = mobiledocToDoc(
      cardsOnly([
        [
          'embed',
          {
            url: 'https://vimeo.com/1234567',
            html: '<iframe src="https://player.vimeo.com/video/1234567"></iframe>',
            caption: 'Our film',
          },
        ],
        ['bookmark', { url: 'https://example.org/guide', metadata: { title: 'A guide to ponds', description: 'Long' } }],
        [
          'gallery',
          {
            images: [{ src: '/content/images/g1.jpg', alt: 'One', caption: '<i>first</i>' }, { src: '/content/images/g2.jpg' }],
            caption: 'Pond life',
          },
        ],
        ['button', { buttonText: 'Join the club', buttonUrl: 'https://example.org/join' }],
        ['paywall', {}],
        ['email-cta', { html: '<p>Subscribe</p>' }],
      ]),
    );
    assert.equal(
      rendered(result),
      '<p><a href="https://vimeo.com/1234567" rel="noopener noreferrer nofollow">https://vimeo.com/1234567</a></p><p>Our film</p>' +
        '<p><a href="https://example.org/guide" rel="noopener noreferrer nofollow">A guide to ponds</a></p>' +
        '<figure>One|first</figure><figure>|</figure><p>Pond life</p>' +
        '<p><a href="https://example.org/join" rel="noopener noreferrer nofollow">Join the club</a></p>' +
        '<p>[The old site had a “email cta” card here — add it again if it is still wanted]</p>',
    );
    assert.equal(result.warnings.length, 6);
    assert.ok(result.warnings.some((w) => w.includes('members-only')));
  });

  it('says so instead of giving nothing for unreadable input, and gives an empty document for an empty post', () => {
    const broken = mobiledocToDoc('{not json');
    assert.match(rendered(broken), /Nothing in this text could be carried over/);
    assert.ok(broken.warnings.some((w) => w.includes('could not be read')));
    assert.deepEqual(mobiledocToDoc(mobiledoc([[1, 'p', []]])).doc, { type: 'doc', content: [] });
  });

  it('gives a safe document for hostile input', () => {
    const deep = `${'> '.repeat(MAX_DOC_DEPTH * 2)}deep`;
    const result = mobiledocToDoc(
      mobiledoc(
        [
          [1, 'p', [[0, [0], 1, 'click']]],
          [1, 'script', [[0, [], 0, '<script>alert(1)</script>']]],
          [10, 0],
          [10, 1],
          [10, 7],
          [99, 'x'],
        ],
        {
          markups: [['a', ['href', 'javascript:alert(1)']]],
          cards: [
            ['html', { html: '<img src=x onerror=alert(1) alt="x"><a href="javascript:void(0)">go</a>' }],
            ['markdown', { markdown: `[bad](javascript:alert(1)) ![pic](javascript:x)\n\n${deep}` }],
          ],
        },
      ),
    );
    const out = rendered(result);
    assert.match(out, /^<p>click<\/p><p>&lt;script&gt;alert\(1\)&lt;\/script&gt;<\/p><figure>x\|<\/figure><p>go<\/p><p>bad<\/p>/);
    assert.match(out, /deep/);
    assert.doesNotMatch(JSON.stringify(result.doc), /javascript|onerror/);
  });
});
