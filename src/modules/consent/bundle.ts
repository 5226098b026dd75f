// The consent module's part of a bundle: the guardians' consents (with the text
// each was given on) and the ages administrators set. The links' token hashes
// are secrets and stay behind: links sent before a move stop working after it.
import type { BundlePart } from '../../db/bundle-tables.js';

export const consentBundle: BundlePart = {
  module: 'consent',
  tables: [
    { table: 'guardian_consents', key: ['id'], omit: ['confirm_token_hash', 'revoke_token_hash'] },
    { table: 'digital_consent_ages', key: ['country'] },
  ],
};
