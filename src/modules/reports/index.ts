// Readers' reports of a problem with an article or a person page (a mistake,
// personal information, safety, copyright): the public "Report a problem" forms,
// the newsroom's queue at /newsroom/reports, the mentors' alert about a safety
// report and the reporter's acknowledgement. The module owns the problem_reports
// and problem_report_notes tables; the reporter's address is seen only by the
// queue's staff.
export { reportsPlugin, sendAcknowledgement } from './plugin.js';
export { ReportsService, ACKNOWLEDGEMENT_JOB, type ReportSubject } from './reports.service.js';
export { REPORT_KINDS, REPORT_STATES } from './report-input.js';
export { reportsBundle } from './bundle.js';
