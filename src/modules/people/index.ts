// People and their roles over time: public profiles, role titles ("Human Rights
// Section Editor", "former Editor-in-chief"), ages on bylines, and newsrooms.
// Birth dates stay inside this module; only ages derived from them leave it.
// The module owns the people, role_assignments, newsrooms and newsroom_members
// tables: others create a person with createContributor and ask peopleLookups.
export {
  rolesHeldOn,
  linkStaffAccount,
  makeContributorOfAccount,
  staffNames,
  agesOn,
  agesOnEach,
  personCards,
  personProfile,
  newsroomProfile,
  joinWithAnd,
  type PersonCard,
  type PersonProfile,
  type NewsroomProfile,
} from './people.service.js';
export { displayedRole, roleTitle, isHeldOn, roleChangeRefusal, ROLE_NAMES, SECTION_ROLES, type RoleSpan } from './roles.js';
export { PersonCardView } from './views/person-card.js';
export { peopleRoutes } from './people.routes.js';
export { accountPeople, createContributor, importPerson, type ImportedProfile, type PeopleDb } from './contributors.js';
export * as peopleLookups from './lookups.js';
export type { ArticleLists, ListedArticles } from './article-lists.js';
export * as peopleAdmin from './people.admin.js';
export * as peopleSitemap from './sitemap-entries.js';
export { peoplePlugin } from './plugin.js';
export { onPersonChanged, onPersonMoved, type PersonMove } from './changes.js';
export { peopleBundle } from './bundle.js';
export { publicPerson, shownName, firstNameAndInitial, NAME_SHOWN, type BylinePrivacy, type PublicPerson } from './public-person.js';
export type { NameShown } from '../../db/schema.js';
