import { ROLE_NAMES, roleTitle } from '../../people/index.js';
import { CsrfField, ErrorSummary, Field, Notice, type FieldErrors } from '../../../web/forms.js';
import type { PageContext } from '../../../web/page-context.js';
import { NewsroomLayout } from '../../../web/ui/newsroom-layout.js';
import { DataTable } from '../../../web/ui/data-table.js';
import { ChoiceField } from '../../../web/ui/choice-field.js';

export function PeopleAdminPage(props: {
  ctx: PageContext;
  people: { id: string; slug: string; name: string; email: string | null }[];
  /** Each young writer's guardian consent ("None", "Given on …"); nothing for those who need none. */
  consent: Map<string, string | null>;
}): JSX.Element {
  return (
    <NewsroomLayout ctx={props.ctx} title="People">
      <header class="page-header">
        <h1>People</h1>
        <p>
          <a class="button" href="/newsroom/people/new">
            Add a person
          </a>
        </p>
      </header>
      <p>
        <a href="/newsroom/consent">Writers without a guardian’s consent</a>
      </p>
      <DataTable columns={['Name', 'Account', 'Guardian’s consent', 'Public page']}>
        {props.people.map((p) => (
          <tr>
            <td>
              <a href={`/newsroom/people/${p.id}`} safe>
                {p.name}
              </a>
            </td>
            <td safe>{p.email ?? 'none'}</td>
            <td>
              {props.consent.get(p.id) ? (
                <a href={`/newsroom/people/${p.id}/consent`} safe>
                  {props.consent.get(p.id)!}
                </a>
              ) : (
                ''
              )}
            </td>
            <td>
              <a href={`/people/${p.slug}`} safe>{`/people/${p.slug}`}</a>
            </td>
          </tr>
        ))}
      </DataTable>
    </NewsroomLayout>
  );
}

export interface PersonFormValues {
  name: string;
  birthDate: string;
  birthplace: string;
  showBirthplace: boolean;
  locations: string;
  languages: string;
  bio: string;
  photoMediaId: string;
}

function PersonFields(props: { values: PersonFormValues; errors: FieldErrors; pictures: { id: string; alt: string }[] }): JSX.Element {
  const v = props.values;
  return (
    <>
      <Field label="Name" name="name" value={v.name} error={props.errors.name} required maxlength={100} />
      <Field
        label="Date of birth (private)"
        name="birthDate"
        value={v.birthDate}
        error={props.errors.birthDate}
        hint="YYYY-MM-DD. Never shown: only the age on each byline is."
        maxlength={10}
      />
      <Field label="Birthplace" name="birthplace" value={v.birthplace} maxlength={100} />
      <div class="field field--checkbox">
        <input type="checkbox" id="field-showBirthplace" name="showBirthplace" value="1" checked={v.showBirthplace} />
        <label for="field-showBirthplace">Show the birthplace on the public page (the person agreed)</label>
      </div>
      <div class="field">
        <label for="field-locations">Places</label>
        <p class="field__hint">One per line, in the order to show them, like “Kyiv, Ukraine”.</p>
        <textarea id="field-locations" name="locations" rows="3" safe>
          {v.locations}
        </textarea>
      </div>
      <Field label="Languages" name="languages" value={v.languages} hint="Separated by commas." maxlength={300} />
      <div class="field">
        <label for="field-bio">Biography</label>
        <p class="field__hint">Paragraphs separated by blank lines. Do not include a full date of birth.</p>
        <textarea id="field-bio" name="bio" rows="8" safe>
          {v.bio}
        </textarea>
      </div>
      <ChoiceField
        id="field-photoMediaId"
        name="photoMediaId"
        label="Photo"
        blank="None"
        choices={props.pictures.map((p) => ({ value: p.id, label: p.alt }))}
        selected={v.photoMediaId}
      />
    </>
  );
}

export function NewPersonPage(props: {
  ctx: PageContext;
  csrf: string;
  values: PersonFormValues;
  errors: FieldErrors;
  pictures: { id: string; alt: string }[];
}): JSX.Element {
  return (
    <NewsroomLayout ctx={props.ctx} title="Add a person">
      <div class="form-card">
        <h1>Add a person</h1>
        <ErrorSummary errors={props.errors} />
        <form method="post" action="/newsroom/people" novalidate>
          <CsrfField token={props.csrf} />
          <PersonFields values={props.values} errors={props.errors} pictures={props.pictures} />
          <button type="submit" class="button">
            Add the person
          </button>
        </form>
      </div>
    </NewsroomLayout>
  );
}

export interface PersonEditData {
  id: string;
  slug: string;
  email: string | null;
  roles: { id: string; title: string; starts_on: string; ends_on: string | null }[];
  memberships: { id: string; name: string; role: string; starts_on: string; ends_on: string | null }[];
}

export function EditPersonPage(props: {
  ctx: PageContext;
  csrf: string;
  person: PersonEditData;
  values: PersonFormValues;
  errors: FieldErrors;
  message?: string | undefined;
  notice?: string | undefined;
  /** What was typed in the invitation form, and why it was refused. */
  invite?: { email: string; error: string } | undefined;
  pictures: { id: string; alt: string }[];
  sections: { id: string; name: string }[];
  newsrooms: { id: string; name: string }[];
  canManage: boolean;
  today: string;
}): JSX.Element {
  const { person, csrf } = props;
  const base = `/newsroom/people/${person.id}`;
  return (
    <NewsroomLayout ctx={props.ctx} title={`Edit ${props.values.name}`}>
      <header class="page-header">
        <h1 safe>{props.values.name}</h1>
        <p>
          <a href={`/people/${person.slug}`}>Public page</a> · <a href={`${base}/byline`}>How the name is shown in public</a>
        </p>
        <p>
          <a href={`${base}/consent`}>Guardian’s consent</a>
        </p>
      </header>
      {props.notice ? <Notice kind="success" text={props.notice} /> : ''}
      <ErrorSummary errors={props.errors} message={props.message} />
      <div class="editor-grid">
        <form method="post" action={base} novalidate>
          <CsrfField token={csrf} />
          <PersonFields values={props.values} errors={props.errors} pictures={props.pictures} />
          <button type="submit" class="button">
            Save
          </button>
        </form>
        <aside class="editor-side">
          <section class="desk-section" aria-labelledby="roles-heading">
            <h2 id="roles-heading">Roles</h2>
            {person.roles.length === 0 ? <p class="empty">No roles yet.</p> : ''}
            <ul class="plain-list">
              {person.roles.map((r) => (
                <li>
                  <strong safe>{r.title}</strong> <span class="muted" safe>{`${r.starts_on} – ${r.ends_on ?? 'present'}`}</span>
                  {props.canManage ? (
                    <form method="post" action={`${base}/roles/${r.id}`} class="inline-form">
                      <CsrfField token={csrf} />
                      <label for={`start-${r.id}`}>Starts</label>
                      <input id={`start-${r.id}`} type="date" name="startsOn" value={r.starts_on} required />
                      <label for={`end-${r.id}`}>Ends</label>
                      <input id={`end-${r.id}`} type="date" name="endsOn" value={r.ends_on ?? ''} />
                      <button type="submit" class="button button--secondary">
                        Save dates
                      </button>
                      <a href={`${base}/roles/${r.id}/delete`}>Delete (entered by mistake)</a>
                    </form>
                  ) : (
                    ''
                  )}
                </li>
              ))}
            </ul>
            {props.canManage ? (
              <form method="post" action={`${base}/roles`} class="move-form">
                <CsrfField token={csrf} />
                <h3>Add a role</h3>
                <div class="field">
                  <label for="field-role">Role</label>
                  <select id="field-role" name="role" required>
                    {ROLE_NAMES.map((role) => (
                      <option value={role} safe>
                        {roleTitle({ role, sectionName: null, newsroomName: null })}
                      </option>
                    ))}
                  </select>
                </div>
                <ChoiceField
                  id="field-role-section"
                  name="sectionId"
                  label="Section"
                  blank="None"
                  choices={props.sections.map((s) => ({ value: s.id, label: s.name }))}
                />
                <div class="field">
                  <label for="field-role-start">Starts on</label>
                  <input id="field-role-start" type="date" name="startsOn" value={props.today} required />
                </div>
                <div class="field field--checkbox">
                  <input type="checkbox" id="field-promotion" name="promotion" value="1" checked />
                  <label for="field-promotion">A promotion: end the current roles that day</label>
                </div>
                <button type="submit" class="button">
                  Add the role
                </button>
              </form>
            ) : (
              ''
            )}
          </section>
          <section class="desk-section" aria-labelledby="newsrooms-heading">
            <h2 id="newsrooms-heading">Newsrooms</h2>
            <ul class="plain-list">
              {person.memberships.map((m) => (
                <li>
                  <span safe>{`${m.name} (${m.role}), ${m.starts_on} – ${m.ends_on ?? 'present'}`}</span>
                  {props.canManage && !m.ends_on ? (
                    <form method="post" action={`${base}/memberships/${m.id}/end`} class="inline-form">
                      <CsrfField token={csrf} />
                      <input type="hidden" name="endsOn" value={props.today} />
                      <button type="submit" class="button button--secondary">
                        End today
                      </button>
                    </form>
                  ) : (
                    ''
                  )}
                </li>
              ))}
            </ul>
            {props.canManage ? (
              <form method="post" action={`${base}/memberships`} class="move-form">
                <CsrfField token={csrf} />
                <div class="field">
                  <label for="field-newsroom">Newsroom</label>
                  <select id="field-newsroom" name="newsroomId" required>
                    {props.newsrooms.map((n) => (
                      <option value={n.id} safe>
                        {n.name}
                      </option>
                    ))}
                  </select>
                </div>
                <div class="field">
                  <label for="field-member-role">Role in the newsroom</label>
                  <input id="field-member-role" name="role" value="member" maxlength="40" />
                </div>
                <div class="field">
                  <label for="field-member-start">Starts on</label>
                  <input id="field-member-start" type="date" name="startsOn" value={props.today} required />
                </div>
                <button type="submit" class="button button--secondary">
                  Add to the newsroom
                </button>
              </form>
            ) : (
              ''
            )}
          </section>
          {props.canManage ? (
            <section class="desk-section" aria-labelledby="account-heading">
              <h2 id="account-heading">Account</h2>
              {person.email ? <p safe>{`Linked to ${person.email}.`}</p> : <p>No account is linked.</p>}
              {person.email ? (
                ''
              ) : (
                <form method="post" action={`${base}/invite`} novalidate>
                  <CsrfField token={csrf} />
                  <h3>Invite by email</h3>
                  <Field
                    label="Email address"
                    name="email"
                    id="field-inviteEmail"
                    type="email"
                    autocomplete="off"
                    value={props.invite?.email ?? ''}
                    error={props.invite?.error}
                    hint="We email a one-time link that signs them in to the newsroom, with an account for this address."
                    maxlength={254}
                  />
                  <button type="submit" class="button">
                    Send the invitation
                  </button>
                </form>
              )}
              <form method="post" action={`${base}/account`}>
                <CsrfField token={csrf} />
                <h3>Link an existing account</h3>
                <Field label="Email of the account to link" name="email" type="email" hint="Leave empty to unlink." />
                <button type="submit" class="button button--secondary">
                  Link
                </button>
              </form>
            </section>
          ) : (
            ''
          )}
        </aside>
      </div>
    </NewsroomLayout>
  );
}

/** Asks before deleting a role: deleting is for a role entered by mistake, ending is for one that ended. */
export function DeleteRolePage(props: {
  ctx: PageContext;
  csrf: string;
  personId: string;
  role: { id: string; title: string; starts_on: string; ends_on: string | null; person_name: string };
}): JSX.Element {
  const { role } = props;
  const base = `/newsroom/people/${props.personId}`;
  return (
    <NewsroomLayout ctx={props.ctx} title="Delete a role">
      <div class="form-card">
        <h1 safe>{`Delete “${role.title}” of ${role.person_name}?`}</h1>
        <p safe>{`${role.title}, ${role.starts_on} – ${role.ends_on ?? 'present'}.`}</p>
        <p>
          Delete a role only when it was entered by mistake: it disappears from the person’s page and history as if it had never been given.
          The audit log keeps a record. If the role was held and has ended, set its end date instead.
        </p>
        <form method="post" action={`${base}/roles/${role.id}/delete`}>
          <CsrfField token={props.csrf} />
          <input type="hidden" name="confirm" value="yes" />
          <button type="submit" class="button button--danger">
            Delete the role
          </button>{' '}
          <a href={base}>Keep it</a>
        </form>
      </div>
    </NewsroomLayout>
  );
}
