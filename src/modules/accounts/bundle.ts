// The accounts module's part of a bundle: the accounts without their password
// hashes. Sessions and single-use tokens are never written: an imported account
// signs in with an emailed link or by resetting its password.
import type { BundlePart } from '../../db/bundle-tables.js';

export const accountsBundle: BundlePart = {
  module: 'accounts',
  tables: [{ table: 'users', key: ['id'], omit: ['password_hash'] }],
};
