import { describe, expect, it } from "vitest";
import {
  certificateUsable,
  enforcementAuditStatus,
  mtlsEnforcementStatus,
  revocationLocksOut,
} from "./mtls-lockout.ts";

const now = new Date("2026-05-01T12:00:00.000Z");
const later = new Date("2026-05-02T12:00:00.000Z");
const earlier = new Date("2026-04-30T12:00:00.000Z");

describe("revocationLocksOut", () => {
  it("only when enforcement is set (now or scheduled), the revoked one is usable and no other is", () => {
    for (const mtlsEnforcedFrom of [earlier, now, later]) {
      expect(revocationLocksOut({ mtlsEnforcedFrom, revokedIsUsable: true, otherUsable: 0 })).toBe(true);
      expect(revocationLocksOut({ mtlsEnforcedFrom, revokedIsUsable: true, otherUsable: 1 })).toBe(false);
      expect(revocationLocksOut({ mtlsEnforcedFrom, revokedIsUsable: false, otherUsable: 0 })).toBe(false);
    }
    expect(revocationLocksOut({ mtlsEnforcedFrom: null, revokedIsUsable: true, otherUsable: 0 })).toBe(false);
  });
});

describe("certificateUsable", () => {
  it("is not revoked and within [not_before, not_after)", () => {
    const certificate = { revokedAt: null, notBefore: earlier, notAfter: later };
    expect(certificateUsable(certificate, now)).toBe(true);
    expect(certificateUsable(certificate, earlier)).toBe(true);
    expect(certificateUsable(certificate, later)).toBe(false);
    expect(certificateUsable({ ...certificate, notBefore: later }, now)).toBe(false);
    expect(certificateUsable({ ...certificate, revokedAt: earlier }, now)).toBe(false);
  });
});

describe("enforcement statuses", () => {
  it("tells NOT_ENFORCED, SCHEDULED and ENFORCED apart at an instant", () => {
    expect(mtlsEnforcementStatus(null, now)).toBe("NOT_ENFORCED");
    expect(mtlsEnforcementStatus(now, now)).toBe("ENFORCED");
    expect(mtlsEnforcementStatus(later, now)).toBe("SCHEDULED");
  });

  it("words the audit event: SCHEDULED with the date for a time ahead, ENFORCED otherwise", () => {
    expect(enforcementAuditStatus(later, now)).toEqual({
      status: "SCHEDULED",
      reason: "scheduled from 2026-05-02T12:00:00.000Z",
    });
    expect(enforcementAuditStatus(now, now)).toEqual({
      status: "ENFORCED",
      reason: "enforced from 2026-05-01T12:00:00.000Z",
    });
  });
});
