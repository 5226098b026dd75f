// URL slugs for every named thing (people, articles, sections, tags, prizes,
// newsletters). @sindresorhus/slugify transliterates, so "Łukasz Ørsted" keeps
// its letters (lukasz-orsted) and Cyrillic or Greek names give readable
// addresses rather than nothing.
import slugifyText from '@sindresorhus/slugify';

/** Long enough for a headline's gist, short enough for a shared link. */
const MAX_SLUG_LENGTH = 80;

/**
 * A URL slug: lower-case ASCII words joined by hyphens. Text with nothing to
 * transliterate (emoji, punctuation, most CJK) gives `fallback`, so a slug is
 * never empty.
 */
export function slugify(text: string, fallback: string): string {
  const slug = slugifyText(text, {
    customReplacements: [
      ["'", ''],
      ['’', ''],
    ],
  })
    .slice(0, MAX_SLUG_LENGTH)
    .replace(/-+$/, '');
  return slug === '' ? fallback : slug;
}
