import type { BylinePerson } from '../byline.js';

/** "17 year-old <a>Name</a> reports on ...", with each name linking to the person. */
export function Byline(props: { people: BylinePerson[]; phrase: string; link?: boolean }): JSX.Element {
  const last = props.people.length - 1;
  return (
    <p class="byline">
      {props.people.map((person, i) => (
        <>
          {i === 0 ? '' : i === last ? ' and ' : ', '}
          {person.age === null ? '' : <>{person.age} year-old </>}
          {props.link === false ? (
            <span class="byline__name" safe>
              {person.name}
            </span>
          ) : (
            <a class="byline__name" href={`/people/${person.slug}`} safe>
              {person.name}
            </a>
          )}
        </>
      ))}
      {props.phrase ? ' ' : ''}
      <span safe>{props.phrase}</span>
    </p>
  );
}
