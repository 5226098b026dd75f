// Imports from other platforms (WordPress, Ghost): readers turn an export into
// ImportItems (model.ts), the engine (apply.ts) writes them through the modules
// that own the tables, and the ledger remembers what each item became so a
// re-run updates instead of duplicating. The module owns the import_items table.
export { applyImport, checksumOf, ledgerSource, DEFAULT_BATCH_SIZE, type ApplyOptions } from './apply.js';
export { ImportReport, ReportFile, OUTCOMES, type Outcome, type ReportItem, type ReportSummary } from './report.js';
export { checkWxr, readWordpress, openWordpress, channelElements, uploadsPathOf, UploadsDir, type WxrIndex } from './wordpress.js';
export { countEntries, findEntry } from './ledger.js';
export { importCommand, type CliValues, type CommandOutput } from './cli.js';
export * from './model.js';
export { importsBundle } from './bundle.js';
