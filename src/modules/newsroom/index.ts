// The newsroom: where writers, section editors, the editor-in-chief and mentors
// write, review and publish. Who may do what is the access module's; the
// service records every move (workflow_events, editorial_comments: its own
// tables), keeps revisions through the articles module and sends notices through jobs.
export { newsroomRoutes } from './newsroom.routes.js';
export { NewsroomService } from './newsroom.service.js';
export { newsroomPlugin } from './plugin.js';
export { newsroomBundle } from './bundle.js';
export { recordImportedArticle, type ImportedArticleEvent } from './imported.js';
