import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { onboardThroughProcess, type ProcessPartner } from "./edge-fixtures.ts";
import { ADMIN_TOKEN, PEPPER } from "./harness.ts";
import { freePort, partnerctl, type ServerProcess, startServerProcess } from "./process.ts";

/** The operator inviting console users with `partnerctl admin`, against a live server. */
let server: ServerProcess;
let partner: ProcessPartner;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "console-users-cli-"));
  server = await startServerProcess({
    port: await freePort(),
    dataDir: join(dir, "data"),
    env: { ADMIN_TOKEN, PEPPER, TLS_PORT: "off", PUBLIC_URL: "https://partners.example" },
  });
  partner = await onboardThroughProcess(server, "Console Partner");
}, 30_000);

afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const admin = (args: string[]) =>
  partnerctl(["admin", ...args, "--url", server.internalUrl], { ADMIN_TOKEN, HOME: dir });

interface Invitation {
  user_id: string;
  invitation_url: string;
  expires_at: string;
}

describe("partnerctl admin users and operators", () => {
  it("invites an account's first owner and prints the one-time link as JSON", async () => {
    const result = await admin([
      "users",
      "invite",
      partner.accountId,
      "--email",
      "a@b.example",
      "--role",
      "owner",
      "--json",
    ]);
    expect(result.code, result.stderr).toBe(0);
    const invited = JSON.parse(result.stdout) as Invitation;
    expect(Object.keys(invited).sort()).toEqual(["expires_at", "invitation_url", "user_id"]);
    expect(invited.invitation_url).toMatch(
      /^https:\/\/partners\.example\/console\/invitations\/[A-Za-z0-9_-]{43}$/,
    );
    expect(Date.parse(invited.expires_at)).toBeGreaterThan(Date.now() + 6 * 24 * 3600_000);

    // An unknown account is not found (exit 4); a role the console does not know is a usage error.
    const again = await admin([
      "users",
      "invite",
      "krn:partner:global:account:live:ZZZZZZZZ",
      "--email",
      "a@b.example",
      "--role",
      "owner",
    ]);
    expect(again.code).toBe(4);
    const badRole = await admin([
      "users",
      "invite",
      partner.accountId,
      "--email",
      "c@b.example",
      "--role",
      "admin",
    ]);
    expect(badRole.code).not.toBe(0);
    expect(badRole.stderr).toMatch(/--role must be one of owner, developer, viewer/);
  });

  it("invites support staff as console operators, in words or as JSON", async () => {
    const words = await admin(["operators", "invite", "--email", "support@provider.example"]);
    expect(words.code, words.stderr).toBe(0);
    expect(words.stdout).toMatch(/one-time link[\s\S]*\/console\/invitations\//);
    const json = await admin(["operators", "invite", "--email", "Second@Provider.example", "--json"]);
    expect(json.code, json.stderr).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ user_id: expect.any(String) });
    // Inviting again replaces the link; an email already invited to an account is refused.
    const renewed = await admin(["operators", "invite", "--email", "second@provider.example", "--json"]);
    expect(JSON.parse(renewed.stdout)).toMatchObject({ user_id: JSON.parse(json.stdout).user_id });
    const taken = await admin(["operators", "invite", "--email", "a@b.example"]);
    expect(taken.code).toBe(1);
    expect(taken.stderr).toMatch(/RESOURCE_CONFLICT/);
  });
});

describe("partnerctl admin users list, reset and remove", () => {
  it("finds the account's owner, resets their sign-in (a new link as JSON), and removes them", async () => {
    const listed = await admin(["users", "list", partner.accountId, "--json"]);
    expect(listed.code, listed.stderr).toBe(0);
    const users = JSON.parse(listed.stdout) as { user_id: string; email: string; status: string }[];
    const owner = users.find((u) => u.email === "a@b.example");
    expect(owner).toMatchObject({ status: "INVITED" });
    const words = await admin(["users", "list", partner.accountId]);
    expect(words.stdout).toContain(`${owner?.user_id}  owner`);

    const reset = await admin(["users", "reset", owner?.user_id ?? "", "--json"]);
    expect(reset.code, reset.stderr).toBe(0);
    const invited = JSON.parse(reset.stdout) as Invitation;
    expect(Object.keys(invited).sort()).toEqual(["expires_at", "invitation_url", "user_id"]);
    expect(invited.user_id).toBe(owner?.user_id);
    expect(invited.invitation_url).toMatch(/\/console\/invitations\/[A-Za-z0-9_-]{43}$/);

    const removed = await admin(["users", "remove", owner?.user_id ?? ""]);
    expect(removed.code, removed.stderr).toBe(0);
    expect(removed.stdout).toMatch(/removed/);
    const gone = await admin(["users", "reset", owner?.user_id ?? ""]);
    expect(gone.code).toBe(4);
  });

  it("lists the operators with --operators, and wants an account or --operators", async () => {
    const listed = await admin(["users", "list", "--operators", "--json"]);
    expect(listed.code, listed.stderr).toBe(0);
    const operators = JSON.parse(listed.stdout) as { email: string; account_id: null; role: string }[];
    expect(operators.map((u) => u.email)).toContain("support@provider.example");
    expect(operators.every((u) => u.account_id === null && u.role === "operator")).toBe(true);
    const neither = await admin(["users", "list"]);
    expect(neither.code).not.toBe(0);
    expect(neither.stderr).toMatch(/either ACCOUNT_ID or --operators/);
  });
});
