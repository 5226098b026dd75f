// A tiny cookie-keeping client over app.inject(), so HTTP tests can walk through
// forms as a browser would: it remembers cookies and the last CSRF token.
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';

/** Keeps what a response's Set-Cookie headers say in the jar; an expired or emptied cookie leaves it. */
export function keepCookies(jar: Map<string, string>, res: LightMyRequestResponse): void {
  const set = res.headers['set-cookie'];
  for (const line of Array.isArray(set) ? set : set ? [set] : []) {
    const [pair, ...attrs] = line.split(';');
    const eq = pair!.indexOf('=');
    const name = pair!.slice(0, eq).trim();
    const value = pair!.slice(eq + 1).trim();
    const expired = attrs.some((a) => /expires=Thu, 01 Jan 1970/i.test(a)) || value === '';
    if (expired) jar.delete(name);
    else jar.set(name, value);
  }
}

let counter = 0;
const next = () => (counter = (counter + 1) % 250) + 1;

export class Browserish {
  cookies = new Map<string, string>();
  csrf = '';
  /** Each client comes from an address of its own, as rate limits count per address. */
  readonly remoteAddress = `10.${next()}.${next()}.${next()}`;

  constructor(
    private readonly app: FastifyInstance,
    private readonly headers: Record<string, string> = {},
  ) {}

  private remember(res: LightMyRequestResponse): LightMyRequestResponse {
    keepCookies(this.cookies, res);
    const token = /name="_csrf" value="([^"]+)"/.exec(res.body);
    if (token) this.csrf = token[1]!;
    return res;
  }

  private cookieHeader(): Record<string, string> {
    return this.cookies.size ? { cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ') } : {};
  }

  async get(url: string, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
    return this.remember(
      await this.app.inject({
        method: 'GET',
        url,
        remoteAddress: this.remoteAddress,
        headers: { ...this.headers, ...this.cookieHeader(), ...headers },
      }),
    );
  }

  /** Posts a form; the remembered CSRF token is added unless `_csrf` is given (null leaves it out). */
  async post(
    url: string,
    form: Record<string, string>,
    options: { csrf?: string | null; headers?: Record<string, string> } = {},
  ): Promise<LightMyRequestResponse> {
    const fields = { ...form };
    if (options.csrf !== null) fields._csrf = options.csrf ?? this.csrf;
    return this.remember(
      await this.app.inject({
        method: 'POST',
        url,
        remoteAddress: this.remoteAddress,
        headers: { ...this.headers, ...this.cookieHeader(), 'content-type': 'application/x-www-form-urlencoded', ...options.headers },
        payload: new URLSearchParams(fields).toString(),
      }),
    );
  }

  /** Follows a redirect answer with a GET, as a browser would. */
  async follow(res: LightMyRequestResponse): Promise<LightMyRequestResponse> {
    const location = res.headers.location as string;
    return this.get(location.replace(/^https?:\/\/[^/]+/, ''));
  }
}
