import { Layout } from '../layout.js';
import type { PageContext } from '../page-context.js';

export function ErrorPage(props: { ctx: PageContext; status: number; title: string; message: string }): JSX.Element {
  return (
    <Layout ctx={props.ctx} meta={{ title: props.title, description: props.message, noIndex: true }}>
      <div class="wrap narrow error-page">
        <p class="eyebrow">Error {props.status}</p>
        <h1 safe>{props.title}</h1>
        <p safe>{props.message}</p>
        <p>
          <a href="/">Go to the home page</a>
        </p>
      </div>
    </Layout>
  );
}
