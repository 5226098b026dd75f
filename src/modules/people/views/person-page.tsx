import { formatMonthYear } from '../../../lib/dates.js';
import { PaginationNav } from '../../../web/components.js';
import type { Pagination } from '../../../web/http.js';
import { Layout, absoluteUrl } from '../../../web/layout.js';
import type { PageContext } from '../../../web/page-context.js';
import type { ListedArticles } from '../article-lists.js';
import { PictureTag, shareImage } from '../../media/index.js';
import { joinWithAnd, type PersonProfile } from '../people.service.js';

function span(startsOn: string, endsOn: string | null): string {
  return `${formatMonthYear(startsOn)} – ${endsOn ? formatMonthYear(endsOn) : 'present'}`;
}

export function PersonPage(props: {
  ctx: PageContext;
  profile: PersonProfile;
  written: ListedArticles;
  writtenPagination: Pagination;
  edited: ListedArticles;
}): JSX.Element {
  const { ctx, profile } = props;
  const p = profile.card;
  const safeBio = p.safeBioHtml;
  const path = `/people/${p.slug}`;
  const { page } = props.writtenPagination;
  const description = `${p.name}${p.role ? `, ${p.role.title}` : ''} at ${ctx.config.siteName}.`;
  return (
    <Layout
      ctx={ctx}
      meta={{
        title: page > 1 ? `${p.name} (page ${page})` : p.name,
        description,
        canonicalPath: page > 1 ? `${path}?page=${page}` : path,
        ogType: 'profile',
        // An unlisted profile still answers (bylines link to it) but asks not to be indexed.
        noIndex: !p.listed,
        image: p.photo ? shareImage(p.photo, `Portrait of ${p.name}`) : null,
        jsonLd: [
          {
            '@context': 'https://schema.org',
            '@type': 'ProfilePage',
            url: absoluteUrl(ctx, path),
            mainEntity: {
              '@type': 'Person',
              name: p.name,
              url: absoluteUrl(ctx, path),
              ...(p.role?.current ? { jobTitle: p.role.title } : {}),
              ...(p.languages.length ? { knowsLanguage: p.languages } : {}),
              ...(p.photo ? { image: absoluteUrl(ctx, shareImage(p.photo, '').url) } : {}),
              worksFor: { '@type': 'Organization', name: ctx.config.siteName, url: ctx.config.siteUrl },
            },
          },
        ],
      }}
    >
      <div class="wrap">
        <header class="profile">
          {p.photo ? <PictureTag class="profile__photo" picture={p.photo} alt={`Portrait of ${p.name}`} sizes="10rem" eager /> : ''}
          <div class="profile__text">
            <h1 safe>{p.name}</h1>
            {p.role ? (
              <p class="profile__role" safe>
                {p.role.title}
              </p>
            ) : (
              ''
            )}
            {p.locations.length ? (
              <p class="profile__places" safe>
                {p.locations.join(' | ')}
              </p>
            ) : (
              ''
            )}
            {profile.birthplace ? (
              <p class="profile__born" safe>
                {`Born in ${profile.birthplace}`}
              </p>
            ) : (
              ''
            )}
          </div>
        </header>
        <div class="profile-grid">
          <div class="profile-grid__main">
            {safeBio ? <div class="prose">{safeBio}</div> : ''}
            {p.languages.length ? <p safe>{`${p.name.split(' ')[0]} speaks ${joinWithAnd(p.languages)}.`}</p> : ''}
            <section aria-labelledby="written-heading">
              <h2 id="written-heading">Articles written</h2>
              {props.written.render({ viewer: ctx.viewer, empty: `${p.name} has not published an article yet.`, headingLevel: 3 })}
              <PaginationNav pagination={props.writtenPagination} basePath={path} label="Articles written, pages" />
            </section>
            {props.edited.items.length > 0 ? (
              <section aria-labelledby="edited-heading">
                <h2 id="edited-heading">Articles edited</h2>
                {props.edited.render({ viewer: ctx.viewer, empty: '', headingLevel: 3 })}
              </section>
            ) : (
              ''
            )}
          </div>
          <aside class="profile-grid__side">
            <section aria-labelledby="roles-heading">
              <h2 id="roles-heading">Roles</h2>
              {profile.timeline.length === 0 ? (
                <p>No roles yet.</p>
              ) : (
                <ol class="timeline">
                  {profile.timeline.map((r) => (
                    <li class={r.endsOn ? 'timeline__item' : 'timeline__item is-current'}>
                      <span class="timeline__title" safe>
                        {r.title}
                      </span>
                      <span class="timeline__dates">
                        <time datetime={r.startsOn} safe>
                          {span(r.startsOn, r.endsOn)}
                        </time>
                      </span>
                    </li>
                  ))}
                </ol>
              )}
            </section>
            {profile.newsrooms.length > 0 ? (
              <section aria-labelledby="newsrooms-heading">
                <h2 id="newsrooms-heading">Newsrooms</h2>
                <ul class="plain-list">
                  {profile.newsrooms.map((n) => (
                    <li>
                      <a href={`/newsrooms/${n.slug}`} safe>
                        {n.name}
                      </a>
                      <span class="muted" safe>{` ${n.role}, ${span(n.startsOn, n.endsOn)}`}</span>
                    </li>
                  ))}
                </ul>
              </section>
            ) : (
              ''
            )}
          </aside>
        </div>
        <p class="profile__report">
          <a href={`${path}/report`}>Report a problem with this page</a>
        </p>
      </div>
    </Layout>
  );
}
