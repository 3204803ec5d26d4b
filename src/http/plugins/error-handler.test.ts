import { describe, expect, it } from "vitest";
import { AppError } from "../../domain/errors.ts";
import { StoreTimeoutError, StoreUnavailableError } from "../../store/errors.ts";
import { toAppError } from "./error-handler.ts";

describe("toAppError and the store's failures", () => {
  it("answers the store's unavailable and timeout errors with SERVICE_UNAVAILABLE (503, no extra headers)", () => {
    const cause = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" });
    for (const failure of [new StoreUnavailableError({ cause }), new StoreTimeoutError({ cause })]) {
      const known = toAppError(failure);
      expect(known).toBeInstanceOf(AppError);
      expect(known).toMatchObject({
        code: "SERVICE_UNAVAILABLE",
        status: 503,
        message: "The service is temporarily unavailable; retry shortly",
        headers: {},
      });
    }
  });

  it("does not read driver codes or messages: those are the adapters' to translate", () => {
    for (const error of [
      Object.assign(new Error("terminating connection due to administrator command"), { code: "57P01" }),
      Object.assign(new Error("database is locked"), { code: "SQLITE_BUSY" }),
      Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" }),
      new Error("Connection terminated unexpectedly"),
    ]) {
      expect(toAppError(error), error.message).toBeNull();
    }
  });
});
