// What readers may read and keep: the registration wall (and its optional
// meter) and bookmarks.
export { ReadingService } from './reading.service.js';
export { readingRoutes, articlePageProvider } from './reading.routes.js';
export { bookmarkForm } from './views/controls.js';
export { RegistrationWall } from './views/wall.js';
export { canReadFullText, meterDecision, wallPreview } from './access.js';
export { GATED_CLASS } from './views/wall.js';
export { readingPlugin } from './plugin.js';
export { readingBundle } from './bundle.js';
