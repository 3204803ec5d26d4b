import { randomUUID } from "node:crypto";
import type { AppError } from "../domain/errors.ts";

/** The contract's error body of an error: what every non-2xx answer carries, with a fresh error_id. */
export function errorBody(error: AppError): Record<string, unknown> {
  return {
    error_id: randomUUID(),
    error_type: error.type,
    error_code: error.code,
    error_message: error.message,
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
