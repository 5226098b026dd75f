import { formatMonthYear } from '../../../lib/dates.js';
import { PaginationNav } from '../../../web/components.js';
import type { Pagination } from '../../../web/http.js';
import { Layout } from '../../../web/layout.js';
import type { PageContext } from '../../../web/page-context.js';
import type { PersonCard } from '../people.service.js';
import { PersonCardView } from './person-card.js';

export function PeopleDirectoryPage(props: {
  ctx: PageContext;
  people: PersonCard[];
  pagination: Pagination;
  newsrooms: { slug: string; name: string; description: string; kind: string; starts_on: string; ends_on: string | null }[];
}): JSX.Element {
  const { ctx } = props;
  return (
    <Layout
      ctx={ctx}
      meta={{
        title: 'People',
        description: `The writers, editors and mentors of ${ctx.config.siteName}.`,
        canonicalPath: props.pagination.page > 1 ? `/people?page=${props.pagination.page}` : '/people',
      }}
    >
      <div class="wrap">
        <header class="page-header">
          <h1>People</h1>
          <p class="page-header__description">The writers, editors and mentors who make the magazine.</p>
        </header>
        <div class="profile-grid">
          <div class="profile-grid__main">
            <h2 class="visually-hidden">Writers, editors and mentors</h2>
            {props.people.length === 0 ? <p class="empty">Nobody is listed yet.</p> : ''}
            <ul class="plain-list people-list">
              {props.people.map((p) => (
                <li>
                  <PersonCardView person={p} showBio={false} headingLevel={3} />
                </li>
              ))}
            </ul>
            <PaginationNav pagination={props.pagination} basePath="/people" label="People, pages" />
          </div>
          <aside class="profile-grid__side">
            <section aria-labelledby="newsrooms-heading">
              <h2 id="newsrooms-heading">Newsrooms</h2>
              {props.newsrooms.length === 0 ? <p>No newsrooms yet.</p> : ''}
              <ul class="plain-list">
                {props.newsrooms.map((n) => (
                  <li>
                    <a href={`/newsrooms/${n.slug}`} safe>
                      {n.name}
                    </a>
                    <span class="muted" safe>
                      {n.ends_on
                        ? ` ${formatMonthYear(n.starts_on)} – ${formatMonthYear(n.ends_on)}`
                        : ` since ${formatMonthYear(n.starts_on)}`}
                    </span>
                  </li>
                ))}
              </ul>
            </section>
          </aside>
        </div>
      </div>
    </Layout>
  );
}
