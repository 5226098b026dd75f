// The age of digital consent by country: GDPR Art. 8 lets each member state
// choose from 13 to 16 (the EEA states and the UK chose too). Below that age a
// writer's publications need a guardian's consent. Administrators may change
// any of these (digital_consent_ages); a country not listed uses ELSEWHERE.

/** The key of "every other country" in the table and the settings form. */
export const ELSEWHERE = '*';
export const MIN_CONSENT_AGE = 13;
export const MAX_CONSENT_AGE = 18;

export interface ConsentCountry {
  code: string;
  name: string;
  /** The age the country chose under GDPR Art. 8 (or its own law, for the UK and EEA). */
  age: number;
  /** Other ways a location may spell the country (lower case). */
  aliases?: readonly string[];
}

export const CONSENT_COUNTRIES: readonly ConsentCountry[] = [
  { code: 'AT', name: 'Austria', age: 14, aliases: ['österreich'] },
  { code: 'BE', name: 'Belgium', age: 13, aliases: ['belgique', 'belgië'] },
  { code: 'BG', name: 'Bulgaria', age: 14 },
  { code: 'HR', name: 'Croatia', age: 16, aliases: ['hrvatska'] },
  { code: 'CY', name: 'Cyprus', age: 14 },
  { code: 'CZ', name: 'Czechia', age: 15, aliases: ['czech republic', 'česko'] },
  { code: 'DK', name: 'Denmark', age: 13, aliases: ['danmark'] },
  { code: 'EE', name: 'Estonia', age: 13, aliases: ['eesti'] },
  { code: 'FI', name: 'Finland', age: 13, aliases: ['suomi'] },
  { code: 'FR', name: 'France', age: 15 },
  { code: 'DE', name: 'Germany', age: 16, aliases: ['deutschland'] },
  { code: 'GR', name: 'Greece', age: 15, aliases: ['hellas', 'ελλάδα'] },
  { code: 'HU', name: 'Hungary', age: 16, aliases: ['magyarország'] },
  { code: 'IS', name: 'Iceland', age: 13, aliases: ['ísland'] },
  { code: 'IE', name: 'Ireland', age: 16, aliases: ['éire', 'republic of ireland'] },
  { code: 'IT', name: 'Italy', age: 14, aliases: ['italia'] },
  { code: 'LV', name: 'Latvia', age: 13, aliases: ['latvija'] },
  { code: 'LI', name: 'Liechtenstein', age: 16 },
  { code: 'LT', name: 'Lithuania', age: 14, aliases: ['lietuva'] },
  { code: 'LU', name: 'Luxembourg', age: 16 },
  { code: 'MT', name: 'Malta', age: 13 },
  { code: 'NL', name: 'Netherlands', age: 16, aliases: ['the netherlands', 'nederland', 'holland'] },
  { code: 'NO', name: 'Norway', age: 13, aliases: ['norge'] },
  { code: 'PL', name: 'Poland', age: 16, aliases: ['polska'] },
  { code: 'PT', name: 'Portugal', age: 13 },
  { code: 'RO', name: 'Romania', age: 16, aliases: ['românia'] },
  { code: 'SK', name: 'Slovakia', age: 16, aliases: ['slovensko'] },
  { code: 'SI', name: 'Slovenia', age: 15, aliases: ['slovenija'] },
  { code: 'ES', name: 'Spain', age: 14, aliases: ['españa'] },
  { code: 'SE', name: 'Sweden', age: 13, aliases: ['sverige'] },
  {
    code: 'GB',
    name: 'United Kingdom',
    age: 13,
    aliases: ['uk', 'u.k.', 'great britain', 'britain', 'england', 'scotland', 'wales', 'northern ireland'],
  },
];

/** The age everywhere the table does not name. */
export const DEFAULT_ELSEWHERE_AGE = 13;

const byName = new Map<string, string>();
for (const c of CONSENT_COUNTRIES) {
  byName.set(c.name.toLowerCase(), c.code);
  byName.set(c.code.toLowerCase(), c.code);
  for (const alias of c.aliases ?? []) byName.set(alias, c.code);
}

/**
 * The country of a place written "City, Country" (the part after the last
 * comma), as a code of the table, or ELSEWHERE when the table does not name it.
 */
export function countryOfPlace(place: string | null | undefined): string {
  if (!place) return ELSEWHERE;
  const country = place.split(',').pop()!.trim().toLowerCase();
  return byName.get(country) ?? ELSEWHERE;
}

/** The name a code stands for, for pages and messages. */
export function countryName(code: string): string {
  return CONSENT_COUNTRIES.find((c) => c.code === code)?.name ?? 'other countries';
}

/** The default table, with ELSEWHERE. */
export function defaultAges(): Map<string, number> {
  return new Map([...CONSENT_COUNTRIES.map((c) => [c.code, c.age] as const), [ELSEWHERE, DEFAULT_ELSEWHERE_AGE]]);
}
