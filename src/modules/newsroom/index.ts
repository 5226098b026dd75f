// The newsroom: where writers, section editors, the editor-in-chief and mentors
// write, review and publish. Permissions are pure rules (permissions.ts); the
// service records every move, keeps revisions and sends notices through jobs.
export { newsroomRoutes } from './newsroom.routes.js';
export { NewsroomService } from './newsroom.service.js';
export * as permissions from './permissions.js';
