import { AppError } from "../../../domain/errors.ts";
import type { App } from "../../types.ts";

/** Any other address under `/console/`: a 404 page (not the API's JSON body). */
export function consoleNotFound(app: App): void {
  app.route({
    method: ["GET", "POST", "PUT", "PATCH", "DELETE"],
    url: "/console/*",
    handler: async () => {
      throw new AppError("NOT_FOUND", "There is no console page at this address.");
    },
  });
}
