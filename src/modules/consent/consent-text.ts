// The words a guardian agrees to. Each version is kept as it was: a consent
// records the version and the exact text its guardian was shown, so a change of
// wording is a new version here, never an edit of an old one.

export interface ConsentWording {
  version: number;
  text(writer: string, site: string): string;
}

const VERSIONS: readonly ConsentWording[] = [
  {
    version: 1,
    text: (writer, site) =>
      [
        `I am the parent or legal guardian of ${writer}.`,
        `I agree that ${site} may publish articles written by ${writer} under their name, with their age on the byline and the public profile the newsroom keeps (name, photo, places, languages and a short biography).`,
        `I understand that the date of birth, email address and school of ${writer} are never published, and that I can withdraw this consent at any time with the link in the email I received. Withdrawing stops new publications; the editor-in-chief then reviews the articles already published.`,
      ].join('\n\n'),
  },
];

/** The wording new requests use. */
export const CURRENT_WORDING: ConsentWording = VERSIONS[VERSIONS.length - 1]!;
