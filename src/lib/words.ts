// The one word count: the newsroom editor's live counter, the prize entry
// form's counter, the word limit a prize enforces and the stored word count of
// an article all agree. Free of imports, so the browser bundles share it.

/** Words as runs of non-space characters: "Covid-19 isn’t over — yet." is five. */
export function countWords(text: string): number {
  const trimmed = text.trim();
  return trimmed === '' ? 0 : trimmed.split(/\s+/u).length;
}
