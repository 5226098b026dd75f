import { formatLongDate } from '../../../lib/dates.js';
import { Layout } from '../../../web/layout.js';
import type { PageContext } from '../../../web/page-context.js';

export interface NewsroomArticle {
  id: string;
  slug: string;
  title: string;
  status: string;
  updated_at: string;
  published_at: string | null;
}

export function NewsroomDashboard(props: { ctx: PageContext; person: { name: string; slug: string }; articles: NewsroomArticle[] }): JSX.Element {
  return (
    <Layout ctx={props.ctx} meta={{ title: 'Newsroom', description: 'Your articles', noIndex: true }}>
      <div class="wrap">
        <header class="page-header">
          <p class="eyebrow">Newsroom</p>
          <h1 safe>{`Your articles, ${props.person.name.split(' ')[0]}`}</h1>
        </header>
        {props.articles.length === 0 ? (
          <p class="empty">You have no articles yet.</p>
        ) : (
          <table class="table">
            <caption class="visually-hidden">Articles you wrote or edited</caption>
            <thead>
              <tr>
                <th scope="col">Title</th>
                <th scope="col">Status</th>
                <th scope="col">Last change</th>
              </tr>
            </thead>
            <tbody>
              {props.articles.map((a) => (
                <tr>
                  <td>
                    {a.status === 'published' ? (
                      <a href={`/articles/${a.slug}`} safe>
                        {a.title}
                      </a>
                    ) : (
                      <span safe>{a.title}</span>
                    )}
                  </td>
                  <td>
                    <span class={`status status--${a.status}`}>{a.status === 'published' ? 'Published' : 'Draft'}</span>
                  </td>
                  <td>
                    <time datetime={a.updated_at} safe>
                      {formatLongDate(a.updated_at)}
                    </time>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
    </Layout>
  );
}
