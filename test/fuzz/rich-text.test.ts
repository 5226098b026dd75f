// Property-based fuzzing of the rich-text renderer, the sanitizer every stored
// document goes through on its way to HTML, and of the HTML importer in front of
// it. Whatever document it is given (valid-shaped or hostile: unknown node and
// mark types, script URLs spelt every way, quotes and angle brackets in
// attributes, deep nesting, huge text) it must not throw, and the HTML must be
// well-formed and hold only allowlisted elements, attributes and link targets.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { Parser } from 'htmlparser2';
import { MAX_DOC_DEPTH, parseRichDoc, renderRichText, richDocSchema, type RichNode } from '../../src/lib/rich-text.js';
import { BodyFigure } from '../../src/modules/articles/views/figure.js';
import { htmlToDoc, wordpressToDoc } from '../../src/modules/imports/convert/index.js';
import type { Picture } from '../../src/modules/media/index.js';
import { holds, hostileHref, hostileText, hugeText, XSS } from './arbitraries.js';
import { RICH_MARK_TYPES, RICH_NODE_TYPES } from '../../src/lib/rich-types.js';

const SITE = 'https://site.example/';
const MEDIA_ID = '00000000-0000-4000-8000-000000000001';

/** A stored picture as the article pages have it, so figures render through the real view. */
const PICTURE: Picture = {
  id: MEDIA_ID,
  width: 1200,
  height: 800,
  alt: 'Stored alt',
  caption: 'Stored caption',
  creditCreator: 'Stored creator',
  creditSource: 'Stored source',
  variants: [
    { format: 'avif', width: 480, file: 'a-480.avif' },
    { format: 'webp', width: 480, file: 'a-480.webp' },
    { format: 'jpeg', width: 960, file: 'a-960.jpg' },
  ] as Picture['variants'],
  original: 'a.jpg',
  private: false,
};

const render = (doc: unknown) =>
  renderRichText(doc as RichNode, {
    figure: (attrs) => (attrs.mediaId === MEDIA_ID ? BodyFigure({ picture: PICTURE, ...attrs }) : ''),
  });

// --- what the HTML may hold ---
const SIZES = /^[\w\s(),:.-]*$/;
const ALLOWED: Record<string, Record<string, (value: string) => boolean>> = {
  p: {},
  h2: {},
  h3: {},
  blockquote: {},
  ul: {},
  ol: { start: (v) => /^\d+$/.test(v) },
  li: {},
  br: {},
  hr: {},
  pre: {},
  code: {},
  strong: {},
  em: {},
  s: {},
  a: { href: isSafeHref, rel: (v) => v === 'noopener noreferrer nofollow' },
  figure: { class: (v) => v === 'body-figure' },
  picture: {},
  source: { type: (v) => /^image\/(avif|webp)$/.test(v), srcset: isMediaSrcset, sizes: (v) => SIZES.test(v) },
  img: {
    src: (v) => /^\/media\/[\w.-]+$/.test(v),
    srcset: isMediaSrcset,
    sizes: (v) => SIZES.test(v),
    width: (v) => /^\d+$/.test(v),
    height: (v) => /^\d+$/.test(v),
    alt: () => true,
    loading: (v) => v === 'lazy',
    decoding: (v) => v === 'async',
  },
  figcaption: {},
  span: { class: (v) => v === 'credit' },
};
const VOID = new Set(['br', 'hr', 'img', 'source']);

function isMediaSrcset(value: string): boolean {
  return value.split(', ').every((part) => /^\/media\/[\w.-]+ \d+w$/.test(part));
}

/** A link a browser follows to a web or mail address, or within this site: never a script, data or other-site-relative URL. */
function isSafeHref(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value, SITE);
  } catch {
    return false;
  }
  if (!['http:', 'https:', 'mailto:'].includes(url.protocol)) return false;
  // An address written as relative (no scheme of its own) must stay on this site.
  // As the URL parser reads it: control characters and spaces in front dropped, tabs and newlines anywhere.
  let start = 0;
  while (start < value.length && value.charCodeAt(start) <= 0x20) start++;
  const absolute = /^[a-z][a-z0-9+.-]*:/i.test(value.slice(start).replace(/[\t\n\r]/g, ''));
  return absolute || url.origin === new URL(SITE).origin;
}

/** Every problem with the HTML: elements or attributes off the allowlist, bad values, unclosed or misnested tags. */
function problemsOf(html: string): string[] {
  const problems: string[] = [];
  const stack: string[] = [];
  const parser = new Parser(
    {
      onopentag(name, attribs) {
        const allowed = ALLOWED[name];
        if (!allowed) problems.push(`element <${name}>`);
        if (name === 'a' && stack.includes('a')) problems.push('a link inside a link');
        for (const [attr, value] of Object.entries(attribs)) {
          const check = allowed?.[attr];
          if (!check) problems.push(`attribute ${attr}="${value.slice(0, 60)}" on <${name}>`);
          else if (!check(value)) problems.push(`value ${attr}="${value.slice(0, 60)}" on <${name}>`);
        }
        if (!VOID.has(name)) stack.push(name);
      },
      onclosetag(name, isImplied) {
        if (VOID.has(name)) return;
        if (isImplied) problems.push(`<${name}> closed by what follows it (misnested)`);
        const open = stack.pop();
        if (open !== name) problems.push(`</${name}> closes <${open ?? 'nothing'}>`);
      },
      oncomment: () => problems.push('a comment'),
      oncdatastart: () => problems.push('a CDATA section'),
      onprocessinginstruction: (name) => problems.push(`a declaration <${name}>`),
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: false, recognizeSelfClosing: false },
  );
  parser.write(html);
  // Unclosed elements show up as implied closes at the end.
  parser.end();
  if (stack.length) problems.push(`left open: ${stack.join(', ')}`);
  return problems;
}

function assertSafe(html: string, from: unknown): void {
  const problems = problemsOf(html);
  if (problems.length === 0) return;
  const shown = JSON.stringify(from)?.slice(0, 800);
  assert.fail(`unsafe or malformed HTML: ${problems.slice(0, 5).join('; ')}\nHTML: ${html.slice(0, 800)}\nfrom: ${shown}`);
}

// --- documents ---
const KNOWN_NODES = RICH_NODE_TYPES;
const HOSTILE_NODES = [
  'script',
  'iframe',
  'svg',
  'style',
  'object',
  'embed',
  'img',
  'a',
  'div',
  'math',
  '__proto__',
  'constructor',
  'toString',
  '',
];
const MARKS = [...RICH_MARK_TYPES, 'link', 'underline', 'script', 'highlight', '__proto__'];
const ATTR_NAMES = [
  'href',
  'level',
  'start',
  'mediaId',
  'alt',
  'caption',
  'creditCreator',
  'creditSource',
  'onclick',
  'onerror',
  'style',
  'src',
  'class',
  'target',
  'language',
  '__proto__',
];

const attrValue: fc.Arbitrary<unknown> = fc.oneof(
  hostileText,
  hostileHref,
  fc.constantFrom(MEDIA_ID, 'nope', 1, 2, 3, 4, 0, -1, 1.5, 1e21, Number.NaN, null, true),
  fc.integer(),
);
const attrs = fc.dictionary(fc.constantFrom(...ATTR_NAMES), attrValue, { maxKeys: 5 });
const mark = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({ type: fc.constantFrom(...MARKS), attrs: fc.record({ href: hostileHref }) }, { requiredKeys: ['type'] }),
  },
  { weight: 1, arbitrary: fc.record({ type: fc.constantFrom(...MARKS), attrs }) },
  { weight: 1, arbitrary: fc.constantFrom(null, 5, 'bold', [], { type: 5 }) },
);
const textNode = fc.record(
  { type: fc.constant('text'), text: hostileText, marks: fc.array(mark, { maxLength: 4 }) },
  { requiredKeys: ['type', 'text'] },
);

const { node: nodeArb } = fc.letrec<{ node: unknown }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    { weight: 5, arbitrary: textNode },
    {
      weight: 4,
      arbitrary: fc.record(
        {
          type: fc.oneof(
            { weight: 4, arbitrary: fc.constantFrom(...KNOWN_NODES) },
            { weight: 1, arbitrary: fc.constantFrom(...HOSTILE_NODES) },
          ),
          attrs,
          content: fc.array(tie('node'), { maxLength: 5 }),
          marks: fc.array(mark, { maxLength: 2 }),
          text: hostileText,
        },
        { requiredKeys: ['type'] },
      ),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        type: fc.constant('figure'),
        attrs: fc.record(
          {
            mediaId: fc.constantFrom(MEDIA_ID, 'x'),
            alt: hostileText,
            caption: hostileText,
            creditCreator: hostileText,
            creditSource: hostileText,
          },
          { requiredKeys: ['mediaId'] },
        ),
      }),
    },
    { weight: 1, arbitrary: fc.oneof(fc.constantFrom(null, undefined, 0, '', 'paragraph', [], {}), fc.anything({ maxDepth: 2 })) },
  ),
}));
const docArb = fc.record({ type: fc.constant('doc'), content: fc.array(nodeArb, { maxLength: 8 }) });

/** The kinds of node a deep chain is built of, how deep, and the text at the bottom (built inside the property, so a failure prints small). */
const deepChain = fc.tuple(
  fc.integer({ min: MAX_DOC_DEPTH - 3, max: 3000 }),
  fc.array(fc.constantFrom('blockquote', 'bulletList', 'listItem', 'paragraph', 'orderedList', 'script'), { minLength: 1, maxLength: 4 }),
  hostileText,
);
function deepDoc(depth: number, kinds: string[], text: string): { doc: unknown; json: string; depth: number } {
  let node: unknown = { type: 'text', text };
  for (let i = 0; i < depth; i++) node = { type: kinds[i % kinds.length], content: [node] };
  // Written out by hand: JSON.stringify runs out of stack thousands of levels down.
  const opening = Array.from({ length: depth }, (_, i) => `{"type":"${kinds[(depth - 1 - i) % kinds.length]}","content":[`).join('');
  const json = `{"type":"doc","content":[${opening}${JSON.stringify({ type: 'text', text })}${']}'.repeat(depth)}]}`;
  // How deep it nests, counting the doc and the text.
  return { doc: { type: 'doc', content: [node] }, json, depth: depth + 2 };
}

describe('the rich-text renderer, fuzzed', () => {
  it('renders any document, well-shaped or hostile, to well-formed allowlisted HTML without throwing', async () => {
    await holds(
      fc.property(docArb, (doc) => {
        assertSafe(render(doc), doc);
      }),
      600,
    );
  });

  it('renders whatever a JSON value is, not only documents', async () => {
    await holds(
      fc.property(fc.oneof(fc.anything(), nodeArb), (value) => {
        assertSafe(render(value), value);
      }),
      300,
    );
  });

  it('keeps only safe link targets whatever the spelling of the address', async () => {
    await holds(
      fc.property(hostileHref, hostileText, (href, text) => {
        const doc = {
          type: 'doc',
          content: [{ type: 'paragraph', content: [{ type: 'text', text, marks: [{ type: 'link', attrs: { href } }] }] }],
        };
        assertSafe(render(doc), doc);
      }),
      1000,
    );
  });

  it('survives deep nesting and huge text, and the saved-document check refuses what is too deep', async () => {
    await holds(
      fc.property(deepChain, ([levels, kinds, text]) => {
        const { doc, json, depth } = deepDoc(levels, kinds, text);
        assertSafe(render(doc), { depth });
        const parsed = parseRichDoc(json);
        assert.equal(parsed.ok, depth <= MAX_DOC_DEPTH, `a document ${depth} deep is ${depth <= MAX_DOC_DEPTH ? 'accepted' : 'refused'}`);
      }),
      40,
    );
    await holds(
      fc.property(hugeText, (text) => {
        const doc = { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text, marks: [{ type: 'bold' }] }] }] };
        assertSafe(render(doc), { text: text.slice(0, 100) });
      }),
      10,
    );
  });

  it('checks sent JSON without throwing, and what it accepts renders safely', async () => {
    await holds(
      fc.property(
        fc.oneof(
          docArb.map((d) => JSON.stringify(d)),
          hostileText,
          fc.json(),
        ),
        (json) => {
          const parsed = parseRichDoc(json);
          if (parsed.ok) assertSafe(render(parsed.doc), parsed.doc);
          else assert.equal(typeof parsed.message, 'string');
        },
      ),
      400,
    );
  });

  it(`renders every one of the ${XSS.length} XSS vectors as text, as a link and as picture text, harmlessly`, () => {
    for (const { payload } of XSS) {
      const doc = {
        type: 'doc',
        content: [
          {
            type: 'paragraph',
            attrs: { onclick: payload },
            content: [{ type: 'text', text: payload, marks: [{ type: 'link', attrs: { href: payload } }] }],
          },
          { type: 'heading', attrs: { level: payload }, content: [{ type: 'text', text: payload }] },
          { type: 'codeBlock', attrs: { language: payload }, content: [{ type: 'text', text: payload }] },
          { type: 'figure', attrs: { mediaId: MEDIA_ID, alt: payload, caption: payload, creditCreator: payload, creditSource: payload } },
          { type: payload, content: [{ type: 'text', text: payload }] },
        ],
      };
      assertSafe(render(doc), payload);
    }
  });
});

// --- the HTML importer in front of the renderer ---
const TAGS = [
  'p',
  'a',
  'b',
  'i',
  'em',
  'strong',
  'div',
  'span',
  'ul',
  'ol',
  'li',
  'blockquote',
  'h1',
  'h3',
  'h6',
  'pre',
  'code',
  'img',
  'figure',
  'figcaption',
  'table',
  'td',
  'tr',
  'iframe',
  'script',
  'style',
  'svg',
  'math',
  'object',
  'embed',
  'form',
  'textarea',
  'noscript',
  'template',
  'video',
  'br',
  'hr',
  'XSS',
  's',
];
const ATTRS = [
  'href',
  'src',
  'alt',
  'title',
  'style',
  'onerror',
  'onclick',
  'class',
  'srcset',
  'data-x',
  'xlink:href',
  'formaction',
  'start',
];
const htmlPiece: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...XSS.map((v) => v.payload)) },
  { weight: 3, arbitrary: hostileText },
  {
    weight: 4,
    arbitrary: fc
      .tuple(
        fc.constantFrom(...TAGS),
        fc.array(fc.tuple(fc.constantFrom(...ATTRS), fc.oneof(hostileText, hostileHref.map(String)), fc.constantFrom('"', "'", '')), {
          maxLength: 3,
        }),
        fc.boolean(),
      )
      .map(([tag, attributes, close]) => {
        const written = attributes
          .map(([name, value, quote]) => ` ${name}=${quote}${quote ? value.replaceAll(quote, '') : value.replace(/[\s>]/g, '')}${quote}`)
          .join('');
        return close ? `</${tag}>` : `<${tag}${written}>`;
      }),
  },
);
const htmlArb = fc.array(htmlPiece, { maxLength: 30 }).map((pieces) => pieces.join(''));

describe('the HTML importer, fuzzed', () => {
  it('turns any HTML into a document the save check accepts, which renders safely', async () => {
    await holds(
      fc.property(htmlArb, fc.boolean(), (html, autop) => {
        for (const converted of [
          htmlToDoc(html, { siteUrl: 'https://old.example.org', autop }),
          wordpressToDoc(html, { siteUrl: 'https://old.example.org' }),
        ]) {
          assert.equal(
            richDocSchema.safeParse(converted.doc).success,
            true,
            `the imported document passes the save check: ${html.slice(0, 300)}`,
          );
          // Pictures the import stores get a media id; this one stands for them.
          const stored = JSON.parse(JSON.stringify(converted.doc).replaceAll('"mediaId":""', `"mediaId":"${MEDIA_ID}"`)) as RichNode;
          assertSafe(render(stored), html);
        }
      }),
      400,
    );
  });

  it('imports deeply nested and huge HTML without throwing', async () => {
    await holds(
      fc.property(
        fc.constantFrom('div', 'blockquote', 'ul', 'li', 'b', 'a href="https://x.example/"', 'svg', 'table'),
        fc.integer({ min: 100, max: 5000 }),
        hostileText,
        (tag, depth, text) => {
          const name = tag.split(' ')[0];
          const html = `<${tag}>`.repeat(depth) + text + `</${name}>`.repeat(depth);
          const converted = htmlToDoc(html);
          assert.equal(richDocSchema.safeParse(converted.doc).success, true);
          assertSafe(render(converted.doc), { tag, depth });
        },
      ),
      20,
    );
  });

  it(`imports every one of the ${XSS.length} XSS vectors harmlessly`, () => {
    for (const { payload } of XSS) {
      const converted = htmlToDoc(`<p>${payload}</p>${payload}`);
      assertSafe(render(converted.doc), payload);
    }
  });
});
