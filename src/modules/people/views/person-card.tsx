import { PictureTag } from '../../media/index.js';
import { joinWithAnd, type PersonCard } from '../people.service.js';

/** The "Written by" / "Edited by" card: photo, name, role, places, bio, languages. */
export function PersonCardView(props: { person: PersonCard; showBio?: boolean; headingLevel?: 3 | 4 }): JSX.Element {
  const p = props.person;
  const safeBio = p.safeBioHtml;
  const Heading = props.headingLevel === 4 ? 'h4' : 'h3';
  return (
    <div class="person-card">
      {p.photo ? <PictureTag class="person-card__photo" picture={p.photo} alt={`Portrait of ${p.name}`} sizes="6rem" /> : ''}
      <div class="person-card__text">
        <Heading class="person-card__name">
          <a href={`/people/${p.slug}`} safe>
            {p.name}
          </a>
        </Heading>
        {p.role ? (
          <p class="person-card__role" safe>
            {p.role.title}
          </p>
        ) : (
          ''
        )}
        {p.locations.length > 0 ? (
          <p class="person-card__places" safe>
            {p.locations.join(' | ')}
          </p>
        ) : (
          ''
        )}
        {props.showBio === false || safeBio === '' ? '' : <div class="person-card__bio">{safeBio}</div>}
        {props.showBio !== false && p.languages.length > 0 ? (
          <p class="person-card__languages" safe>
            {`${p.name.split(' ')[0]} speaks ${joinWithAnd(p.languages)}.`}
          </p>
        ) : (
          ''
        )}
      </div>
    </div>
  );
}
