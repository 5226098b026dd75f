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
}

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

export type ArticleStatus = 'draft' | 'submitted' | 'in_review' | 'changes_requested' | 'approved' | 'scheduled' | 'published' | 'unpublished';
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
}

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
}

export interface SessionTable {
  id: string;
  /** SHA-256 of the cookie's token: a database leak does not hand out sessions. */
  token_hash: string;
  user_id: string;
  persistent: number;
  created_at: Timestamp;
  expires_at: Timestamp;
}

export type TokenPurpose = 'verify_email' | 'reset_password' | 'magic_link' | 'change_email';

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

export interface Database {
  article_revisions: ArticleRevisionTable;
  workflow_events: WorkflowEventTable;
  editorial_comments: EditorialCommentTable;
  jobs: JobTable;
  audit_log: AuditLogTable;
  users: UserTable;
  sessions: SessionTable;
  tokens: TokenTable;
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
}

export type SectionRow = Selectable<SectionTable>;
export type NewsroomRow = Selectable<NewsroomTable>;
export type PersonRow = Selectable<PersonTable>;
export type RoleAssignmentRow = Selectable<RoleAssignmentTable>;
export type ArticleRow = Selectable<ArticleTable>;
export type MediaRow = Selectable<MediaTable>;
export type NewArticle = Insertable<ArticleTable>;
export type ArticleUpdate = Updateable<ArticleTable>;
