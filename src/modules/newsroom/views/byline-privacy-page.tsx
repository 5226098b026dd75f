import type { BylinePrivacy } from '../../people/index.js';
import { CsrfField, ErrorSummary, Notice, type FieldErrors } from '../../../web/forms.js';
import type { PageContext } from '../../../web/page-context.js';
import { NewsroomLayout } from '../../../web/ui/newsroom-layout.js';

const NAME_CHOICES: { value: BylinePrivacy['nameShown']; label: (name: string, initial: string) => string }[] = [
  { value: 'full', label: (name) => `Full name (“${name}”)` },
  { value: 'initial', label: (_name, initial) => `First name and initial (“${initial}”)` },
  { value: 'pen', label: () => 'A pen name' },
];

function Check(props: { name: keyof BylinePrivacy; checked: boolean; label: string; hint?: string }): JSX.Element {
  const id = `field-${props.name}`;
  return (
    <div class="field field--checkbox">
      <input
        type="checkbox"
        id={id}
        name={props.name}
        value="1"
        checked={props.checked}
        aria-describedby={props.hint ? `${id}-hint` : undefined}
      />
      <label for={id} safe>
        {props.label}
      </label>
      {props.hint ? (
        <p class="field__hint" id={`${id}-hint`} safe>
          {props.hint}
        </p>
      ) : (
        ''
      )}
    </div>
  );
}

/** How a person is shown in public: their own choice, or an editor's on their behalf. */
export function BylinePrivacyPage(props: {
  ctx: PageContext;
  csrf: string;
  person: { id: string; slug: string; name: string; shownName: string; initial: string };
  values: BylinePrivacy;
  errors: FieldErrors;
  notice?: string | undefined;
  own: boolean;
  penNameMax: number;
}): JSX.Element {
  const { person, values, errors } = props;
  const base = `/newsroom/people/${person.id}`;
  const title = props.own ? 'How you are shown in public' : `How ${person.name} is shown in public`;
  return (
    <NewsroomLayout ctx={props.ctx} title={title}>
      <header class="page-header">
        <h1 safe>{title}</h1>
        <p>
          <span safe>{`The magazine shows “${person.shownName}”. `}</span>
          <a href={`/people/${person.slug}`}>Public page</a> · <a href={base}>Profile</a>
        </p>
      </header>
      {props.notice ? <Notice kind="success" text={props.notice} /> : ''}
      <ErrorSummary errors={errors} />
      <div class="form-card">
        <form method="post" action={`${base}/byline`} novalidate>
          <CsrfField token={props.csrf} />
          <fieldset
            class={errors.nameShown ? 'field has-error' : ''}
            aria-describedby={errors.nameShown ? 'field-nameShown-error' : undefined}
          >
            <legend>Name on bylines, cards and the profile</legend>
            {errors.nameShown ? (
              <p class="field__error" id="field-nameShown-error" safe>
                {errors.nameShown}
              </p>
            ) : (
              ''
            )}
            {NAME_CHOICES.map((choice, i) => {
              const id = i === 0 ? 'field-nameShown' : `field-nameShown-${choice.value}`;
              return (
                <div class="field field--checkbox">
                  <input id={id} type="radio" name="nameShown" value={choice.value} checked={values.nameShown === choice.value} />
                  <label for={id} safe>
                    {choice.label(person.name, person.initial)}
                  </label>
                </div>
              );
            })}
          </fieldset>
          <div class={errors.penName ? 'field has-error' : 'field'}>
            <label for="field-penName">Pen name</label>
            <p class="field__hint" id="field-penName-hint">
              Needed when “A pen name” is chosen. It replaces the name everywhere the public sees it.
            </p>
            {errors.penName ? (
              <p class="field__error" id="field-penName-error" safe>
                {errors.penName}
              </p>
            ) : (
              ''
            )}
            <input
              type="text"
              id="field-penName"
              name="penName"
              value={values.penName}
              maxlength={props.penNameMax}
              aria-describedby={errors.penName ? 'field-penName-hint field-penName-error' : 'field-penName-hint'}
              aria-invalid={errors.penName ? 'true' : undefined}
            />
          </div>
          <Check name="showPlace" checked={values.showPlace} label="Show the city and country (places and birthplace)" />
          <Check name="showPortrait" checked={values.showPortrait} label="Show the portrait" />
          <Check
            name="listed"
            checked={values.listed}
            label="List the profile"
            hint="Unlisted: left out of the people directory, the sitemaps and search; the profile page still opens from bylines, and asks search engines not to index it."
          />
          <Check
            name="hideAge"
            checked={values.hideAge}
            label="Leave the age off bylines"
            hint="Ages on bylines stay unless this is ticked."
          />
          <p class="field__hint">
            A biography that names what is hidden (the surname, a place) is left off the public pages until it no longer does. When the name
            shown changes, the profile’s address changes with it and the old address no longer answers.
          </p>
          <button type="submit" class="button">
            Save
          </button>
        </form>
      </div>
    </NewsroomLayout>
  );
}
