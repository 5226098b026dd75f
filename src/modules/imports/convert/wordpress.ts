import type { Converted } from './types.js';

export function wordpressToDoc(_content: string, _options: { siteUrl?: string } = {}): Converted {
  return { doc: { type: 'doc', content: [] }, pictures: [], warnings: [] };
}
