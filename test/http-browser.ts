// A browser's cookie jar over real HTTP (fetch), for tests that talk to a
// `harbinger serve` process rather than to app.inject(): it remembers cookies and
// the last CSRF token a page carried, and follows no redirect on its own.
import { unescapeHtml } from './forms.js';

export interface Answer {
  status: number;
  text: string;
  location: string | null;
  headers: Headers;
}

export class Browser {
  cookies = new Map<string, string>();
  csrf = '';

  /** `headers` go with every request (an X-Forwarded-For of its own, say). */
  constructor(private readonly headers: () => Record<string, string> = () => ({})) {}

  async send(
    base: string,
    path: string,
    init: { method?: string; body?: URLSearchParams | FormData; headers?: Record<string, string> } = {},
  ): Promise<Answer> {
    const res = await fetch(base + path, {
      method: init.method ?? 'GET',
      redirect: 'manual',
      headers: {
        ...this.headers(),
        ...(this.cookies.size ? { cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ') } : {}),
        ...init.headers,
      },
      ...(init.body ? { body: init.body } : {}),
    });
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      if (value === '' || attrs.some((a) => /expires=Thu, 01 Jan 1970/i.test(a))) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    const text = await res.text();
    const token = /name="_csrf" value="([^"]+)"/.exec(text);
    if (token) this.csrf = unescapeHtml(token[1]!);
    return { status: res.status, text, location: res.headers.get('location'), headers: res.headers };
  }

  get(base: string, path: string, headers: Record<string, string> = {}): Promise<Answer> {
    return this.send(base, path, { headers });
  }

  /** Posts a form with the remembered CSRF token (unless the form has its own `_csrf`). */
  post(
    base: string,
    path: string,
    form: Record<string, string> | [string, string][],
    headers: Record<string, string> = {},
  ): Promise<Answer> {
    const fields = new URLSearchParams(form);
    if (!fields.has('_csrf')) fields.set('_csrf', this.csrf);
    return this.send(base, path, { method: 'POST', body: fields, headers });
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Asks every `everyMs` until `check` holds, for at most `ms`; returns whether it held. */
export async function eventually(check: () => boolean | Promise<boolean>, ms: number, everyMs = 50): Promise<boolean> {
  for (const deadline = Date.now() + ms; ;) {
    if (await check()) return true;
    if (Date.now() > deadline) return false;
    await sleep(everyMs);
  }
}
