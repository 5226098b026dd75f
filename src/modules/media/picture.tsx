import type { Picture } from './media.service.js';

const TYPES = { avif: 'image/avif', webp: 'image/webp', jpeg: 'image/jpeg' } as const;

/**
 * Where readers fetch public pictures: /media on this site, or the bucket's
 * public address (S3_PUBLIC_URL, a CDN in front of it) with MEDIA_STORAGE=s3.
 * It is the deployment's one setting, so the media plugin sets it for the
 * process from the configuration; every app in a process shares it.
 */
let publicBase = '/media';

/** Called by the media plugin: null serves public pictures at /media. */
export function servePublicPicturesFrom(base: string | null): void {
  publicBase = base === null ? '/media' : base.replace(/\/+$/, '');
}

/**
 * Where one of a picture's files is served: /media (or the public bucket) for
 * public pictures; a private one at /entry-photos, signed when the page was
 * given a grant (a juror's), otherwise for the session's own eyes (the entrant,
 * the organisers).
 */
export function pictureUrl(picture: Picture, file: string): string {
  if (!picture.private) return `${publicBase}/${file}`;
  const signature = picture.grant?.signatures[file];
  return signature ? `/entry-photos/${file}?expires=${picture.grant!.expires}&sig=${signature}` : `/entry-photos/${file}`;
}

/**
 * A responsive <picture>: AVIF and WebP sources with a JPEG fallback, intrinsic
 * width and height so nothing shifts while it loads, and lazy loading unless the
 * picture is the first thing on the page.
 */
export function PictureTag(props: { picture: Picture; alt: string; sizes: string; eager?: boolean; class?: string }): JSX.Element {
  const { picture } = props;
  const srcset = (format: keyof typeof TYPES) =>
    picture.variants
      .filter((v) => v.format === format)
      .map((v) => `${pictureUrl(picture, v.file)} ${v.width}w`)
      .join(', ');
  const jpegs = picture.variants.filter((v) => v.format === 'jpeg');
  const fallback = jpegs.find((v) => v.width >= 960) ?? jpegs[jpegs.length - 1];
  return (
    <picture class={props.class}>
      {(['avif', 'webp'] as const).map((format) =>
        picture.variants.some((v) => v.format === format) ? (
          <source type={TYPES[format]} srcset={srcset(format)} sizes={props.sizes} />
        ) : (
          ''
        ),
      )}
      <img
        src={pictureUrl(picture, fallback?.file ?? picture.original)}
        srcset={srcset('jpeg')}
        sizes={props.sizes}
        width={String(picture.width)}
        height={String(picture.height)}
        alt={props.alt}
        loading={props.eager ? 'eager' : 'lazy'}
        decoding={props.eager ? 'sync' : 'async'}
        fetchpriority={props.eager ? 'high' : undefined}
      />
    </picture>
  );
}

/** The largest JPEG variant, for Open Graph and JSON-LD. */
export function shareImage(picture: Picture, alt: string): { url: string; alt: string; width: number; height: number } {
  const jpegs = picture.variants.filter((v) => v.format === 'jpeg');
  const best = jpegs[jpegs.length - 1];
  return best
    ? { url: pictureUrl(picture, best.file), alt, width: best.width, height: best.height }
    : { url: pictureUrl(picture, picture.original), alt, width: picture.width, height: picture.height };
}

/** A picture address for use outside the site's pages (feeds, sitemaps, email): a path gets the site's origin. */
export function absolutePictureUrl(siteUrl: string, url: string): string {
  return /^https?:\/\//.test(url) ? url : `${siteUrl}${url}`;
}
