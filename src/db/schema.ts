// Row types of every table, as the application sees them after the codecs in
// database.ts: timestamps are ISO-8601 UTC strings, dates are 'YYYY-MM-DD',
// flags are 0/1 integers and JSON columns are text.
import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

/** ISO-8601 UTC timestamp string, e.g. 2026-01-05T09:30:00.000Z. */
export type Timestamp = string;
/** Calendar date string, e.g. 2008-02-29. */
export type DateOnly = string;

export interface SectionTable {
  id: string;
  slug: string;
  name: string;
  description: string;
  position: number;
  created_at: Timestamp;
}

export interface NewsroomTable {
  id: string;
  slug: string;
  name: string;
  description: string;
  place: string;
  kind: 'standing' | 'pop-up';
  starts_on: DateOnly;
  ends_on: DateOnly | null;
  created_at: Timestamp;
}

export interface PersonTable {
  id: string;
  slug: string;
  name: string;
  photo_media_id: string | null;
  /** Private: never rendered; only ages derived from it are. */
  birth_date: DateOnly | null;
  /** Private unless show_birthplace = 1. */
  birthplace: string | null;
  show_birthplace: number;
  /** JSON array of "City, Country" strings, in the order the person chose. */
  locations: string;
  /** JSON array of language names. */
  languages: string;
  bio_json: string;
  bio_html: string;
  user_id: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  /** Byline privacy, chosen by the person or an editor: 'full', 'initial' ("Amara N.") or 'pen'. */
  name_shown: Generated<NameShown>;
  /** The name shown when name_shown = 'pen'; '' otherwise. */
  pen_name: Generated<string>;
  /** 0 hides the places (locations and birthplace) everywhere in public. */
  show_place: Generated<number>;
  /** 0 hides the portrait everywhere in public. */
  show_portrait: Generated<number>;
  /** 0: not in the people directory, sitemaps or search; the page answers with noindex. */
  listed: Generated<number>;
  /** 1 leaves the age off the person's bylines. */
  hide_age: Generated<number>;
}

export type NameShown = 'full' | 'initial' | 'pen';

export type RoleName =
  | 'contributor'
  | 'staff_writer'
  | 'correspondent'
  | 'section_editor'
  | 'newsletter_editor'
  | 'social_media_editor'
  | 'editor_in_chief'
  | 'managing_editor'
  | 'mentor'
  | 'admin';

export interface RoleAssignmentTable {
  id: string;
  person_id: string;
  role: RoleName;
  section_id: string | null;
  newsroom_id: string | null;
  starts_on: DateOnly;
  ends_on: DateOnly | null;
  created_at: Timestamp;
}

export interface NewsroomMemberTable {
  id: string;
  newsroom_id: string;
  person_id: string;
  role: string;
  starts_on: DateOnly;
  ends_on: DateOnly | null;
}

export interface TagTable {
  id: string;
  slug: string;
  name: string;
}

export type ArticleStatus =
  'draft' | 'submitted' | 'in_review' | 'changes_requested' | 'approved' | 'scheduled' | 'published' | 'unpublished';
export type ArticleAccess = 'free' | 'registered';

export interface ArticleTable {
  id: string;
  slug: string;
  status: ArticleStatus;
  title: string;
  dek: Generated<string>;
  byline_phrase: Generated<string>;
  section_id: string;
  newsroom_id: string | null;
  hero_media_id: string | null;
  hero_caption: Generated<string>;
  hero_alt: Generated<string>;
  hero_credit_creator: Generated<string>;
  hero_credit_source: Generated<string>;
  access: ColumnType<ArticleAccess, ArticleAccess | undefined, ArticleAccess>;
  /** Paragraphs shown before the registration wall; null means the site default. */
  preview_paragraphs: number | null;
  body_json: string;
  body_html: string;
  word_count: Generated<number>;
  published_at: Timestamp | null;
  scheduled_at: Generated<Timestamp | null>;
  version: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface ArticleAuthorTable {
  article_id: string;
  person_id: string;
  position: number;
  /** Frozen when the article is published; null while it is a draft. */
  age_at_publication: number | null;
}

export interface ArticleEditorTable {
  article_id: string;
  person_id: string;
  position: number;
}

export interface ArticleTagTable {
  article_id: string;
  tag_id: string;
  position: number;
  /** The article's published_at while it is published, else null: kept by triggers, never written by the app. */
  article_published_at: Timestamp | null;
}

export interface MediaVariant {
  format: 'avif' | 'webp' | 'jpeg';
  width: number;
  height: number;
  file: string;
  bytes: number;
}

export interface MediaTable {
  id: string;
  hash: string;
  mime: string;
  bytes: number;
  width: number;
  height: number;
  file: string;
  alt: string;
  caption: string;
  credit_creator: string;
  credit_source: string;
  /** JSON array of MediaVariant. */
  variants: string;
  uploaded_by: Generated<string | null>;
  created_at: Timestamp;
  /** 'library' for the newsroom's pictures; 'prize_entry' for an entrant's photograph, never listed in the library. */
  purpose: Generated<MediaPurpose>;
  /** 'private' pictures are served only to those allowed to see them, never at /media. */
  visibility: Generated<MediaVisibility>;
  /** When a replaced prize photograph's files were deleted; the row stays so uploads can be counted. */
  removed_at: Generated<Timestamp | null>;
}

export type MediaPurpose = 'library' | 'prize_entry';
export type MediaVisibility = 'public' | 'private';

export interface SettingTable {
  key: string;
  value: string;
  updated_at: Timestamp;
}

export interface UserTable {
  id: string;
  /** Lower-cased. Private. */
  email: string;
  email_verified_at: Timestamp | null;
  /** scrypt, self-describing (see accounts/passwords.ts); null for accounts that only use email links. */
  password_hash: string | null;
  display_name: string;
  /** Private; kept to check the minimum age. */
  birth_year: number | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  /** The TOTP secret, AES-256-GCM with a key derived from the site's secret (accounts/two-factor.ts). Never exported. */
  two_factor_secret: Generated<string | null>;
  /** When two-factor sign-in was turned on; null while off or while a set-up waits for its first code. */
  two_factor_enabled_at: Generated<Timestamp | null>;
  /** The last 30-second step a code was accepted for: a code never works twice. */
  two_factor_last_step: Generated<number | null>;
}

export interface SessionTable {
  id: string;
  /** SHA-256 of the cookie's token: a database leak does not hand out sessions. */
  token_hash: string;
  user_id: string;
  persistent: number;
  created_at: Timestamp;
  expires_at: Timestamp;
  /** A short description of the browser ("Firefox on Android"), for the account's session list. */
  device: Generated<string | null>;
  /** Where the session began, from a configured places file (SESSION_PLACES); the IP address is never stored. */
  place: Generated<string | null>;
  /** Written at most once a minute, when the viewer cache asks for the session. */
  last_seen_at: Generated<Timestamp | null>;
}

/** A one-time code for signing in without the authenticator; only its SHA-256 is stored. */
export interface RecoveryCodeTable {
  id: string;
  user_id: string;
  code_hash: string;
  created_at: Timestamp;
  used_at: Timestamp | null;
}

/** two_factor: the short-lived step between the password (or email link) and the code; never a session. */
export type TokenPurpose = 'verify_email' | 'reset_password' | 'magic_link' | 'change_email' | 'two_factor';

export interface TokenTable {
  id: string;
  token_hash: string;
  purpose: TokenPurpose;
  user_id: string | null;
  email: string;
  /** JSON: where to go afterwards, a bookmark to save... */
  data: string;
  created_at: Timestamp;
  expires_at: Timestamp;
  used_at: Timestamp | null;
}

export interface BookmarkTable {
  user_id: string;
  article_id: string;
  created_at: Timestamp;
}

export interface ArticleRevisionTable {
  id: string;
  article_id: string;
  version: number;
  /** 'save', 'autosave' (coalesced within a few minutes by the same person) or 'restore'. */
  kind: 'save' | 'autosave' | 'restore';
  user_id: string | null;
  author_name: string;
  title: string;
  dek: string;
  body_json: string;
  /** JSON of the other editable fields at that moment. */
  fields: string;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface WorkflowEventTable {
  id: string;
  article_id: string;
  user_id: string | null;
  actor_name: string;
  from_status: string;
  to_status: string;
  note: string;
  created_at: Timestamp;
}

export interface EditorialCommentTable {
  id: string;
  article_id: string;
  parent_id: string | null;
  user_id: string | null;
  author_name: string;
  body: string;
  created_at: Timestamp;
}

export type JobStatus = 'pending' | 'running' | 'done' | 'failed';

export interface JobTable {
  id: string;
  kind: string;
  /** JSON. */
  payload: string;
  /** At most one job with this key exists (e.g. "publish:<article id>"). */
  unique_key: string | null;
  status: JobStatus;
  run_at: Timestamp;
  attempts: number;
  max_attempts: number;
  locked_by: string | null;
  locked_until: Timestamp | null;
  last_error: string | null;
  created_at: Timestamp;
  finished_at: Timestamp | null;
}

export interface AuditLogTable {
  id: string;
  user_id: string | null;
  actor_name: string;
  action: string;
  subject_type: string;
  subject_id: string;
  /** JSON. */
  details: string;
  created_at: Timestamp;
}

export interface NewsletterTable {
  id: string;
  slug: string;
  name: string;
  description: string;
  sender_name: string;
  /** Empty: the address of MAIL_FROM. */
  sender_email: string;
  /** 0 = Sunday ... 6 = Saturday: the usual day of sending, in time_zone. */
  send_weekday: number;
  /** 'HH:mm' in time_zone. */
  send_time: string;
  time_zone: string;
  position: number;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** suppressed: too many hard bounces in a row; skipped by sends until an editor reactivates it. */
export type SubscriptionStatus = 'pending' | 'confirmed' | 'unsubscribed' | 'suppressed';

export interface SubscriptionTable {
  id: string;
  newsletter_id: string;
  /** Lower-cased. Private. */
  email: string;
  user_id: string | null;
  status: SubscriptionStatus;
  source: string;
  consent: string | null;
  consent_at: Timestamp | null;
  /** The account that attested consent (an import). */
  consent_by: string | null;
  /** SHA-256 of the confirmation link's token. */
  confirm_token_hash: string | null;
  confirm_nonce: string | null;
  confirm_expires_at: Timestamp | null;
  confirm_sent_at: Timestamp | null;
  confirmed_at: Timestamp | null;
  unsubscribed_at: Timestamp | null;
  /** Permanent refusals in a row, across issues; reset by a delivery that gets through. */
  hard_bounces: Generated<number>;
  suppressed_at: Timestamp | null;
  /** The mail server's answer to the last hard bounce. */
  last_bounce: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export type IssueStatus = 'draft' | 'scheduled' | 'sending' | 'sent';

export interface NewsletterIssueTable {
  id: string;
  newsletter_id: string;
  number: number | null;
  subject: string;
  intro_json: string;
  intro_html: string;
  /** JSON array of issue items. */
  items: string;
  status: IssueStatus;
  scheduled_at: Timestamp | null;
  started_at: Timestamp | null;
  sent_at: Timestamp | null;
  recipients_count: number;
  sent_count: number;
  failed_count: number;
  created_by: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export type DeliveryStatus = 'pending' | 'sending' | 'sent' | 'failed' | 'skipped';

export interface DeliveryTable {
  id: string;
  issue_id: string;
  subscription_id: string;
  status: DeliveryStatus;
  attempts: number;
  next_attempt_at: Timestamp;
  locked_until: Timestamp | null;
  last_error: string | null;
  sent_at: Timestamp | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

// ---- the yearly prize (modules/competitions) ----

export interface CompetitionTable {
  id: string;
  slug: string;
  name: string;
  year: number;
  description_json: string;
  description_html: string;
  terms_json: string;
  terms_html: string;
  /** The official zone (e.g. Europe/London): times are entered and shown in it. */
  time_zone: string;
  opens_at: Timestamp;
  deadline_at: Timestamp;
  announce_at: Timestamp;
  /** Age range on the deadline date, inclusive. */
  min_age: number;
  max_age: number;
  school_year_question: string;
  require_full_time: number;
  entries_per_person: number;
  shortlist_size: number;
  language: string;
  shortlist_published_at: Timestamp | null;
  winners_published_at: Timestamp | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export type CategoryKind = 'essay' | 'photo' | 'video';

export interface CompetitionCategoryTable {
  id: string;
  competition_id: string;
  slug: string;
  name: string;
  prompt: string;
  description: string;
  kind: CategoryKind;
  word_limit: number | null;
  section_id: string | null;
  position: number;
  created_at: Timestamp;
}

export type EntryStatus = 'draft' | 'submitted';

export interface EntryTable {
  id: string;
  competition_id: string;
  category_id: string | null;
  user_id: string;
  status: EntryStatus;
  reference: string | null;
  submission_slot: number | null;
  title: string;
  body_json: string;
  body_html: string;
  word_count: number;
  media_id: string | null;
  video_url: string;
  /** Private (with the five below): never selected by a juror's query. */
  entrant_name: string;
  birth_date: DateOnly | null;
  school: string;
  country: string;
  school_year: string;
  consent_school: number;
  /** JSON: which declarations were ticked. */
  declarations: string;
  submitted_at: Timestamp | null;
  offered_at: Timestamp | null;
  person_id: string | null;
  article_id: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface JurorTable {
  id: string;
  competition_id: string;
  category_id: string;
  user_id: string;
  role: 'chair' | 'member';
  created_at: Timestamp;
}

export interface RubricCriterionTable {
  id: string;
  competition_id: string;
  name: string;
  description: string;
  scale_min: number;
  scale_max: number;
  position: number;
}

export interface ScoreTable {
  id: string;
  entry_id: string;
  juror_id: string;
  criterion_id: string;
  score: number;
  comment: string;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface JurorConflictTable {
  juror_id: string;
  entry_id: string;
  reason: string;
  created_at: Timestamp;
}

export type AwardKind = 'shortlist' | 'first' | 'second' | 'third' | 'overall';

export interface AwardTable {
  id: string;
  competition_id: string;
  category_id: string | null;
  entry_id: string;
  kind: AwardKind;
  place_key: string;
  jury_note: string;
  decided_by: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** A per-key rate limit's counter (src/web/key-limit.ts). */
export interface KeyLimitTable {
  /** SHA-256 of the scope and the key. */
  key: string;
  hits: number;
  /** When the window ends, in milliseconds since the epoch (PostgreSQL returns bigint as a string). */
  reset_at: number | string;
}

/** One searchable published article or person; see the search module. */
export interface SearchDocumentTable {
  id: string;
  kind: 'article' | 'person';
  slug: string;
  title: string;
  dek: string;
  people: string;
  tags: string;
  section: string;
  public_body: string;
  gated_body: string;
  section_slug: string | null;
  /** Space-separated slugs of the authors, for the author filter. */
  author_slugs: string;
  year: number | null;
  published_at: Timestamp | null;
}

// ---- static pages (modules/static-pages) ----

/** A page that is not an article (About, Code of conduct...): edited in the newsroom, published by the editor-in-chief. */
export type PageStatus = 'draft' | 'submitted' | 'published' | 'unpublished';

export interface PageTable {
  id: string;
  /** Served at /<slug>; unique, and never one of the site's own first path segments. */
  slug: string;
  title: string;
  dek: Generated<string>;
  status: PageStatus;
  body_json: string;
  body_html: string;
  /** Place in the footer menu (0, 1, ...); null when the page is not in it. */
  menu_position: number | null;
  published_at: Timestamp | null;
  version: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

// ---- redirects (modules/redirects) ----

/** An old address that answers a redirect: imported links, renamed pages, set by hand in the newsroom. */
export interface RedirectTable {
  id: string;
  /** The path (and for /?p=123 the query) as normalised by the redirects module; unique. */
  from_path: string;
  /** A same-site path, e.g. /articles/my-slug. */
  to_path: string;
  /** 301 (permanent) or 302 (temporary). */
  status_code: number;
  /** 'manual', or the import that made it ('wordpress', 'ghost'). */
  source: string;
  created_at: Timestamp;
  updated_at: Timestamp;
}

// ---- guardian consent (modules/consent) ----

export type GuardianConsentStatus = 'waiting' | 'given' | 'revoked' | 'replaced';

/** A request for a guardian's consent to a young writer's publications, and what the guardian did with it. */
export interface GuardianConsentTable {
  id: string;
  person_id: string;
  guardian_name: string;
  guardian_email: string;
  /** The version of the consent text and the exact text the request shows the guardian. */
  text_version: number;
  consent_text: string;
  /** 'waiting' for the guardian, 'given', 'revoked' (or refused), or 'replaced' by a newer request. */
  status: GuardianConsentStatus;
  requested_by: string | null;
  requested_by_name: string;
  requested_at: Timestamp;
  email_sent_at: Timestamp | null;
  /** SHA-256 of the links' tokens (the tokens themselves are only in the email). */
  confirm_token_hash: string | null;
  revoke_token_hash: string | null;
  given_at: Timestamp | null;
  given_text_version: number | null;
  given_text: string | null;
  revoked_at: Timestamp | null;
}

/** An age of digital consent an administrator set for a country ('*': everywhere else). */
export interface DigitalConsentAgeTable {
  country: string;
  age: number;
  updated_at: Timestamp;
}

// ---- imports (modules/imports) ----

/** What one imported item became: re-running an import updates these instead of duplicating. */
export interface ImportItemTable {
  /** The import's origin, e.g. 'wordpress:https://old.example.org' or 'ghost:<site url>'. */
  source: string;
  /** 'article', 'page', 'person', 'picture', 'section', 'tag', 'subscriber'. */
  kind: string;
  /** The item's id in the source (a WordPress post id, a Ghost object id). */
  source_id: string;
  /** The id of the row it became here. */
  target_id: string;
  /** SHA-256 of the source item as last imported: an unchanged item is skipped on a re-run. */
  checksum: string;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** A newsletter's subscriptions in one state, counted: kept by triggers on subscriptions (never written by the application). */
export interface NewsletterSubscriberCountTable {
  newsletter_id: string;
  status: SubscriptionStatus;
  n: number;
}

export type ProblemReportKind = 'mistake' | 'personal_information' | 'safety' | 'copyright' | 'other';
export type ProblemReportState = 'new' | 'in_progress' | 'resolved' | 'declined';

/** A reader's report of a problem with an article or a person page (the reports module). */
export interface ProblemReportTable {
  id: string;
  subject_type: 'article' | 'person';
  /** The article's or the person's id. */
  subject_id: string;
  /** The headline or name as the reporter saw it. */
  subject_title: string;
  kind: ProblemReportKind;
  details: string;
  /** Private: shown to those who handle the queue, never logged. */
  reporter_email: string | null;
  state: ProblemReportState;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** The newsroom's internal notes on a report. */
export interface ProblemReportNoteTable {
  id: string;
  report_id: string;
  user_id: string | null;
  author_name: string;
  body: string;
  created_at: Timestamp;
}

export interface Database {
  key_limits: KeyLimitTable;
  article_revisions: ArticleRevisionTable;
  newsletters: NewsletterTable;
  subscriptions: SubscriptionTable;
  newsletter_subscriber_counts: NewsletterSubscriberCountTable;
  newsletter_issues: NewsletterIssueTable;
  deliveries: DeliveryTable;
  workflow_events: WorkflowEventTable;
  editorial_comments: EditorialCommentTable;
  jobs: JobTable;
  audit_log: AuditLogTable;
  users: UserTable;
  sessions: SessionTable;
  tokens: TokenTable;
  recovery_codes: RecoveryCodeTable;
  bookmarks: BookmarkTable;
  sections: SectionTable;
  newsrooms: NewsroomTable;
  people: PersonTable;
  role_assignments: RoleAssignmentTable;
  newsroom_members: NewsroomMemberTable;
  tags: TagTable;
  articles: ArticleTable;
  article_authors: ArticleAuthorTable;
  article_editors: ArticleEditorTable;
  article_tags: ArticleTagTable;
  media: MediaTable;
  settings: SettingTable;
  competitions: CompetitionTable;
  competition_categories: CompetitionCategoryTable;
  entries: EntryTable;
  jurors: JurorTable;
  rubric_criteria: RubricCriterionTable;
  scores: ScoreTable;
  juror_conflicts: JurorConflictTable;
  awards: AwardTable;
  search_documents: SearchDocumentTable;
  pages: PageTable;
  redirects: RedirectTable;
  guardian_consents: GuardianConsentTable;
  digital_consent_ages: DigitalConsentAgeTable;
  import_items: ImportItemTable;
  problem_reports: ProblemReportTable;
  problem_report_notes: ProblemReportNoteTable;
}

export type SectionRow = Selectable<SectionTable>;
export type NewsroomRow = Selectable<NewsroomTable>;
export type PersonRow = Selectable<PersonTable>;
export type RoleAssignmentRow = Selectable<RoleAssignmentTable>;
export type ArticleRow = Selectable<ArticleTable>;
export type MediaRow = Selectable<MediaTable>;
export type NewArticle = Insertable<ArticleTable>;
export type ArticleUpdate = Updateable<ArticleTable>;
