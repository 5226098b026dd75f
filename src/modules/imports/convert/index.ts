// Converters from imported content (WordPress HTML, Ghost html/mobiledoc/lexical)
// into the allowlisted rich-text document. Pure functions: no database, no files.
export type { Converted, ConvertedPicture, HtmlOptions } from './types.js';
export { htmlToDoc } from './html.js';
export { wordpressToDoc } from './wordpress.js';
export { mobiledocToDoc } from './mobiledoc.js';
export { lexicalToDoc } from './lexical.js';
