// Who may do what, as small pure functions over an actor (the roles a signed-in
// person holds today, each with its section). Every module asks these rules, in
// its services before acting and in its views to hide what would be refused, so
// a role's rights are read in one file and tested on their own.
import type { ArticleStatus, PageStatus, RoleName } from '../../db/schema.js';

export interface HeldRole {
  role: RoleName;
  /** The section a section editor looks after; null for roles across the magazine. */
  sectionId: string | null;
}

export interface Actor {
  userId: string;
  personId: string;
  name: string;
  roles: HeldRole[];
}

/** What a role-only rule needs to know: the roles, not the person. */
export type RoleHolder = Pick<Actor, 'roles'>;

export interface ArticleFacts {
  status: ArticleStatus;
  sectionId: string;
  authorIds: string[];
  editorIds: string[];
}

/** Every staff role writes; readers hold none. */
const WRITER_ROLES: readonly RoleName[] = [
  'contributor',
  'staff_writer',
  'correspondent',
  'section_editor',
  'newsletter_editor',
  'social_media_editor',
  'editor_in_chief',
  'managing_editor',
  'mentor',
  'admin',
];
/** Roles that review, edit and publish across every section. */
const CHIEF_ROLES: readonly RoleName[] = ['editor_in_chief', 'managing_editor', 'mentor'];
/** The newsletter editor, the chiefs and administrators run the newsletter desk. */
const NEWSLETTER_ROLES: readonly RoleName[] = ['newsletter_editor', ...CHIEF_ROLES, 'admin'];
/** The editor-in-chief, the mentors (managing editor included) and administrators run the prize. */
const ORGANISER_ROLES: readonly RoleName[] = [...CHIEF_ROLES, 'admin'];
/** The audit log is for those who answer for the newsroom. */
const AUDIT_ROLES: readonly RoleName[] = [...CHIEF_ROLES, 'admin'];
/** Those who decide where the site's old addresses lead. */
const REDIRECT_ROLES: readonly RoleName[] = ['editor_in_chief', 'managing_editor', 'admin'];

const holdsAny = (actor: RoleHolder, roles: readonly RoleName[]) => actor.roles.some((r) => roles.includes(r.role));

/** An actor-shaped view of bare role names (no section), for rules that only look at roles. */
export function holderOf(roles: readonly RoleName[]): RoleHolder {
  return { roles: roles.map((role) => ({ role, sectionId: null })) };
}

export const has = (actor: RoleHolder, role: RoleName) => actor.roles.some((r) => r.role === role);
export const isAdmin = (actor: RoleHolder) => has(actor, 'admin');
export const isChief = (actor: RoleHolder) => holdsAny(actor, CHIEF_ROLES);
export const canWrite = (actor: RoleHolder) => holdsAny(actor, WRITER_ROLES);
export const editsSection = (actor: RoleHolder, sectionId: string) =>
  actor.roles.some((r) => r.role === 'section_editor' && r.sectionId === sectionId);
export const isAuthor = (actor: Actor, article: ArticleFacts) => article.authorIds.includes(actor.personId);

/** Editors of the article's section, the chiefs: the people who review it. */
export const canReview = (actor: Actor, article: ArticleFacts) => isChief(actor) || editsSection(actor, article.sectionId);

export function canView(actor: Actor, article: ArticleFacts): boolean {
  return canReview(actor, article) || isAuthor(actor, article) || article.editorIds.includes(actor.personId);
}

/** Writers edit only their own drafts (and drafts sent back to them); reviewers edit what they review until it is published. */
export function canEdit(actor: Actor, article: ArticleFacts): boolean {
  if (isChief(actor)) return true;
  if (canReview(actor, article)) return article.status !== 'published' && article.status !== 'scheduled';
  return isAuthor(actor, article) && (article.status === 'draft' || article.status === 'changes_requested');
}

export const canComment = canView;

type Rule = (actor: Actor, article: ArticleFacts) => boolean;
const byAuthor: Rule = (actor, article) => isAuthor(actor, article) || isChief(actor);
const byReviewer: Rule = canReview;
const byChief: Rule = (actor) => isChief(actor);

/** The workflow: every allowed move and who may make it. */
export const TRANSITIONS: Record<ArticleStatus, Partial<Record<ArticleStatus, Rule>>> = {
  draft: { submitted: byAuthor },
  submitted: { in_review: byReviewer, changes_requested: byReviewer, approved: byReviewer, draft: byAuthor },
  in_review: { changes_requested: byReviewer, approved: byReviewer },
  changes_requested: { submitted: byAuthor },
  approved: { scheduled: byChief, published: byChief, changes_requested: byReviewer },
  scheduled: { published: byChief, approved: byChief },
  published: { unpublished: byChief },
  unpublished: { published: byChief, draft: byChief },
};

export function canMove(actor: Actor, article: ArticleFacts, to: ArticleStatus): boolean {
  const rule = TRANSITIONS[article.status]?.[to];
  return rule !== undefined && rule(actor, article);
}

/** The moves this actor may make from the article's state, for the buttons on the page. */
export function movesFor(actor: Actor, article: ArticleFacts): ArticleStatus[] {
  return (Object.keys(TRANSITIONS[article.status] ?? {}) as ArticleStatus[]).filter((to) => canMove(actor, article, to));
}

export const canChooseEditorsPick = (actor: RoleHolder) => isChief(actor);
export const canEditCredits = (actor: RoleHolder) => has(actor, 'editor_in_chief') || isAdmin(actor);
/** Recomputing frozen byline ages from corrected birth dates, on publication. */
export const canRecomputeAges = (actor: RoleHolder) => has(actor, 'editor_in_chief');
/** The people desk: profiles, roles and invitations. */
export const canManagePeople = (actor: RoleHolder) => isChief(actor) || isAdmin(actor);
export const canManageUsers = isAdmin;
/** Only the editor-in-chief (and administrators) set the newsroom's writing rules. */
export const canSetWritingRules = (actor: RoleHolder) => has(actor, 'editor_in_chief') || isAdmin(actor);
export const canViewAudit = (actor: RoleHolder) => holdsAny(actor, AUDIT_ROLES);
/** The media library: every staff member uploads and picks pictures; readers do not. */
export const canUseMediaLibrary = canWrite;

/**
 * The redirects from old addresses: where the site's links lead is the
 * editor-in-chief's, the managing editor's and the administrators' call (the
 * desks and reviews of mentors and section editors do not move addresses).
 */
export const canManageRedirects = (actor: RoleHolder) => holdsAny(actor, REDIRECT_ROLES);

/**
 * The queue of readers' reports of a problem (mistakes, personal information,
 * safety, copyright): the editor-in-chief, the managing editor and the mentors,
 * who answer for what the magazine publishes and for the young people in it.
 */
export const canHandleReports = (actor: RoleHolder) => isChief(actor);

/** Composing and sending issues and looking after subscribers (their addresses are private). */
export const canRunNewsletter = (actor: RoleHolder) => holdsAny(actor, NEWSLETTER_ROLES);
/** Creating another newsletter is for the chiefs. */
export const canCreateNewsletter = (actor: RoleHolder) => isChief(actor) || isAdmin(actor);

/** Creating prizes, seating juries, publishing results and offering places. */
export const canOrganise = (actor: RoleHolder) => holdsAny(actor, ORGANISER_ROLES);

/**
 * Static pages (About, Code of conduct, Privacy...) speak for the whole magazine.
 * The chiefs (editor-in-chief, managing editor, mentors) and administrators write
 * them, save drafts and submit them; publishing, unpublishing, deleting and the
 * footer menu's order are the editor-in-chief's (and administrators'), as the
 * writing rules are: the managing editor and mentors publish articles, not the
 * magazine's own pages.
 */
export const canEditPages = (actor: RoleHolder) => isChief(actor) || isAdmin(actor);
export const canPublishPages = (actor: RoleHolder) => has(actor, 'editor_in_chief') || isAdmin(actor);

type PageRule = (actor: RoleHolder) => boolean;
/** A static page's workflow: every allowed move and who may make it. */
export const PAGE_TRANSITIONS: Record<PageStatus, Partial<Record<PageStatus, PageRule>>> = {
  draft: { submitted: canEditPages, published: canPublishPages },
  submitted: { draft: canEditPages, published: canPublishPages },
  published: { unpublished: canPublishPages },
  unpublished: { published: canPublishPages, draft: canEditPages },
};

export function canMovePage(actor: RoleHolder, from: PageStatus, to: PageStatus): boolean {
  const rule = PAGE_TRANSITIONS[from]?.[to];
  return rule !== undefined && rule(actor);
}

/** The moves this actor may make from a page's state, for the buttons on the page. */
export function pageMovesFor(actor: RoleHolder, from: PageStatus): PageStatus[] {
  return (Object.keys(PAGE_TRANSITIONS[from] ?? {}) as PageStatus[]).filter((to) => canMovePage(actor, from, to));
}

/** A published page changes what readers see at once: only those who publish edit it; the others edit drafts. */
export function canEditPage(actor: RoleHolder, status: PageStatus): boolean {
  if (canPublishPages(actor)) return true;
  return canEditPages(actor) && status !== 'published';
}

/** Roles that only an administrator gives, changes or takes away. */
export const ADMIN_GRANTED_ROLES: readonly RoleName[] = ['admin', 'editor_in_chief'];

/**
 * Why a granter may not add, change or remove a role for a person, or null when
 * they may: nobody changes their own roles ('own_roles'); only administrators
 * handle the administrator and editor-in-chief roles ('admin_only'). Who manages
 * people at all is canManagePeople; this holds even for those who do.
 */
export function roleChangeRefused(
  granter: RoleHolder & { personId: string | null },
  subjectPersonId: string,
  role: RoleName,
): 'own_roles' | 'admin_only' | null {
  if (granter.personId !== null && granter.personId === subjectPersonId) return 'own_roles';
  if (ADMIN_GRANTED_ROLES.includes(role) && !isAdmin(granter)) return 'admin_only';
  return null;
}

/**
 * The newsroom tabs a person with these roles may open: a tab shows only where
 * its page would not answer 403.
 */
export function newsroomTabs(roles: readonly RoleName[]): Set<string> {
  const holder = holderOf(roles);
  const tabs = new Set<string>();
  if (!canWrite(holder)) return tabs;
  for (const href of ['/newsroom', '/newsroom/articles', '/newsroom/articles/new']) tabs.add(href);
  if (canUseMediaLibrary(holder)) tabs.add('/newsroom/media');
  if (canManagePeople(holder)) tabs.add('/newsroom/people');
  if (canOrganise(holder)) tabs.add('/newsroom/prizes');
  if (canRunNewsletter(holder)) tabs.add('/newsroom/newsletters');
  if (canViewAudit(holder)) tabs.add('/newsroom/audit');
  if (canSetWritingRules(holder)) tabs.add('/newsroom/writing-rules');
  if (canManageRedirects(holder)) tabs.add('/newsroom/redirects');
  if (canEditPages(holder)) tabs.add('/newsroom/pages');
  if (canHandleReports(holder)) tabs.add('/newsroom/reports');
  return tabs;
}
