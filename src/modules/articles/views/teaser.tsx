import { formatLongDate } from '../../../lib/dates.js';
import { PictureTag } from '../../media/index.js';
import type { Teaser } from '../articles.service.js';
import { Byline } from './byline.js';
import type { ViewerKind } from '../../../web/page-context.js';
import { BookmarkControl } from '../../../web/ui/bookmark-control.js';

/** One article in a list: thumbnail, section, title, dek, byline line and date. */
export function TeaserItem(props: { teaser: Teaser; headingLevel?: 2 | 3; showSection?: boolean; viewer: ViewerKind }): JSX.Element {
  const t = props.teaser;
  const Heading = props.headingLevel === 3 ? 'h3' : 'h2';
  return (
    <article class="teaser">
      {t.picture ? (
        <a class="teaser__picture" href={`/articles/${t.slug}`} tabindex="-1" aria-hidden="true">
          {/* From 36em the picture sits beside the text, at most 14rem wide (.teaser in site.css). */}
          <PictureTag picture={t.picture} alt="" sizes="(min-width: 36em) 14rem, 100vw" />
        </a>
      ) : (
        ''
      )}
      <div class="teaser__text">
        {props.showSection !== false && t.section ? (
          <p class="eyebrow">
            <a href={`/sections/${t.section.slug}`} safe>
              {t.section.name}
            </a>
            {t.access === 'registered' ? <span class="badge">Free account</span> : ''}
          </p>
        ) : (
          ''
        )}
        <Heading class="teaser__title">
          <a href={`/articles/${t.slug}`} safe>
            {t.title}
          </a>
        </Heading>
        <p class="teaser__dek" safe>
          {t.dek}
        </p>
        <Byline people={t.byline} phrase={t.bylinePhrase} link={false} />
        <div class="teaser__meta">
          <time class="teaser__date" datetime={t.publishedAt} safe>
            {formatLongDate(t.publishedAt)}
          </time>
          <BookmarkControl viewer={props.viewer} articleId={t.id} slug={t.slug} />
        </div>
      </div>
    </article>
  );
}

export function TeaserList(props: {
  teasers: Teaser[];
  empty: string;
  headingLevel?: 2 | 3;
  showSection?: boolean;
  viewer: ViewerKind;
}): JSX.Element {
  if (props.teasers.length === 0) {
    return (
      <p class="empty" safe>
        {props.empty}
      </p>
    );
  }
  return (
    <ol class="teaser-list" role="list">
      {props.teasers.map((t) => (
        <li>
          <TeaserItem teaser={t} headingLevel={props.headingLevel} showSection={props.showSection} viewer={props.viewer} />
        </li>
      ))}
    </ol>
  );
}
