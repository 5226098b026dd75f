// Guardian consent: a writer younger than their country's age of digital consent
// (GDPR Art. 8) on the day of publication is published only with a guardian's
// consent on record. The module owns the guardian_consents and
// digital_consent_ages tables; the newsroom calls checkPublication inside the
// transaction that publishes or schedules, and the people desk shows each
// writer's state through consentLabelsOf.
export {
  checkPublication,
  consentLabel,
  consentPagePath,
  refusedWriters,
  writersConsent,
  GuardianConsentRequired,
  ConsentService,
  GUARDIAN_EMAIL_JOB,
  type ConsentState,
  type RefusedWriter,
  type WriterConsent,
} from './consent.service.js';
export { CONSENT_COUNTRIES, countryOfPlace, ELSEWHERE } from './countries.js';
export { CURRENT_WORDING } from './consent-text.js';
export { ConsentRefusalPage } from './views/consent-pages.js';
export { consentPlugin } from './plugin.js';
export { consentBundle } from './bundle.js';
export { seedDemoConsents } from './demo.js';
