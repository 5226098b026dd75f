// Who may run the newsletter: small pure rules over the newsroom's actor. The
// newsletter editor, the editor-in-chief, the managing editor and mentors compose
// and send issues and look after subscribers (their addresses are private);
// creating another newsletter is for the chiefs.
import type { RoleName } from '../../db/schema.js';
import { permissions } from '../newsroom/index.js';

type Actor = permissions.Actor;

const NEWSLETTER_ROLES: RoleName[] = ['newsletter_editor', 'editor_in_chief', 'managing_editor', 'mentor', 'admin'];

export const canRunNewsletter = (actor: Actor) => actor.roles.some((r) => NEWSLETTER_ROLES.includes(r.role));
export const canCreateNewsletter = (actor: Actor) => permissions.isChief(actor) || permissions.isAdmin(actor);
