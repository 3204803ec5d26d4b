import { randomUUID } from "node:crypto";
import { type AppError, docUrlOf } from "../domain/errors.ts";

/**
 * The contract's error body of an error: what every non-2xx answer carries, with a fresh error_id,
 * and a `doc_url` to the section of the documentation (published at `docsUrl`) that explains it.
 */
export function errorBody(error: AppError, docsUrl: string | null = null): Record<string, unknown> {
  const docUrl = docUrlOf(error.code, docsUrl);
  return {
    error_id: randomUUID(),
    error_type: error.type,
    error_code: error.code,
    error_message: error.message,
    ...(docUrl ? { doc_url: docUrl } : {}),
    ...(error.validationErrors
      ? {
          errors: error.validationErrors.map((issue) => ({
            parameter: issue.parameter,
            error_message: issue.message,
          })),
        }
      : {}),
  };
}
