import type { Config } from '../config.js';
import type { Assets } from './assets.js';
import type { RoleName } from '../db/schema.js';

/** What every page needs to know about the site and the request. */
export interface PageContext {
  config: Readonly<Config>;
  assets: Assets;
  /** Path of the current page, for the canonical URL and "current" navigation. */
  path: string;
  sections: { slug: string; name: string }[];
  /** Who is looking, as far as the shared parts of the page care. */
  viewer: ViewerKind;
  /** A staff viewer's roles today, for the newsroom's tabs. */
  staffRoles?: RoleName[];
}

export type ViewerKind = 'anonymous' | 'reader' | 'staff';
