// The byline line: "17 year-old Name reports on ...", "17 year-old A and 16
// year-old B report on ...". The phrase carries its own verb, as the writer
// supplied it.

export interface BylinePerson {
  slug: string;
  name: string;
  age: number | null;
}

export function bylineNames(people: BylinePerson[]): string[] {
  return people.map((p) => (p.age === null ? p.name : `${p.age} year-old ${p.name}`));
}

export function joinNames(names: string[]): string {
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

/** The byline as plain text, for feeds, meta tags and tests. */
export function bylineText(people: BylinePerson[], phrase: string): string {
  const names = joinNames(bylineNames(people));
  return phrase ? `${names} ${phrase}` : names;
}
