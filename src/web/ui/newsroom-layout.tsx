// The newsroom's frame: the site layout with the newsroom's tab bar. Every desk
// (articles, people, media, prizes, newsletters) renders inside it; which tabs a
// viewer may open comes with the page context, so this view knows no roles.
import type { PropsWithChildren } from '@kitajs/html';
import { Layout } from '../layout.js';
import type { PageContext } from '../page-context.js';

const NAV: [string, string][] = [
  ['/newsroom', 'Dashboard'],
  ['/newsroom/articles', 'All articles'],
  ['/newsroom/articles/new', 'New article'],
  ['/newsroom/media', 'Media library'],
  ['/newsroom/pages', 'Pages'],
  ['/newsroom/people', 'People'],
  ['/newsroom/prizes', 'Prizes'],
  ['/newsroom/newsletters', 'Newsletters'],
  ['/newsroom/audit', 'Audit log'],
  ['/newsroom/writing-rules', 'Writing rules'],
  ['/newsroom/redirects', 'Redirects'],
  ['/newsroom/reports', 'Reports'],
];

/** The tabs this viewer may open (all of them when the page does not know who is looking). */
function tabsFor(ctx: PageContext): [string, string][] {
  const allowed = ctx.newsroomTabs;
  return allowed ? NAV.filter(([href]) => allowed.has(href)) : NAV;
}

/** Dashboard and "New article" are current on their own page only; the others on their sub-pages too. */
function isCurrent(path: string, href: string): boolean {
  if (href === '/newsroom' || href === '/newsroom/articles/new') return path === href;
  return path === href || (path.startsWith(`${href}/`) && !path.startsWith('/newsroom/articles/new'));
}

export function NewsroomLayout(props: PropsWithChildren<{ ctx: PageContext; title: string; head?: JSX.Element }>): JSX.Element {
  return (
    <Layout
      ctx={props.ctx}
      meta={{ title: props.title, description: props.title, noIndex: true, ...(props.head ? { head: props.head } : {}) }}
    >
      <div class="wrap newsroom">
        <nav class="newsroom-nav" aria-label="Newsroom">
          <ul>
            {tabsFor(props.ctx).map(([href, label]) => (
              <li>
                <a href={href} aria-current={isCurrent(props.ctx.path, href) ? 'page' : undefined} safe>
                  {label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        {props.children}
      </div>
    </Layout>
  );
}
