import { htmlOf } from '../../../web/view.js';
import { PictureTag, type Picture } from '../../media/index.js';

export function Credit(props: { creator: string; source: string }): JSX.Element {
  const parts = [props.creator, props.source].filter((p) => p.trim() !== '');
  if (parts.length === 0) return '';
  return (
    <span class="credit" safe>
      {`Picture by: ${parts.join(' | ')}`}
    </span>
  );
}

/** A picture inside an article body, with its caption and credit (as text: the rich-text renderer splices it in). */
export function BodyFigure(props: { picture: Picture; alt: string; caption: string; creditCreator: string; creditSource: string }): string {
  return htmlOf(
    <figure class="body-figure">
      <PictureTag picture={props.picture} alt={props.alt || props.picture.alt} sizes="(min-width: 48em) 42rem, 100vw" />
      <figcaption>
        <span safe>{props.caption || props.picture.caption}</span>{' '}
        <Credit creator={props.creditCreator || props.picture.creditCreator} source={props.creditSource || props.picture.creditSource} />
      </figcaption>
    </figure>,
  );
}
