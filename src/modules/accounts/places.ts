// Where a session began, for the account's session list, from a file the site
// provides (SESSION_PLACES): one "network,place" line per address range, e.g.
//
//   192.0.2.0/24,Newsroom office
//   2001:db8::/32,London, United Kingdom
//
// (a GeoIP export reduced to its network and place columns works too). The
// first matching line wins. Without the file no place is shown. Only the place
// is stored with the session; the IP address itself is looked up once, at
// sign-in, and never written anywhere.
import { readFileSync } from 'node:fs';
import { BlockList, isIP } from 'node:net';

export interface Places {
  placeOf(ip: string | undefined): string | null;
}

export const NO_PLACES: Places = { placeOf: () => null };

export function parsePlaces(text: string): Places {
  const ranges: { list: BlockList; place: string }[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const comma = line.indexOf(',');
    if (comma < 0) continue;
    const network = line.slice(0, comma).trim();
    const place = line
      .slice(comma + 1)
      .trim()
      .replace(/^"(.*)"$/, '$1')
      .slice(0, 100);
    const [address, bits] = network.split('/');
    const family = isIP(address ?? '');
    if (!family || !place) continue;
    const list = new BlockList();
    const type = family === 6 ? 'ipv6' : 'ipv4';
    list.addSubnet(address!, bits === undefined ? (family === 6 ? 128 : 32) : Number(bits), type);
    ranges.push({ list, place });
  }
  return {
    placeOf(ip) {
      if (!ip) return null;
      // IPv4 addresses that arrive mapped into IPv6 (::ffff:192.0.2.1) are looked up as IPv4.
      const address = ip.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, '');
      const family = isIP(address);
      if (!family) return null;
      const type = family === 6 ? 'ipv6' : 'ipv4';
      for (const range of ranges) if (range.list.check(address, type)) return range.place;
      return null;
    },
  };
}

/** The places of SESSION_PLACES, read once at start-up (a missing file is a configuration error). */
export function loadPlaces(file: string | undefined): Places {
  return file ? parsePlaces(readFileSync(file, 'utf8')) : NO_PLACES;
}
