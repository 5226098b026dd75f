// Role titles as the magazine prints them, and which role is someone's current
// one. Pure functions: the dates come in, the words go out.
import type { RoleName } from '../../db/schema.js';
import { holderOf, roleChangeRefused } from '../access/index.js';

export interface RoleSpan {
  role: RoleName;
  sectionName: string | null;
  newsroomName: string | null;
  startsOn: string;
  endsOn: string | null;
}

const TITLES: Record<RoleName, string> = {
  contributor: 'Contributor',
  staff_writer: 'Staff Writer',
  correspondent: 'Correspondent',
  section_editor: 'Section Editor',
  newsletter_editor: 'Newsletter Editor',
  social_media_editor: 'Social Media Editor',
  editor_in_chief: 'Editor-in-chief',
  managing_editor: 'Managing Editor',
  mentor: 'Mentor',
  admin: 'Administrator',
};

export const ROLE_NAMES = Object.keys(TITLES) as RoleName[];

/** "Human Rights Section Editor", "Editor-in-chief", "Women's Rights Newsroom Contributor". */
export function roleTitle(span: Pick<RoleSpan, 'role' | 'sectionName' | 'newsroomName'>): string {
  const scope = span.sectionName ?? span.newsroomName;
  return scope ? `${scope} ${TITLES[span.role]}` : TITLES[span.role];
}

/** A role is held on a day from its first day up to, not including, its end day. */
export function isHeldOn(span: Pick<RoleSpan, 'startsOn' | 'endsOn'>, day: string): boolean {
  return span.startsOn <= day && (span.endsOn === null || span.endsOn > day);
}

/**
 * The role a person page or card shows: the current role (the most recently
 * started one held today), or else the last role held, read as "former ...".
 */
export function displayedRole(spans: RoleSpan[], today: string): { title: string; current: boolean } | null {
  const held = spans.filter((s) => isHeldOn(s, today)).sort((a, b) => b.startsOn.localeCompare(a.startsOn));
  if (held[0]) return { title: roleTitle(held[0]), current: true };
  const past = spans
    .filter((s) => s.startsOn <= today)
    .sort((a, b) => (b.endsOn ?? b.startsOn).localeCompare(a.endsOn ?? a.startsOn) || b.startsOn.localeCompare(a.startsOn));
  return past[0] ? { title: `former ${roleTitle(past[0])}`, current: false } : null;
}

/** Roles held for one section, which cannot be given without it. */
export const SECTION_ROLES: readonly RoleName[] = ['section_editor'];

/** Roles that open the newsroom: every role there is. */
export const isStaffRole = (role: RoleName): boolean => ROLE_NAMES.includes(role);

/** Why `granter` may not add, change or remove `role` for the person `subjectPersonId` (access's rule), in words; null when they may. */
export function roleChangeRefusal(
  granter: { personId: string | null; roles: readonly RoleName[] },
  subjectPersonId: string,
  role: RoleName,
): string | null {
  const refused = roleChangeRefused({ personId: granter.personId, ...holderOf(granter.roles) }, subjectPersonId, role);
  if (refused === 'own_roles') return 'Nobody changes their own roles: ask another editor or an administrator.';
  if (refused === 'admin_only') return `Only an administrator gives, changes or removes the role of ${TITLES[role]}.`;
  return null;
}
