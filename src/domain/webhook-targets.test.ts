import { describe, expect, it } from "vitest";
import { checkWebhookUrl, isPublicAddress } from "./webhook-targets.ts";

describe("webhook targets", () => {
  it.each([
    "127.0.0.1",
    "127.255.255.254",
    "10.0.0.1",
    "172.16.5.4",
    "192.168.1.1",
    "100.64.0.1",
    "100.127.255.254",
    "169.254.169.254",
    "169.254.0.1",
    "0.0.0.0",
    "224.0.0.251",
    "255.255.255.255",
    "::",
    "::1",
    "fd00:ec2::254",
    "fc00::1",
    "fe80::1",
    "ff02::1",
    "::ffff:127.0.0.1",
    "::ffff:7f00:1",
    "::ffff:169.254.169.254",
    "64:ff9b::10.0.0.1",
    "not an address",
  ])("refuses %s", (address) => {
    expect(isPublicAddress(address)).toBe(false);
  });

  it.each([
    "93.184.215.14",
    "8.8.8.8",
    "100.128.0.1",
    "172.32.0.1",
    "2606:4700::6810:84e5",
    "::ffff:8.8.8.8",
  ])("allows %s", (address) => {
    expect(isPublicAddress(address)).toBe(true);
  });

  it("wants https without credentials or fragment, and no forbidden address literal", () => {
    const strict = { allowInsecure: false };
    expect(checkWebhookUrl("https://hooks.example.com/in", strict)).toMatchObject({ ok: true });
    expect(checkWebhookUrl("http://hooks.example.com/in", strict)).toEqual({
      ok: false,
      problem: "must be an https URL",
    });
    expect(checkWebhookUrl("https://a:b@hooks.example.com/", strict)).toMatchObject({ ok: false });
    expect(checkWebhookUrl("https://hooks.example.com/#x", strict)).toMatchObject({ ok: false });
    expect(checkWebhookUrl("https://[fd00:ec2::254]/", strict)).toMatchObject({ ok: false });
    expect(checkWebhookUrl("hooks.example.com", strict)).toMatchObject({ ok: false });
    // The development setting lets http and private addresses through.
    const insecure = { allowInsecure: true };
    expect(checkWebhookUrl("http://127.0.0.1:8080/in", insecure)).toMatchObject({ ok: true });
    expect(checkWebhookUrl("ftp://127.0.0.1/in", insecure)).toMatchObject({ ok: false });
  });
});
