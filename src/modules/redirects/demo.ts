// The demo magazine's redirects: a few addresses of the site it had before, as
// an import would leave them, and one set by hand, so the desk and the lookup
// can be tried at once (e.g. /2024/03/15/phones-in-lockers/ or /?p=1187).
import type { Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import { setRedirect } from './redirects.service.js';

export async function seedDemoRedirects(trx: Transaction<Database>, { articleSlug }: { articleSlug: string }): Promise<void> {
  const article = `/articles/${articleSlug}`;
  await setRedirect(trx, { from: '/2024/03/15/phones-in-lockers/', to: article, source: 'wordpress' });
  await setRedirect(trx, { from: '/?p=1187', to: article, source: 'wordpress' });
  await setRedirect(trx, { from: '/category/climate-and-environment/', to: '/sections/climate', source: 'wordpress' });
  await setRedirect(trx, { from: '/author/marta/', to: '/people/marta-quiroga', source: 'wordpress' });
  await setRedirect(trx, { from: '/weekly/', to: '/newsletters', source: 'manual', status: 302 });
}
