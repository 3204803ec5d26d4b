import { X509Certificate } from "node:crypto";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { onboardThroughProcess, type ProcessPartner, setRateLimit } from "./edge-fixtures.ts";
import { ADMIN_TOKEN, PEPPER } from "./harness.ts";
import { freePort, partnerctl, type ServerProcess, startServerProcess } from "./process.ts";

/** `partnerctl` as a partner runs it: its own key from the environment or a profile, against a live server. */
let server: ServerProcess;
let partner: ProcessPartner;
let dir: string;
let env: Record<string, string>;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "partner-cli-"));
  server = await startServerProcess({
    port: await freePort(),
    dataDir: join(dir, "data"),
    env: {
      ADMIN_TOKEN,
      PEPPER,
      TLS_PORT: "off",
      ROTATION_CHECK_INTERVAL: "PT1S",
      USAGE_FLUSH_INTERVAL: "PT0.2S",
    },
  });
  partner = await onboardThroughProcess(server, "CLI Partner");
  env = { PARTNER_API_KEY: partner.apiKey, PARTNER_API_URL: server.url, HOME: dir };
}, 30_000);

afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const json = <T>(stdout: string) => JSON.parse(stdout) as T;

describe("partnerctl for partners", () => {
  it("creates, lists, gets, updates, disables and enables credentials", async () => {
    const keyFile = join(dir, "reports.key");
    const created = await partnerctl(
      [
        "credentials",
        "create",
        "--type",
        "API",
        "--environment",
        "TEST",
        "--description",
        "reports",
        "--write-key",
        keyFile,
        "--json",
      ],
      env,
    );
    expect(created.code, created.stderr).toBe(0);
    const credential = json<{ credential_id: string; api_key?: string }>(created.stdout);
    expect(credential.api_key).toBeUndefined();
    expect(readFileSync(keyFile, "utf8")).toMatch(/^klarna_test_api_\w+\n$/);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);

    const listed = await partnerctl(["credentials", "list", "--type", "API", "--json"], env);
    expect(
      json<{ credentials: { credential_id: string }[] }>(listed.stdout).credentials.map(
        (c) => c.credential_id,
      ),
    ).toContain(credential.credential_id);
    const table = await partnerctl(["credentials", "list"], env);
    expect(table.stdout).toMatch(/^CREDENTIAL_ID\s+TYPE\s+ENV\s+STATUS/);
    const updated = await partnerctl(
      ["credentials", "update", credential.credential_id, "--description", "monthly reports", "--json"],
      env,
    );
    expect(json(updated.stdout)).toMatchObject({ description: "monthly reports" });
    const disabled = await partnerctl(["credentials", "disable", credential.credential_id, "--json"], env);
    expect(json(disabled.stdout)).toMatchObject({ status: "DISABLED" });
    const enabled = await partnerctl(["credentials", "enable", credential.credential_id, "--json"], env);
    expect(json(enabled.stdout)).toMatchObject({ status: "ACTIVE" });
    const got = await partnerctl(["credentials", "get", credential.credential_id, "--json"], env);
    expect(json(got.stdout)).toMatchObject({ credential_id: credential.credential_id, status: "ACTIVE" });
  });

  it("rotates in one command: the new key to a file, then watches the old one until it goes quiet", async () => {
    const created = await partnerctl(
      ["credentials", "create", "--type", "API", "--environment", "LIVE", "--json"],
      env,
    );
    const old = json<{ credential_id: string; api_key: string }>(created.stdout);
    const newKey = join(dir, "rotated.key");
    const rotated = await partnerctl(
      [
        "credentials",
        "rotate",
        old.credential_id,
        "--overlap",
        "PT2S",
        "--write-key",
        newKey,
        "--interval",
        "0.3",
        "--quiet-for",
        "3600",
        "--json",
      ],
      { ...env, PARTNER_API_KEY: old.api_key },
    );
    expect(rotated.code, rotated.stderr).toBe(0);
    const successor = json<{ credential_id: string; rotated_from: string }>(
      rotated.stdout.slice(0, rotated.stdout.lastIndexOf("}") + 1),
    );
    expect(successor.rotated_from).toBe(old.credential_id);
    // The old key was in use (it made the rotation), so the watch lasted until the overlap ended.
    expect(rotated.stderr).toContain(`old key ${old.credential_id}: ACTIVE`);
    expect(rotated.stderr, rotated.stderr).toMatch(/old key .*: DISABLED/);
    expect(rotated.stderr).toContain("The old key is quiet: it no longer works.");
    const withNew = await partnerctl(["credentials", "get", successor.credential_id, "--json"], {
      ...env,
      PARTNER_API_KEY: readFileSync(newKey, "utf8").trim(),
    });
    expect(withNew.code).toBe(0);
    expect((await partnerctl(["credentials", "list"], { ...env, PARTNER_API_KEY: old.api_key })).code).toBe(
      3,
    );

    // A key nobody uses goes quiet once the quiet period has passed with no use seen.
    const idle = json<{ credential_id: string }>(
      (await partnerctl(["credentials", "create", "--type", "API", "--environment", "LIVE", "--json"], env))
        .stdout,
    );
    const watched = await partnerctl(
      [
        "credentials",
        "rotate",
        idle.credential_id,
        "--overlap",
        "PT1H",
        "--quiet-for",
        "1",
        "--interval",
        "0.3",
      ],
      env,
    );
    expect(watched.code, watched.stderr).toBe(0);
    expect(watched.stdout).toMatch(/API key \(shown once\): klarna_live_api_/);
    expect(watched.stderr).toContain("The old key is quiet: disable it when you are sure.");
  }, 30_000);

  it("makes the key and CSR locally and writes key, certificate and CA", async () => {
    const out = join(dir, "mtls");
    const requested = await partnerctl(
      ["certificates", "request", "--out", out, "--description", "gateway", "--json"],
      env,
    );
    expect(requested.code, requested.stderr).toBe(0);
    expect(statSync(join(out, "client.key")).mode & 0o777).toBe(0o600);
    const certificate = new X509Certificate(readFileSync(join(out, "client.crt")));
    const ca = new X509Certificate(readFileSync(join(out, "ca.pem")));
    expect(certificate.verify(ca.publicKey)).toBe(true);
    expect(certificate.subject).toBe(`CN=${partner.accountId.split(":").pop()}`);
    expect(
      certificate.checkPrivateKey(
        (await import("node:crypto")).createPrivateKey(readFileSync(join(out, "client.key"))),
      ),
    ).toBe(true);
    const listed = await partnerctl(["certificates", "list", "--json"], env);
    expect(
      json<{ client_certificates: { description: string }[] }>(listed.stdout).client_certificates[0]
        ?.description,
    ).toBe("gateway");
  });

  it("manages the IP allow-list and web origins", async () => {
    const set = await partnerctl(
      ["ip-restriction", "set", "--mode", "REPORTING", "--ips", "192.0.2.0/24, 127.0.0.1", "--json"],
      env,
    );
    expect(json(set.stdout)).toEqual({
      enforcement_mode: "REPORTING",
      allowed_ips: ["192.0.2.0/24", "127.0.0.1"],
    });
    expect((await partnerctl(["ip-restriction", "show"], env)).stdout).toBe(
      "REPORTING: 192.0.2.0/24, 127.0.0.1\n",
    );
    const added = await partnerctl(["origins", "add", "shop.example", "--json"], env);
    const origin = json<{ origin_id: string; origin: string }>(added.stdout);
    expect(origin.origin).toBe("shop.example");
    expect((await partnerctl(["origins", "list"], env)).stdout).toContain("shop.example");
    expect((await partnerctl(["origins", "remove", origin.origin_id], env)).code).toBe(0);
    await partnerctl(["ip-restriction", "set", "--mode", "NOT_ENABLED"], env);
  });

  it("reads the key from a profile readable by its owner only, never from a flag", async () => {
    const profileDir = join(dir, ".config", "partnerctl");
    mkdirSync(profileDir, { recursive: true });
    const profile = join(profileDir, "config.json");
    writeFileSync(profile, JSON.stringify({ base_url: server.url, api_key: partner.apiKey }), {
      mode: 0o600,
    });
    const viaProfile = await partnerctl(["credentials", "list", "--json"], {
      HOME: dir,
      PARTNER_API_KEY: "",
      PARTNER_API_URL: "",
    });
    expect(viaProfile.code, viaProfile.stderr).toBe(0);
    chmodSync(profile, 0o644);
    const exposed = await partnerctl(["credentials", "list"], {
      HOME: dir,
      PARTNER_API_KEY: "",
      PARTNER_API_URL: "",
    });
    expect(exposed.code).toBe(1);
    expect(exposed.stderr).toContain("chmod 600");
    rmSync(profile);
    const none = await partnerctl(["credentials", "list"], {
      HOME: dir,
      PARTNER_API_KEY: "",
      PARTNER_API_URL: "",
    });
    expect(none.stderr).toContain("No API key");
    expect((await partnerctl(["credentials", "list", "--api-key", "x"], env)).code).toBe(2);
  });

  it("exits 2 on usage, 3 unauthorized, 4 not found, 5 rate limited, with the error on stderr", async () => {
    expect((await partnerctl(["credentials", "create"], env)).code).toBe(2);
    const unauthorized = await partnerctl(["credentials", "list"], {
      ...env,
      PARTNER_API_KEY: "klarna_test_api_nope",
    });
    expect(unauthorized.code).toBe(3);
    expect(unauthorized.stderr).toContain("UNAUTHORIZED");
    const missing = await partnerctl(["credentials", "get", "00000000-0000-7000-8000-000000000000"], env);
    expect(missing.code).toBe(4);
    expect(missing.stdout).toBe("");
    expect(missing.stderr).toContain("NOT_FOUND");
    const version = await partnerctl(["--version"], env);
    expect(version).toMatchObject({ code: 0, stdout: "0.1.0\n" });
    await setRateLimit(server.internalUrl, partner.accountId, { PARTNER_MANAGEMENT: "1/60s" });
    const results = [];
    for (let i = 0; i < 2; i++) results.push(await partnerctl(["credentials", "list"], env));
    expect(results.map((r) => r.code)).toEqual([0, 5]);
    expect(results[1]?.stderr).toContain("RATE_LIMITED");
  }, 30_000);
});
