// What a reader finds at the end of an article: more from its first author and
// related articles, as teasers (title, dek, byline: never an article's text, so
// nothing behind the wall shows here).
import type { PropsWithChildren } from '@kitajs/html';
import type { ViewerKind } from '../../../web/page-context.js';
import type { FurtherReading } from '../articles.service.js';
import { TeaserList } from './teaser.js';

function ReadingList(props: PropsWithChildren<{ id: string; title: string }>): JSX.Element {
  return (
    <section class="further-reading__list" aria-labelledby={props.id}>
      <h2 id={props.id} class="section-label" safe>
        {props.title}
      </h2>
      {props.children}
    </section>
  );
}

export function FurtherReadingView(props: { viewer: ViewerKind; reading: FurtherReading }): JSX.Element {
  const { moreFrom, related } = props.reading;
  if (!moreFrom && related.length === 0) return '';
  return (
    <aside class="further-reading wrap narrow" aria-label="Further reading">
      {moreFrom ? (
        <ReadingList id="more-from-heading" title={`More from ${moreFrom.author.name}`}>
          <TeaserList viewer={props.viewer} teasers={moreFrom.teasers} empty="" headingLevel={3} />
          <p class="further-reading__all">
            <a href={`/people/${moreFrom.author.slug}`} safe>
              {`All articles by ${moreFrom.author.name}`}
            </a>
          </p>
        </ReadingList>
      ) : (
        ''
      )}
      {related.length > 0 ? (
        <ReadingList id="related-heading" title="Related">
          <TeaserList viewer={props.viewer} teasers={related} empty="" headingLevel={3} />
        </ReadingList>
      ) : (
        ''
      )}
    </aside>
  );
}
