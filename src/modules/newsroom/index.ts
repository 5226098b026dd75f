// The newsroom: where staff (accounts linked to a person with a current role)
// work on articles. For now, the signed-in person's articles.
export { newsroomRoutes } from './newsroom.routes.js';
