// Reader and staff accounts: sign-up with verification, password and email-link
// sign-in, server-side sessions, resets, email and password changes, data export
// and deletion. Built on node:crypto (scrypt, hashed single-use tokens).
export {
  AccountsService,
  ACCOUNT_EMAIL_JOB,
  safeNext,
  TokenError,
  type Continuation,
  type AccountPeople,
  type AccountDeletionHook,
  MINIMUM_AGE,
} from './accounts.service.js';
export {
  emailsOf,
  userIdByEmail,
  endSessionsOf,
  viewersChanged,
  inviteStaff,
  INVITATION_LIFETIME,
  purgeExpiredAccess,
} from './accounts.service.js';
export { accountsRoutes } from './accounts.routes.js';
export { SignUpFields, emptyForm } from './views/account-pages.js';
export { fieldErrors } from './accounts.schemas.js';
export { hashPassword, setPasswordCostForTests, newToken, hashToken } from './secrets.js';
export { accountsPlugin, type AccountsPluginOptions } from './plugin.js';
export { accountsBundle } from './bundle.js';
