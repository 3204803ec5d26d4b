import { notFound } from "../../../domain/errors.ts";
import { CONSOLE_ASSETS } from "../../console/assets.ts";
import type { App } from "../../types.ts";
import { pathParam } from "./console-pages.ts";

/**
 * `GET /console/assets/:file`: the stylesheet and the script, cached for a year (pages link them
 * with their digest in `?v=`), with a strong ETag for revalidation.
 */
export function consoleAsset(app: App): void {
  app.get("/console/assets/:file", async (request, reply) => {
    const name = pathParam(request, "file");
    const asset = Object.hasOwn(CONSOLE_ASSETS, name) ? CONSOLE_ASSETS[name] : undefined;
    if (!asset) throw notFound("File");
    reply.header("Cache-Control", "public, max-age=31536000, immutable").header("ETag", asset.etag);
    if (request.headers["if-none-match"] === asset.etag) return reply.code(304).send();
    return reply.type(asset.contentType).send(asset.body);
  });
}
