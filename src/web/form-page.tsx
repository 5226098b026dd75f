import type { PropsWithChildren } from '@kitajs/html';
import { Layout } from './layout.js';
import type { PageContext } from './page-context.js';

/** A small page holding one form card (sign-in, confirmations, preferences): never indexed. */
export function FormPage(props: PropsWithChildren<{ ctx: PageContext; title: string; lead?: string }>): JSX.Element {
  return (
    <Layout ctx={props.ctx} meta={{ title: props.title, description: props.lead ?? props.title, noIndex: true }}>
      <div class="wrap narrow">
        <div class="form-card">
          <h1 safe>{props.title}</h1>
          {props.lead ? (
            <p class="form-card__lead" safe>
              {props.lead}
            </p>
          ) : (
            ''
          )}
          {props.children}
        </div>
      </div>
    </Layout>
  );
}
