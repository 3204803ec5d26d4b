import { existsSync, readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Marked, type Tokens } from "marked";
import { gfmHeadingId } from "marked-gfm-heading-id";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const PAGE_NAME = /^[a-z0-9-]{1,64}$/;

/** A link between the Markdown files, made to point at the page this service serves for it. */
function servedHref(href: string): string {
  const match = /^(?:\.\.\/|\.\/)?(?:(docs)\/)?([A-Za-z0-9-]+)\.md(#[\w-]*)?$/.exec(href);
  if (match) {
    const [, , name = "", anchor = ""] = match;
    return name === "README" ? `/guide${anchor}` : `/guide/${name.toLowerCase()}${anchor}`;
  }
  return href === "openapi.json" || href === "../openapi.json" ? "/openapi.json" : href;
}

/**
 * The README and the guides under `docs/`, rendered to HTML once each on first request, with
 * GitHub's heading anchors, so that an error's `doc_url` (`/guide#rate-limits`) lands on its
 * section without the operator publishing anything.
 */
export class Guide {
  readonly #pages = new Map<string, string>();
  readonly #rendered = new Map<string, string>();

  constructor(root = ROOT) {
    const readme = `${root}/README.md`;
    if (existsSync(readme)) this.#pages.set("", readme);
    const docs = `${root}/docs`;
    if (existsSync(docs)) {
      for (const file of readdirSync(docs)) {
        const name = file.replace(/\.md$/, "");
        if (file.endsWith(".md") && PAGE_NAME.test(name)) this.#pages.set(name, `${docs}/${file}`);
      }
    }
  }

  /** The page's HTML body and title; null for a page that does not exist. `""` is the README. */
  page(name: string): { title: string; html: string } | null {
    const file = this.#pages.get(name);
    if (file === undefined) return null;
    let html = this.#rendered.get(name);
    if (html === undefined) {
      const marked = new Marked(gfmHeadingId(), {
        walkTokens: (token) => {
          if (token.type === "link") (token as Tokens.Link).href = servedHref((token as Tokens.Link).href);
        },
      });
      html = marked.parse(readFileSync(file, "utf8"), { async: false });
      this.#rendered.set(name, html);
    }
    const title = /<h1[^>]*>(.*?)<\/h1>/.exec(html)?.[1]?.replace(/<[^>]+>/g, "") ?? "Guide";
    return { title, html };
  }
}
