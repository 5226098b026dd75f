// Who may do what. This module owns the actor of a request (a staff member with
// the roles they hold today, loaded once), the pure rules every other module asks
// before acting (rules.ts), and the hooks that guard staff and reader routes
// (guards.ts). It reads no table: people's roles come from the people module.
export * from './rules.js';
export {
  registerAccess,
  requireReader,
  requireStaff,
  readerOf,
  staffOf,
  staffRoleNames,
  type AccessOptions,
  type StaffGuardOptions,
  type SignInOptions,
} from './guards.js';
export { accessPlugin } from './plugin.js';
