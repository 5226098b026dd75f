// The feeds a page offers: each list of articles (the site, a section, a tag, a
// person, a newsroom) has an RSS, an Atom and a JSON feed under its own path, and
// its page names them in <head> so that feed readers find them.

/** The three formats, by the file name each is served under. */
export const FEED_FORMATS = {
  'feed.xml': { kind: 'rss', type: 'application/rss+xml', label: 'RSS' },
  'feed.atom': { kind: 'atom', type: 'application/atom+xml', label: 'Atom' },
  'feed.json': { kind: 'json', type: 'application/feed+json', label: 'JSON Feed' },
} as const;

export type FeedFile = keyof typeof FEED_FORMATS;

/** One feed for <link rel="alternate">: a site-relative path, its media type and a title. */
export interface FeedLink {
  path: string;
  type: string;
  title: string;
}

/** The feeds of the list at `listPath` ('' for the whole site), titled after it. */
export function feedLinks(listPath: string, title: string): FeedLink[] {
  return Object.entries(FEED_FORMATS).map(([file, format]) => ({
    path: `${listPath}/${file}`,
    type: format.type,
    title: `${title} (${format.label})`,
  }));
}
