import type { Picture } from './media.service.js';

const TYPES = { avif: 'image/avif', webp: 'image/webp', jpeg: 'image/jpeg' } as const;

/**
 * Where one of a picture's files is served: /media for public pictures; a
 * private one at /entry-photos, signed when the page was given a grant (a
 * juror's), otherwise for the session's own eyes (the entrant, the organisers).
 */
export function pictureUrl(picture: Picture, file: string): string {
  if (!picture.private) return `/media/${file}`;
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
