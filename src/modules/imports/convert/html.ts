import type { Converted, HtmlOptions } from './types.js';

export function htmlToDoc(_html: string, _options: HtmlOptions = {}): Converted {
  return { doc: { type: 'doc', content: [] }, pictures: [], warnings: [] };
}
