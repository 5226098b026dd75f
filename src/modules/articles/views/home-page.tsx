import { Layout } from '../../../web/layout.js';
import type { PageContext } from '../../../web/page-context.js';
import { formatLongDate } from '../../../lib/dates.js';
import { PictureTag, shareImage } from '../../media/index.js';
import type { PersonCard } from '../../people/index.js';
import { PersonCardView } from '../../people/index.js';
import type { ArticlePage, SectionRef, Teaser } from '../articles.service.js';
import { Byline } from './byline.js';
import { TeaserList } from './teaser.js';
import { NewsletterBox } from '../../../web/ui/newsletter-signup.js';

export interface HomeData {
  pick: ArticlePage | null;
  latest: Teaser[];
  sections: (SectionRef & { latest: Teaser | null })[];
  featured: PersonCard | null;
}

export function HomePage(props: { ctx: PageContext; data: HomeData }): JSX.Element {
  const { ctx, data } = props;
  const { pick } = data;
  const description = `${ctx.config.siteName}: a weekly current-affairs magazine written and edited by teenagers around the world.`;
  return (
    <Layout
      ctx={ctx}
      meta={{
        title: ctx.config.siteName,
        description,
        canonicalPath: '/',
        image: pick?.hero ? shareImage(pick.hero.picture, pick.hero.alt) : null,
        jsonLd: [
          {
            '@context': 'https://schema.org',
            '@type': 'WebSite',
            name: ctx.config.siteName,
            url: ctx.config.siteUrl,
            description,
            publisher: { '@type': 'Organization', name: ctx.config.siteName, url: ctx.config.siteUrl },
          },
        ],
      }}
    >
      <div class="wrap">
        <h1 class="visually-hidden" safe>
          {ctx.config.siteName}
        </h1>
        {pick ? (
          <section class="pick" aria-labelledby="pick-heading">
            <h2 id="pick-heading" class="section-label">
              Editor’s pick
            </h2>
            <article class="pick__article">
              {pick.hero ? (
                <a class="pick__picture" href={`/articles/${pick.slug}`} tabindex="-1" aria-hidden="true">
                  <PictureTag picture={pick.hero.picture} alt="" sizes="(min-width: 60em) 40rem, 100vw" eager />
                </a>
              ) : (
                ''
              )}
              <div class="pick__text">
                <p class="eyebrow">
                  <a href={`/sections/${pick.section.slug}`} safe>
                    {pick.section.name}
                  </a>
                </p>
                <h3 class="pick__title">
                  <a href={`/articles/${pick.slug}`} safe>
                    {pick.title}
                  </a>
                </h3>
                <p class="dek" safe>
                  {pick.dek}
                </p>
                <Byline people={pick.byline} phrase={pick.bylinePhrase} link={false} />
                <p class="teaser__date">
                  <time datetime={pick.publishedAt} safe>
                    {formatLongDate(pick.publishedAt)}
                  </time>
                </p>
              </div>
            </article>
          </section>
        ) : (
          ''
        )}
        <div class="home-grid">
          <section aria-labelledby="latest-heading" class="home-grid__main">
            <h2 id="latest-heading" class="section-label">
              Latest
            </h2>
            <TeaserList viewer={ctx.viewer} teasers={data.latest} empty="Nothing has been published yet." headingLevel={3} />
          </section>
          <aside class="home-grid__side">
            {data.featured ? (
              <section aria-labelledby="featured-heading" class="featured-person">
                <h2 id="featured-heading" class="section-label">
                  Meet the newsroom
                </h2>
                <PersonCardView person={data.featured} headingLevel={3} />
              </section>
            ) : (
              ''
            )}
            <section aria-labelledby="sections-heading">
              <h2 id="sections-heading" class="section-label">
                Browse by section
              </h2>
              <ul class="section-list" role="list">
                {data.sections.map((s) => (
                  <li>
                    <a class="section-list__name" href={`/sections/${s.slug}`} safe>
                      {s.name}
                    </a>
                    {s.latest ? (
                      <a class="section-list__latest" href={`/articles/${s.latest.slug}`} safe>
                        {s.latest.title}
                      </a>
                    ) : (
                      <span class="section-list__latest">No articles yet</span>
                    )}
                  </li>
                ))}
              </ul>
            </section>
            <NewsletterBox viewer={ctx.viewer} source="home" idPrefix="home-" csrf={null} />
            <section class="join" aria-labelledby="prize-heading">
              <h2 id="prize-heading" class="section-label">
                The Harbinger Prize
              </h2>
              <p>
                Our yearly prize for students: essays, photographs and video essays, judged blind by juries of journalists. Winners join the
                magazine.
              </p>
              <p>
                <a href="/prizes">This year’s prize: categories, rules and how to enter</a>
              </p>
            </section>
            <section class="join" aria-labelledby="join-heading">
              <h2 id="join-heading" class="section-label">
                Write for us
              </h2>
              <p>
                Are you between 13 and 19 and curious about the world? Pitch a story to our section editors: every writer is paired with an
                editor and a mentor.
              </p>
              <p>
                <a href="/people">Meet the people behind the magazine</a>
              </p>
            </section>
          </aside>
        </div>
      </div>
    </Layout>
  );
}
