// Feeds: RSS, Atom and JSON Feed for the whole site and for each section, tag,
// person and newsroom. Registered articles go out as their public part only.
export { FeedsService, FEED_SIZE, type BuiltFeed, type ListKind } from './feeds.service.js';
export { feedsPlugin } from './plugin.js';
