import { describe, expect, it } from "vitest";
import { CONSOLE_CAPABILITIES, CONSOLE_ROLES, isAccountRole, roleMay } from "./console-roles.ts";

describe("console roles", () => {
  it("grants each role its capabilities and nothing else", () => {
    const table = Object.fromEntries(
      CONSOLE_ROLES.map((role) => [role, CONSOLE_CAPABILITIES.filter((c) => roleMay(role, c)).join(" ")]),
    );
    expect(table).toEqual({
      owner: "read credentials security webhooks users",
      developer: "read credentials security webhooks",
      viewer: "read",
      operator: "read operate",
    });
  });

  it("an account's users are owners, developers or viewers; operators belong to none", () => {
    expect(["owner", "developer", "viewer"].every(isAccountRole)).toBe(true);
    expect(isAccountRole("operator")).toBe(false);
    expect(isAccountRole("admin")).toBe(false);
  });
});
