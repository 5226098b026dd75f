// What the converter tests share: a converted document as readers would see it.
import assert from 'node:assert/strict';
import { renderRichText, richDocSchema, type RichNode } from '../../../src/lib/rich-text.js';
import type { Converted } from '../../../src/modules/imports/convert/index.js';

/** The old site the WordPress and HTML fixtures link to. */
export const SITE = 'https://old.example.org';

/** The document as readers would see it once its pictures are stored (each shown as its alt text and caption). */
export function rendered(result: Converted): string {
  assert.equal(richDocSchema.safeParse(result.doc).success, true, 'the document passes richDocSchema');
  const stored = JSON.parse(
    JSON.stringify(result.doc).replaceAll('"mediaId":""', '"mediaId":"00000000-0000-4000-8000-000000000001"'),
  ) as RichNode;
  return renderRichText(stored, { figure: (a) => `<figure>${a.alt}|${a.caption}</figure>` });
}

/** How many levels deep a document goes. */
export function depthOf(node: RichNode): number {
  return 1 + Math.max(0, ...(node.content ?? []).map(depthOf));
}
