// How an old address becomes the key it is stored under, and which targets a
// redirect may point at. Pure functions: the importers, the desk and the lookup
// on a missed route all call these, so the three agree on what "the same
// address" means.

/** A redirect's old address or target never needs to be longer than this. */
export const MAX_PATH_LENGTH = 2000;

/** The old site's query-string addresses worth keeping (`/?p=123`, `/?page_id=7`): a name and a number. */
export const OLD_QUERY_KEYS: ReadonlySet<string> = new Set(['p', 'page_id', 'cat', 'author', 'attachment_id']);

const BASE = 'http://redirect.invalid';
// eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
const CONTROL = /[\u0000-\u001f\u007f]/;
const SCHEME = /^[a-z][a-z0-9+.-]*:/i;
// encodeURIComponent escapes these, but a path segment may hold them as they are.
const SEGMENT_SAFE = /%(3A|40|24|26|2B|2C|3B|3D)/g;

function canonicalSegment(raw: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    return null; // a broken escape (%E0%A4) names nothing we could have stored
  }
  if (CONTROL.test(decoded)) return null;
  return encodeURIComponent(decoded).replace(SEGMENT_SAFE, (escape) => decodeURIComponent(escape));
}

/** `p=123` out of `?p=123` (a share's tracking fields beside it, `&fbclid=…`, are ignored); null when it is not one old id. */
function oldQuery(search: string): string | null {
  const params = [...new URLSearchParams(search)].filter(([name]) => OLD_QUERY_KEYS.has(name));
  if (params.length !== 1) return null;
  const [name, value] = params[0]!;
  if (!/^[0-9]{1,18}$/.test(value)) return null;
  return `${name}=${value.replace(/^0+(?=[0-9])/, '')}`;
}

/**
 * The key an old address is stored and looked up under, or null when it is not
 * an address at all. It takes a full URL of the old site (only its path is
 * kept) or a path; the fragment goes, and the query too except for the old
 * site's `/?p=123` style of address (on `/` or `/index.php`, beside any other field), which becomes
 * `/?p=123`. Percent-escapes are decoded and written again one way (upper-case
 * hex, non-ASCII always escaped), so `/%d0%bf%d1%80%d0%b8/` and `/при/` are the
 * same key; a trailing slash and doubled slashes go; `.` and `..` are resolved.
 * Letters keep their case: `/About` and `/about` are different addresses.
 */
export function normaliseRedirectPath(pathOrUrl: string): string | null {
  const input = pathOrUrl.trim();
  if (input === '' || input.length > MAX_PATH_LENGTH || CONTROL.test(input)) return null;
  let url: URL;
  try {
    if (SCHEME.test(input)) {
      url = new URL(input);
      if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
    } else if (input.startsWith('/')) {
      // Joined as text, never resolved against a base, so `//host/x` stays a path on this site.
      url = new URL(BASE + input.replace(/^[/\\]+/, '/'));
    } else {
      return null;
    }
  } catch {
    return null;
  }
  const segments: string[] = [];
  for (const raw of url.pathname.split('/')) {
    if (raw === '') continue;
    const segment = canonicalSegment(raw);
    if (segment === null) return null;
    segments.push(segment);
  }
  const path = `/${segments.join('/')}`;
  if ((path === '/' || path === '/index.php') && url.search !== '') {
    const query = oldQuery(url.search);
    if (query !== null) return `/?${query}`;
  }
  return path.length > MAX_PATH_LENGTH ? null : path;
}

/**
 * A redirect's target as stored, or null when it is not a path on this site.
 * Only `/…` is accepted: never `//host`, `/\host` (browsers read both as another
 * site), `http:`, `javascript:` or any other scheme, so a redirect can never send
 * a visitor away. The query and the fragment are kept.
 */
export function normaliseRedirectTarget(to: string): string | null {
  const input = to.trim();
  if (input === '' || input.length > MAX_PATH_LENGTH || CONTROL.test(input)) return null;
  if (!input.startsWith('/') || input.startsWith('//') || input.includes('\\')) return null;
  let url: URL;
  try {
    url = new URL(input, BASE);
  } catch {
    return null;
  }
  if (url.origin !== BASE) return null;
  const target = url.pathname + url.search + url.hash;
  return target.startsWith('//') || target.length > MAX_PATH_LENGTH ? null : target;
}
