import { formatLongDate } from '../../../lib/dates.js';
import { PaginationNav } from '../../../web/components.js';
import { CsrfField, describedBy, ErrorSummary, Field, FieldLabel, Notice, TextAreaField, type FieldErrors } from '../../../web/forms.js';
import type { Pagination } from '../../../web/http.js';
import { Layout } from '../../../web/layout.js';
import type { PageContext } from '../../../web/page-context.js';
import type { Picture } from '../media.service.js';
import { PictureTag } from '../picture.js';

export const UPLOAD_ACCEPT = 'image/jpeg,image/png,image/webp,image/avif';

export interface UploadFormState {
  values: { alt?: string; caption?: string; creditCreator?: string; creditSource?: string };
  errors: FieldErrors;
  message?: string;
}

export interface LibraryItem {
  picture: Picture;
  createdAt: string;
}

export interface LibraryPageProps {
  ctx: PageContext;
  csrf: string;
  q: string;
  pagination: Pagination;
  items: LibraryItem[];
  /** The picture just uploaded, for the notice after the redirect. */
  uploaded: { alt: string; already: boolean } | null;
  form: UploadFormState;
  limits: { megabytes: number; megapixels: number };
}

function UploadForm(props: { csrf: string; form: UploadFormState; limits: LibraryPageProps['limits'] }): JSX.Element {
  const { values, errors } = props.form;
  const sentBack = Object.keys(errors).length > 0 || props.form.message !== undefined;
  const fileHint =
    `JPEG, PNG, WebP or AVIF, up to ${props.limits.megabytes} MB and ${props.limits.megapixels} megapixels. ` +
    'We make smaller copies for phones and slow connections automatically.' +
    (sentBack ? ' Choose the file again: browsers forget it when a form is sent back.' : '');
  const altHint =
    'Say what the picture shows to a reader who cannot see it: who, what, where, in a sentence or two. ' +
    'Start with what matters to the story, skip “picture of”, and don’t repeat the caption or the credit.';
  return (
    <section aria-labelledby="upload-heading">
      <h2 id="upload-heading">Upload a picture</h2>
      <ErrorSummary errors={errors} message={props.form.message} />
      <form method="post" action="/newsroom/media" enctype="multipart/form-data" novalidate>
        <CsrfField token={props.csrf} />
        <div class={errors.picture ? 'field has-error' : 'field'}>
          <FieldLabel id="field-picture" label="Picture" hint={fileHint} error={errors.picture} />
          <input
            id="field-picture"
            name="picture"
            type="file"
            accept={UPLOAD_ACCEPT}
            required
            aria-invalid={errors.picture ? 'true' : undefined}
            aria-describedby={describedBy('field-picture', fileHint, errors.picture)}
          />
        </div>
        <TextAreaField
          name="alt"
          label="Alt text"
          hint={altHint}
          rows={3}
          maxlength={1000}
          required
          value={values.alt}
          error={errors.alt}
        />
        <TextAreaField
          name="caption"
          label="Caption (optional)"
          hint="Shown under the picture. It can add what the picture cannot show: names, dates, context."
          rows={3}
          maxlength={2000}
          value={values.caption}
          error={errors.caption}
        />
        <fieldset>
          <legend>Credit</legend>
          <Field
            label="Creator (optional)"
            name="creditCreator"
            value={values.creditCreator}
            error={errors.creditCreator}
            maxlength={200}
            hint="Who took or made the picture, e.g. Ana Ruiz."
          />
          <Field
            label="Source (optional)"
            name="creditSource"
            value={values.creditSource}
            error={errors.creditSource}
            maxlength={200}
            hint="Where it comes from and under which licence, e.g. The Harbinger, or Wikimedia Commons (CC BY-SA 4.0)."
          />
        </fieldset>
        <button type="submit" class="button">
          Upload the picture
        </button>
      </form>
    </section>
  );
}

function credit(picture: Picture): string {
  return [picture.creditCreator, picture.creditSource].filter((s) => s !== '').join(' / ');
}

function LibraryGrid(props: { items: LibraryItem[] }): JSX.Element {
  return (
    <ul class="plain-list people-list media-grid">
      {props.items.map(({ picture, createdAt }) => {
        const creditLine = credit(picture);
        return (
          <li class="media-item">
            <figure class="teaser">
              {/* The alt text is printed right below, so the thumbnail itself is not announced twice. */}
              <PictureTag picture={picture} alt="" sizes="(min-width: 40em) 36rem, 100vw" class="teaser__picture" />
              <figcaption class="teaser__text">
                <dl class="media-item__facts">
                  <dt>Alt text</dt>
                  <dd safe>{picture.alt}</dd>
                  {picture.caption ? (
                    <>
                      <dt>Caption</dt>
                      <dd safe>{picture.caption}</dd>
                    </>
                  ) : (
                    ''
                  )}
                  {creditLine ? (
                    <>
                      <dt>Credit</dt>
                      <dd safe>{creditLine}</dd>
                    </>
                  ) : (
                    ''
                  )}
                  <dt>Size</dt>
                  <dd safe>{`${picture.width} × ${picture.height} pixels`}</dd>
                  <dt>Uploaded</dt>
                  <dd>
                    <time datetime={createdAt} safe>
                      {formatLongDate(createdAt)}
                    </time>
                  </dd>
                </dl>
              </figcaption>
            </figure>
          </li>
        );
      })}
    </ul>
  );
}

function EmptyLibrary(props: { q: string }): JSX.Element {
  if (props.q) {
    return (
      <p class="empty">
        <span safe>{`No picture has “${props.q}” in its alt text or caption.`}</span> <a href="/newsroom/media">Show every picture</a>
      </p>
    );
  }
  return <p class="empty">The library is empty. Upload the first picture with the form above; it can then be used in any article.</p>;
}

export function MediaLibraryPage(props: LibraryPageProps): JSX.Element {
  const { pagination, q } = props;
  const count = pagination.total === 1 ? '1 picture' : `${pagination.total} pictures`;
  return (
    <Layout ctx={props.ctx} meta={{ title: 'Media library', description: 'Pictures the newsroom can use in articles', noIndex: true }}>
      <div class="wrap">
        <header class="page-header">
          <p class="eyebrow">
            <a href="/newsroom">Newsroom</a>
          </p>
          <h1>Media library</h1>
          <p class="page-header__description">Pictures uploaded here can be used in any article, as often as needed.</p>
        </header>
        {props.uploaded ? (
          <Notice
            kind="success"
            text={
              props.uploaded.already
                ? `That picture was already in the library (“${props.uploaded.alt}”), so it was not stored twice; its alt text, caption and credit are unchanged.`
                : `Picture uploaded: “${props.uploaded.alt}”.`
            }
          />
        ) : (
          ''
        )}
        <UploadForm csrf={props.csrf} form={props.form} limits={props.limits} />
        <section aria-labelledby="library-heading">
          <h2 id="library-heading">Pictures in the library</h2>
          <form method="get" action="/newsroom/media" role="search" class="media-search">
            <Field label="Search alt text and captions" name="q" type="search" value={q} maxlength={200} />
            <button type="submit" class="button button--secondary">
              Search
            </button>
          </form>
          <p class="muted" safe>
            {q ? `${count} found for “${q}”.` : `${count} in the library.`}
          </p>
          {props.items.length === 0 ? <EmptyLibrary q={q} /> : <LibraryGrid items={props.items} />}
          <PaginationNav pagination={pagination} basePath="/newsroom/media" query={{ q }} label="Pages of the media library" />
        </section>
      </div>
    </Layout>
  );
}
