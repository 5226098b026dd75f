// Who may do what in the newsroom. Small pure functions over an actor (the roles
// a signed-in person holds today) and an article; routes and services call them
// before acting, and a refusal is a 403, never only a hidden button.
import type { ArticleStatus, RoleName } from '../../db/schema.js';
import { canOrganise } from '../competitions/index.js';

export interface Actor {
  userId: string;
  personId: string;
  name: string;
  roles: { role: RoleName; sectionId: string | null }[];
}

export interface ArticleFacts {
  status: ArticleStatus;
  sectionId: string;
  authorIds: string[];
  editorIds: string[];
}

const WRITER_ROLES: RoleName[] = ['contributor', 'staff_writer', 'correspondent', 'section_editor', 'newsletter_editor', 'social_media_editor', 'editor_in_chief', 'managing_editor', 'mentor', 'admin'];
/** Roles that review, edit and publish across every section. */
const CHIEF_ROLES: RoleName[] = ['editor_in_chief', 'managing_editor', 'mentor'];

export const has = (actor: Actor, role: RoleName) => actor.roles.some((r) => r.role === role);
export const isAdmin = (actor: Actor) => has(actor, 'admin');
export const isChief = (actor: Actor) => actor.roles.some((r) => CHIEF_ROLES.includes(r.role));
export const canWrite = (actor: Actor) => actor.roles.some((r) => WRITER_ROLES.includes(r.role));
export const editsSection = (actor: Actor, sectionId: string) => actor.roles.some((r) => r.role === 'section_editor' && r.sectionId === sectionId);
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

export const canChooseEditorsPick = byChief as (actor: Actor) => boolean;
export const canEditCredits = (actor: Actor) => has(actor, 'editor_in_chief') || isAdmin(actor);
/** Recomputing frozen byline ages from corrected birth dates, on publication. */
export const canRecomputeAges = (actor: Actor) => has(actor, 'editor_in_chief');
export const canManagePeople = (actor: Actor) => isChief(actor) || isAdmin(actor);
export const canManageUsers = isAdmin;
/** Only the editor-in-chief (and administrators) set the newsroom's writing rules. */
export const canSetWritingRules = (actor: Actor) => has(actor, 'editor_in_chief') || isAdmin(actor);
export const canViewAudit = (actor: Actor) => isAdmin(actor) || has(actor, 'editor_in_chief') || has(actor, 'mentor') || has(actor, 'managing_editor');

/** Who runs the newsletter desk (the newsletter module's rule, `canRunNewsletter`, over role names). */
const NEWSLETTER_DESK_ROLES: RoleName[] = ['newsletter_editor', 'editor_in_chief', 'managing_editor', 'mentor', 'admin'];

/**
 * The newsroom tabs a person with these roles may open: a tab shows only where
 * its page would not answer 403.
 */
export function newsroomTabs(roles: readonly RoleName[]): Set<string> {
  const actor: Actor = { userId: '', personId: '', name: '', roles: roles.map((role) => ({ role, sectionId: null })) };
  const tabs = new Set<string>();
  if (!canWrite(actor)) return tabs;
  for (const href of ['/newsroom', '/newsroom/articles', '/newsroom/articles/new', '/newsroom/media']) tabs.add(href);
  if (canManagePeople(actor)) tabs.add('/newsroom/people');
  if (canOrganise(roles)) tabs.add('/newsroom/prizes');
  if (roles.some((r) => NEWSLETTER_DESK_ROLES.includes(r))) tabs.add('/newsroom/newsletters');
  if (canViewAudit(actor)) tabs.add('/newsroom/audit');
  if (canSetWritingRules(actor)) tabs.add('/newsroom/writing-rules');
  return tabs;
}
