import { formatLongDate, formatMonthYear } from '../../../lib/dates.js';
import { PaginationNav } from '../../../web/components.js';
import type { Pagination } from '../../../web/http.js';
import { Layout } from '../../../web/layout.js';
import type { PageContext } from '../../../web/page-context.js';
import type { ListedArticles } from '../article-lists.js';
import { collectionJsonLd } from '../../../web/ui/collection-json-ld.js';
import type { NewsroomProfile } from '../people.service.js';
import { PersonCardView } from './person-card.js';

const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

export function NewsroomPage(props: {
  ctx: PageContext;
  room: NewsroomProfile;
  teasers: ListedArticles;
  pagination: Pagination;
}): JSX.Element {
  const { ctx, room } = props;
  const path = `/newsrooms/${room.slug}`;
  const current = room.members.filter((m) => m.current);
  const past = room.members.filter((m) => !m.current);
  const active = room.endsOn
    ? `Active ${formatLongDate(room.startsOn)} – ${formatLongDate(room.endsOn)}`
    : `Active since ${formatLongDate(room.startsOn)}`;
  return (
    <Layout
      ctx={ctx}
      meta={{
        title: room.name,
        description: room.description,
        canonicalPath: props.pagination.page > 1 ? `${path}?page=${props.pagination.page}` : path,
        jsonLd: [collectionJsonLd(ctx, room.name, room.description, path, props.teasers.items)],
      }}
    >
      <div class="wrap">
        <header class="page-header">
          <p class="eyebrow">{room.kind === 'pop-up' ? 'Pop-up newsroom' : 'Newsroom'}</p>
          <h1 safe>{room.name}</h1>
          <p class="page-header__description" safe>
            {room.description}
          </p>
          <p class="muted">
            <span safe>{room.place}</span>
            {room.place ? ' · ' : ''}
            <span safe>{active}</span>
          </p>
        </header>
        <div class="profile-grid">
          <section class="profile-grid__main" aria-labelledby="articles-heading">
            <h2 id="articles-heading">Articles</h2>
            {props.teasers.render({ viewer: ctx.viewer, empty: 'This newsroom has not published yet.', headingLevel: 3 })}
            <PaginationNav pagination={props.pagination} basePath={path} label="Newsroom articles, pages" />
          </section>
          <aside class="profile-grid__side">
            <section aria-labelledby="members-heading">
              <h2 id="members-heading">{room.endsOn ? 'Members' : 'Current members'}</h2>
              {(room.endsOn ? room.members : current).length === 0 ? <p>No members yet.</p> : ''}
              <ul class="plain-list members">
                {(room.endsOn ? room.members : current).map((m) => (
                  <li>
                    <PersonCardView person={m.card} showBio={false} />
                    <p class="muted" safe>
                      {m.endsOn
                        ? `${capitalise(m.role)}, ${formatMonthYear(m.startsOn)} – ${formatMonthYear(m.endsOn)}`
                        : `${capitalise(m.role)} since ${formatMonthYear(m.startsOn)}`}
                    </p>
                  </li>
                ))}
              </ul>
            </section>
            {!room.endsOn && past.length > 0 ? (
              <section aria-labelledby="past-heading">
                <h2 id="past-heading">Past members</h2>
                <ul class="plain-list members">
                  {past.map((m) => (
                    <li>
                      <PersonCardView person={m.card} showBio={false} />
                      <p
                        class="muted"
                        safe
                      >{`${capitalise(m.role)}, ${formatMonthYear(m.startsOn)} – ${m.endsOn ? formatMonthYear(m.endsOn) : ''}`}</p>
                    </li>
                  ))}
                </ul>
              </section>
            ) : (
              ''
            )}
          </aside>
        </div>
      </div>
    </Layout>
  );
}
