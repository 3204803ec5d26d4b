import { AppError } from "../../../domain/errors.ts";
import type { Guide } from "../../../guide.ts";
import type { App } from "../../types.ts";
import { escapeHtml } from "../onboarding/pages.ts";

const GUIDE_HEADERS: Record<string, string> = {
  "Content-Type": "text/html; charset=utf-8",
  "Cache-Control": "public, max-age=300",
  "X-Frame-Options": "DENY",
  "Content-Security-Policy":
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; base-uri 'none'; frame-ancestors 'none'",
};

const STYLE =
  "body{font:16px/1.5 system-ui,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;color:#1b1b1b}" +
  "pre{background:#f4f4f4;padding:.75rem;overflow:auto}code{font-size:.9em}table{border-collapse:collapse}" +
  "td,th{border:1px solid #ddd;padding:.25rem .5rem;text-align:left}";

/** `/guide` (the README) and `/guide/{page}` (docs/): what an error's `doc_url` points to. */
export function guide(app: App, pages: Guide): void {
  const answer = (name: string) => {
    const page = pages.page(name);
    if (!page) throw new AppError("NOT_FOUND", "No such guide");
    return `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(page.title)}</title><style>${STYLE}</style></head><body>${page.html}</body></html>`;
  };
  app.get("/guide", { schema: { hide: true } }, async (_request, reply) =>
    reply.headers(GUIDE_HEADERS).send(answer("")),
  );
  app.get<{ Params: { page: string } }>("/guide/:page", { schema: { hide: true } }, async (request, reply) =>
    reply.headers(GUIDE_HEADERS).send(answer(request.params.page)),
  );
}
