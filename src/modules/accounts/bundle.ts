// The accounts module's part of a bundle: the accounts without their password
// hashes. Sessions and single-use tokens are never written: an imported account
// signs in with an emailed link or by resetting its password.
import type { BundlePart } from '../../db/bundle-tables.js';

export const accountsBundle: BundlePart = {
  module: 'accounts',
  // Two-factor sign-in does not travel either (its secret is sealed with this site's key): the
  // editors whose role requires it set it up again at their first sign-in.
  tables: [{ table: 'users', key: ['id'], omit: ['password_hash', 'two_factor_secret', 'two_factor_enabled_at', 'two_factor_last_step'] }],
};
