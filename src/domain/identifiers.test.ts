import { describe, expect, it } from "vitest";
import { systemRandom } from "../system.ts";
import { ACCOUNT_ID_PATTERN, accountShortId, newAccountId, newUuidV7, UUID_PATTERN } from "./identifiers.ts";
import type { Clock } from "./runtime.ts";

const clockAt = (iso: string): Clock => ({ now: () => new Date(iso) });

describe("newAccountId", () => {
  it.each([
    ["LIVE", "live"],
    ["TEST", "test"],
  ] as const)("makes a %s account id", (environment, segment) => {
    const id = newAccountId(environment, systemRandom);
    expect(id).toMatch(ACCOUNT_ID_PATTERN);
    expect(ACCOUNT_ID_PATTERN.exec(id)?.[1]).toBe(segment);
  });

  it("is random", () => {
    const ids = new Set(Array.from({ length: 200 }, () => newAccountId("LIVE", systemRandom)));
    expect(ids.size).toBe(200);
  });
});

describe("accountShortId", () => {
  it("returns the last segment", () => {
    expect(accountShortId("krn:partner:global:account:live:ABCD1234")).toBe("ABCD1234");
    const id = newAccountId("TEST", systemRandom);
    expect(accountShortId(id)).toBe(ACCOUNT_ID_PATTERN.exec(id)?.[2]);
  });
});

describe("newUuidV7", () => {
  it("is a version 7, variant 10xx UUID carrying the clock's milliseconds", () => {
    const at = "2026-03-04T05:06:07.089Z";
    const uuid = newUuidV7(clockAt(at), systemRandom);
    expect(uuid).toMatch(UUID_PATTERN);
    expect(uuid.charAt(14)).toBe("7");
    expect("89ab").toContain(uuid.charAt(19));
    expect(Number.parseInt(uuid.replace(/-/g, "").slice(0, 12), 16)).toBe(Date.parse(at));
  });

  it("sorts by the clock's time, whatever the order of creation", () => {
    const times = [
      "2026-05-01T00:00:00.500Z",
      "2025-12-31T23:59:59.999Z",
      "2026-05-01T00:00:00.499Z",
      "2030-01-01T00:00:00.000Z",
      "2026-05-01T00:00:01.000Z",
    ];
    const made = times.map((time) => ({ time, uuid: newUuidV7(clockAt(time), systemRandom) }));
    const byUuid = [...made].sort((a, b) => (a.uuid < b.uuid ? -1 : 1)).map((entry) => entry.time);
    expect(byUuid).toEqual([...times].sort());
  });

  it("keeps creation order within one millisecond", () => {
    const clock = clockAt("2027-07-07T07:07:07.007Z");
    const made = Array.from({ length: 500 }, () => newUuidV7(clock, systemRandom));
    expect(new Set(made).size).toBe(made.length);
    expect([...made].sort()).toEqual(made);
  });
});
