import { CsrfField } from '../../../web/forms.js';
import type { PageContext } from '../../../web/page-context.js';
import { formatShortInZone } from '../../../lib/dates.js';
import type { DiffPart } from '../../../lib/diff.js';
import { NewsroomLayout } from '../../../web/ui/newsroom-layout.js';
import { DataTable } from '../../../web/ui/data-table.js';

export interface RevisionRow {
  id: string;
  version: number;
  kind: string;
  author_name: string;
  title: string;
  created_at: string;
  updated_at: string;
}

const when = (iso: string) => formatShortInZone(iso, 'Europe/London');

export function RevisionsPage(props: {
  ctx: PageContext;
  articleId: string;
  title: string;
  revisions: RevisionRow[];
  csrf: string;
  canRestore: boolean;
}): JSX.Element {
  const [newest, previous] = props.revisions;
  return (
    <NewsroomLayout ctx={props.ctx} title={`Revisions: ${props.title}`}>
      <header class="page-header">
        <p class="eyebrow">
          <a href={`/newsroom/articles/${props.articleId}`}>← Back to the article</a>
        </p>
        <h1 safe>{`Revisions of “${props.title}”`}</h1>
      </header>
      {props.revisions.length < 2 ? (
        <p class="empty">There is only one revision so far.</p>
      ) : (
        <form method="get" action={`/newsroom/articles/${props.articleId}/revisions/compare`} class="compare-form">
          <DataTable columns={['Older', 'Newer', 'Saved', 'By', 'Kind', 'Restore']} caption="Revisions, newest first">
            {props.revisions.map((r) => (
              <tr>
                <td>
                  <input
                    type="radio"
                    name="a"
                    value={r.id}
                    checked={r.id === previous?.id}
                    aria-label={`Compare from ${when(r.updated_at)}`}
                  />
                </td>
                <td>
                  <input type="radio" name="b" value={r.id} checked={r.id === newest?.id} aria-label={`Compare to ${when(r.updated_at)}`} />
                </td>
                <td>
                  <time datetime={r.updated_at} safe>
                    {when(r.updated_at)}
                  </time>
                </td>
                <td safe>{r.author_name}</td>
                <td safe>{r.kind}</td>
                <td>
                  {props.canRestore && r.id !== newest?.id ? (
                    <button type="submit" form={`restore-${r.id}`} class="button button--secondary">
                      Restore
                    </button>
                  ) : (
                    ''
                  )}
                </td>
              </tr>
            ))}
          </DataTable>
          <button type="submit" class="button">
            Compare the two chosen revisions
          </button>
        </form>
      )}
      {props.canRestore
        ? props.revisions.map((r) => (
            <form id={`restore-${r.id}`} method="post" action={`/newsroom/articles/${props.articleId}/revisions/${r.id}/restore`} hidden>
              <CsrfField token={props.csrf} />
            </form>
          ))
        : ''}
    </NewsroomLayout>
  );
}

function Side(props: { parts: DiffPart[]; show: 'removed' | 'added' }): JSX.Element {
  return (
    <div class="diff__text">
      {props.parts
        .filter((p) => p.kind === 'same' || p.kind === props.show)
        .map((p) =>
          p.kind === 'same' ? <span safe>{p.text}</span> : p.kind === 'added' ? <ins safe>{p.text}</ins> : <del safe>{p.text}</del>,
        )}
    </div>
  );
}

export function ComparePage(props: {
  ctx: PageContext;
  articleId: string;
  older: RevisionRow;
  newer: RevisionRow;
  fields: { label: string; parts: DiffPart[] }[];
}): JSX.Element {
  return (
    <NewsroomLayout ctx={props.ctx} title="Compare revisions">
      <header class="page-header">
        <p class="eyebrow">
          <a href={`/newsroom/articles/${props.articleId}/revisions`}>← All revisions</a>
        </p>
        <h1>Compare revisions</h1>
        <p
          safe
        >{`From ${when(props.older.updated_at)} (${props.older.author_name}) to ${when(props.newer.updated_at)} (${props.newer.author_name}). Removed words are struck through, added words underlined.`}</p>
      </header>
      {props.fields.map((f) => (
        <section class="diff" aria-label={f.label}>
          <h2 safe>{f.label}</h2>
          {f.parts.every((p) => p.kind === 'same') ? <p class="muted">No change.</p> : ''}
          <div class="diff__sides">
            <div>
              <h3>Older</h3>
              <Side parts={f.parts} show="removed" />
            </div>
            <div>
              <h3>Newer</h3>
              <Side parts={f.parts} show="added" />
            </div>
          </div>
        </section>
      ))}
    </NewsroomLayout>
  );
}
