// What the property-based fuzz tests share: the seed (fixed, `FUZZ_SEED` to try
// another), hostile text and link addresses as fast-check arbitraries, and a
// runner that names the seed and path to repeat a failure with.
import fc from 'fast-check';
import { xssVectors } from '../fixtures/xss-vectors.js';

export const SEED = Number(process.env.FUZZ_SEED ?? 20261130);

/** fast-check's parameters for a property: the run's seed and this many runs. */
export function runs(numRuns: number): fc.Parameters<unknown> {
  return { seed: SEED, numRuns };
}

/** Checks a property; on failure the message starts with how to repeat it. */
export async function holds<T>(property: fc.IProperty<T> | fc.IAsyncProperty<T>, numRuns: number): Promise<void> {
  const details = await fc.check(property as fc.IAsyncProperty<T>, runs(numRuns) as fc.Parameters<T>);
  if (details.failed)
    throw new Error(
      `property failed (seed ${details.seed}, path "${details.counterexamplePath}"; repeat with FUZZ_SEED=${details.seed}):\n` +
        fc.defaultReportMessage(details),
    );
}

export const XSS = xssVectors();

/** Text that has broken web apps: markup, quotes, NUL, lone surrogates, bidi overrides, huge values. */
export const HOSTILE_STRINGS = [
  '',
  ' ',
  '0',
  '-1',
  '1e999',
  'NaN',
  'null',
  '€',
  '😀🦄𝔘',
  'a\u0000b',
  '\ud800',
  '\u202eevil',
  '\u2028\u2029',
  'ｆｕｌｌｗｉｄｔｈ',
  '<script>alert(1)</script>',
  '"><b>',
  "'><i>",
  '&amp;&lt;&#0;&#x110000;&nosuch;',
  ']]>',
  '<!--',
  '../../etc/passwd',
  '%00',
  "' OR 1=1 --",
  '__proto__',
  'constructor',
  'x'.repeat(3000),
];

export const hostileText: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...HOSTILE_STRINGS),
  fc.constantFrom(...XSS.map((v) => v.payload)),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc
    .array(fc.constantFrom('<', '>', '"', "'", '&', '=', '/', ' ', 'a', 'on', 'script', '\u0000', '\n'), { maxLength: 30 })
    .map((parts) => parts.join('')),
);

/** Text of any length up to about 200,000 characters (a hostile piece repeated). */
export const hugeText: fc.Arbitrary<string> = fc
  .tuple(hostileText, fc.integer({ min: 50_000, max: 200_000 }))
  .map(([piece, length]) => (piece || '<').repeat(Math.ceil(length / Math.max(1, (piece || '<').length))).slice(0, length));

/** Characters written as HTML character references, some of them, as filter evasions do. */
const entityEncoded = (text: string, pick: boolean[]) =>
  [...text]
    .map((c, i) => {
      if (!pick[i % Math.max(1, pick.length)]) return c;
      const code = c.codePointAt(0)!;
      return i % 3 === 0 ? `&#${code};` : i % 3 === 1 ? `&#x${code.toString(16)};` : `&#000${code}`;
    })
    .join('');

const scriptScheme = fc.constantFrom(
  'javascript',
  'JaVaScRiPt',
  'JAVASCRIPT',
  'java\tscript',
  'java\nscript',
  'java\rscript',
  'jav\u0000ascript',
  'vbscript',
  'VBScript',
  'livescript',
  'data',
  'DaTa',
  'blob',
  'file',
);
const leading = fc.constantFrom('', ' ', '\t', '\n', '\u0001', '\u0000', '\u00a0', '\u2028', '\ufeff', ' \r\n ');
const colon = fc.constantFrom(':', '&#58;', '&colon;', '&#x3a;', '%3a', '\t:');
const scriptBody = fc.constantFrom(
  'alert(1)',
  'window.__xss(1)',
  'text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==',
  'text/html,<script>alert(1)</script>',
  'image/svg+xml,<svg onload=alert(1)>',
  'msgbox(1)',
  '//%0aalert(1)',
);

/** Link addresses: script, data and vbscript URLs spelt every which way, addresses that leave the site, and ordinary ones. */
export const hostileHref: fc.Arbitrary<unknown> = fc.oneof(
  fc.tuple(leading, scriptScheme, colon, scriptBody).map((parts) => parts.join('')),
  fc
    .tuple(leading, scriptScheme, colon, scriptBody, fc.array(fc.boolean(), { minLength: 1, maxLength: 8 }))
    .map(([l, s, c, b, pick]) => l + entityEncoded(s + c, pick) + b),
  fc.tuple(scriptScheme, scriptBody).map(([s, b]) => `${encodeURIComponent(s)}:${b}`),
  fc.constantFrom(
    'https://example.org/a"b<c>d\'e',
    "http://example.org/' onmouseover='alert(1)",
    'https://example.org/#"><script>alert(1)</script>',
    '//evil.example/',
    '/\\evil.example/',
    '/\t/evil.example/',
    '/\n/evil.example/',
    '\\\\evil.example\\',
    'https:evil.example',
    'mailto:desk@example.org?body=<script>alert(1)</script>',
    '#"><script>alert(1)</script>',
    '/articles/a?b="c"',
    'https://example.org/',
    'http://[::1]/',
    'https://user:pass@example.org/',
  ),
  fc.webUrl({ withFragments: true, withQueryParameters: true }),
  hostileText,
  fc.constantFrom(null, 5, true, {}, []),
);
