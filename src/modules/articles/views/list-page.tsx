import { Layout } from '../../../web/layout.js';
import { collectionJsonLd } from '../../../web/ui/collection-json-ld.js';
import type { PageContext } from '../../../web/page-context.js';
import { PaginationNav } from '../../../web/components.js';
import type { Pagination } from '../../../web/http.js';
import type { Teaser } from '../articles.service.js';
import { TeaserList } from './teaser.js';

/** A section or tag page: heading, description and one page of articles. */
export function ListPage(props: {
  ctx: PageContext;
  eyebrow: string;
  title: string;
  description: string;
  basePath: string;
  teasers: Teaser[];
  pagination: Pagination;
  showSection: boolean;
}): JSX.Element {
  const { ctx, pagination } = props;
  const title = pagination.page > 1 ? `${props.title} (page ${pagination.page})` : props.title;
  const canonicalPath = pagination.page > 1 ? `${props.basePath}?page=${pagination.page}` : props.basePath;
  const description = props.description || `The latest articles in ${props.title}, written by teenagers.`;
  return (
    <Layout
      ctx={ctx}
      meta={{ title, description, canonicalPath, jsonLd: [collectionJsonLd(ctx, props.title, description, canonicalPath, props.teasers)] }}
    >
      <div class="wrap">
        <header class="page-header">
          <p class="eyebrow" safe>
            {props.eyebrow}
          </p>
          <h1 safe>{props.title}</h1>
          {props.description ? (
            <p class="page-header__description" safe>
              {props.description}
            </p>
          ) : (
            ''
          )}
        </header>
        <TeaserList
          viewer={ctx.viewer}
          teasers={props.teasers}
          empty="Nothing has been published here yet."
          showSection={props.showSection}
        />
        <PaginationNav pagination={pagination} basePath={props.basePath} label={`${props.title} pages`} />
      </div>
    </Layout>
  );
}
