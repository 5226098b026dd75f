import type { Config } from '../config.js';
import type { Assets } from './assets.js';
import type { FeedLink } from './feed-links.js';

/** What every page needs to know about the site and the request. */
export interface PageContext {
  config: Readonly<Config>;
  assets: Assets;
  /** Path of the current page, for the canonical URL and "current" navigation. */
  path: string;
  sections: { slug: string; name: string }[];
  /** The footer menu: the magazine's own pages (About, Contact...), in the editor-in-chief's order. */
  footerPages?: { slug: string; title: string }[];
  /** Who is looking, as far as the shared parts of the page care. */
  viewer: ViewerKind;
  /** The newsroom tabs a staff viewer may open (the newsroom's rules decide them from the viewer's roles). */
  newsroomTabs?: ReadonlySet<string>;
  /** The feeds of the list this page shows, named in <head> for feed readers. */
  feeds?: readonly FeedLink[];
}

export type ViewerKind = 'anonymous' | 'reader' | 'staff';
