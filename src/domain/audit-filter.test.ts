import { describe, expect, it } from "vitest";
import { actionMatches, auditEventMatches, parseAuditFilter } from "./audit-filter.ts";
import { AppError } from "./errors.ts";

function failure(run: () => unknown): AppError | undefined {
  try {
    run();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  return undefined;
}

describe("audit filters", () => {
  it("leave out what is blank", () => {
    expect(parseAuditFilter({})).toEqual({});
    expect(parseAuditFilter({ type: "  ", from: "", to: undefined })).toEqual({});
  });

  it("trim and lower-case the action", () => {
    expect(parseAuditFilter({ type: " Credential.Disabled " })).toEqual({ action: "credential.disabled" });
  });

  it("turn days into an inclusive start and an exclusive end, in UTC", () => {
    expect(parseAuditFilter({ from: "2026-01-31", to: "2026-02-01" })).toEqual({
      occurredFrom: new Date("2026-01-31T00:00:00.000Z"),
      occurredBefore: new Date("2026-02-02T00:00:00.000Z"),
    });
    // One day: from its first millisecond to the next day's first.
    expect(parseAuditFilter({ from: "2028-02-29", to: "2028-02-29" })).toEqual({
      occurredFrom: new Date("2028-02-29T00:00:00.000Z"),
      occurredBefore: new Date("2028-03-01T00:00:00.000Z"),
    });
    expect(parseAuditFilter({ to: "2026-12-31" })).toEqual({
      occurredBefore: new Date("2027-01-01T00:00:00.000Z"),
    });
  });

  it.each([
    ["from", "yesterday"],
    ["from", "2026-1-31"],
    ["to", "2026-02-30"],
    ["to", "2027-02-29"],
    ["from", "2026-01-31T00:00"],
  ] as const)("refuse %s=%s", (parameter, value) => {
    const error = failure(() => parseAuditFilter({ [parameter]: value }));
    expect(error?.code).toBe("VALIDATION_ERROR");
    expect(error?.validationErrors).toEqual([{ parameter, message: "must be a date such as 2026-01-31" }]);
  });

  it("refuse a to before from, and take from = to as one day", () => {
    const error = failure(() => parseAuditFilter({ from: "2026-02-02", to: "2026-02-01" }));
    expect(error?.validationErrors).toEqual([{ parameter: "to", message: "must not be before from" }]);
    expect(failure(() => parseAuditFilter({ from: "2026-02-02", to: "2026-02-02" }))).toBeUndefined();
  });

  it("match an action exactly or by family, never by a bare prefix", () => {
    expect(actionMatches("credential", "credential")).toBe(true);
    expect(actionMatches("credential", "credential.disabled")).toBe(true);
    expect(actionMatches("credential", "credential.key.rotated")).toBe(true);
    expect(actionMatches("credential.disabled", "credential.disabled")).toBe(true);
    expect(actionMatches("credential.disabled", "credential.enabled")).toBe(false);
    expect(actionMatches("credential", "credentials.created")).toBe(false);
    expect(actionMatches("credential", "client_credential.created")).toBe(false);
    expect(actionMatches("rate_limits", "rate.limits.changed")).toBe(false);
  });

  it("match events inside the bounds only", () => {
    const filter = parseAuditFilter({ type: "credential", from: "2026-01-01", to: "2026-01-01" });
    const event = (action: string, at: string) => ({ action, occurredAt: new Date(at) });
    expect(auditEventMatches(filter, event("credential.created", "2026-01-01T00:00:00.000Z"))).toBe(true);
    expect(auditEventMatches(filter, event("credential.created", "2026-01-01T23:59:59.999Z"))).toBe(true);
    expect(auditEventMatches(filter, event("credential.created", "2025-12-31T23:59:59.999Z"))).toBe(false);
    expect(auditEventMatches(filter, event("credential.created", "2026-01-02T00:00:00.000Z"))).toBe(false);
    expect(auditEventMatches(filter, event("account.created", "2026-01-01T12:00:00.000Z"))).toBe(false);
    expect(auditEventMatches({}, event("account.created", "1999-01-01T00:00:00.000Z"))).toBe(true);
  });
});
