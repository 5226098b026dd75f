// The prize pages' small script (client/prize.ts), built by `npm run build` and
// served as an immutable, fingerprinted file by this module's routes, so the
// rest of the site does not carry it.
import { builtAsset, type Asset } from '../../web/assets.js';

export type PrizeScript = Asset;

export function prizeScript(): PrizeScript {
  return builtAsset('prize.js', '/prize-assets/');
}
