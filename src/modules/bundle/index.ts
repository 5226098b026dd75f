// The magazine as one bundle: `harbinger export DIR` writes every module's
// tables (each module's bundle.ts says which, and which columns are secrets) with
// the media files beside them, and `harbinger import harbinger DIR` loads such a
// bundle into an empty database. The module owns no table and serves no page;
// it reads the lower layers' settings and audit_log itself. See docs/bundle.md.
export {
  exportBundle,
  importBundle,
  bundleTables,
  BundleError,
  BUNDLE_FORMAT,
  BUNDLE_PARTS,
  BUNDLE_VERSION,
  LEFT_OUT,
  LOAD_ORDER,
  MANIFEST_FORMAT,
  type ExportReport,
  type ImportReport,
  type Manifest,
} from './bundle.js';
export { exportCommand, importBundleCommand } from './cli.js';
