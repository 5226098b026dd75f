// Redirects from old addresses (owns the `redirects` table). An importer calls
// setRedirect inside its own transaction for each old address it brings in; a
// request no route answers is looked up here before it becomes a 404; and the
// newsroom edits them at /newsroom/redirects.
export { normaliseRedirectPath, normaliseRedirectTarget, OLD_QUERY_KEYS } from './paths.js';
export {
  setRedirect,
  RedirectRefused,
  MANUAL as MANUAL_REDIRECT,
  REDIRECT_STATUSES,
  type RedirectStatus,
  type RedirectProblem,
} from './redirects.service.js';
export { redirectsPlugin } from './plugin.js';
export { RedirectLookup } from './lookup.js';
export { seedDemoRedirects } from './demo.js';
export { redirectsBundle } from './bundle.js';
