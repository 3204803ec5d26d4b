import type { LightMyRequestResponse } from "fastify";
import type { App } from "../src/http/types.ts";

/**
 * A browser's side of the console over `inject()`: it keeps the cookies the console sets and the
 * CSRF token of the last page it was shown, and posts forms as a browser does.
 */
export class ConsoleClient {
  readonly #app: App;
  readonly #via: { remoteAddress?: string; headers?: Record<string, string> };
  readonly #cookies = new Map<string, string>();
  #csrf: string | null = null;

  /** `via`: the connection's address and the headers a proxy in front adds (`X-Real-IP`). */
  constructor(app: App, via: { remoteAddress?: string; headers?: Record<string, string> } = {}) {
    this.#app = app;
    this.#via = via;
  }

  /** The CSRF token of the last page that held a form. */
  get csrf(): string {
    if (this.#csrf === null) throw new Error("No page with a form was shown yet");
    return this.#csrf;
  }

  /** The `Cookie` header the client sends (to replay it elsewhere, say). */
  get cookieHeader(): string {
    return [...this.#cookies].map(([name, value]) => `${name}=${value}`).join("; ");
  }

  /** Whether the client holds this cookie. */
  hasCookie(name: string): boolean {
    return this.#cookies.has(name);
  }

  async get(url: string): Promise<LightMyRequestResponse> {
    return this.#keep(
      await this.#app.inject({ method: "GET", url, headers: this.#headers(), ...this.#from() }),
    );
  }

  /** Posts a form (with the CSRF token of the last page unless `_csrf` is given); repeated fields as arrays. */
  async post(
    url: string,
    fields: Record<string, string | readonly string[]> = {},
    options: { csrf?: boolean } = {},
  ): Promise<LightMyRequestResponse> {
    const body = new URLSearchParams();
    if (options.csrf !== false && !("_csrf" in fields)) body.append("_csrf", this.csrf);
    for (const [name, value] of Object.entries(fields)) {
      for (const one of typeof value === "string" ? [value] : value) body.append(name, one);
    }
    return this.#keep(
      await this.#app.inject({
        method: "POST",
        url,
        headers: { ...this.#headers(), "content-type": "application/x-www-form-urlencoded" },
        payload: body.toString(),
        ...this.#from(),
      }),
    );
  }

  #headers(): Record<string, string> {
    const cookie = this.cookieHeader;
    return { ...this.#via.headers, ...(cookie ? { cookie } : {}) };
  }

  #from(): { remoteAddress?: string } {
    return this.#via.remoteAddress ? { remoteAddress: this.#via.remoteAddress } : {};
  }

  #keep(response: LightMyRequestResponse): LightMyRequestResponse {
    const header = response.headers["set-cookie"];
    for (const line of header === undefined ? [] : Array.isArray(header) ? header : [String(header)]) {
      const [pair = ""] = line.split(";");
      const at = pair.indexOf("=");
      const name = pair.slice(0, at).trim();
      const value = pair.slice(at + 1).trim();
      const cleared = /max-age=0/i.test(line) || /expires=thu, 01 jan 1970/i.test(line) || value === "";
      if (cleared) this.#cookies.delete(name);
      else this.#cookies.set(name, value);
    }
    const token = /name="_csrf" value="([^"]+)"/.exec(response.body)?.[1];
    if (token) this.#csrf = token;
    return response;
  }
}
