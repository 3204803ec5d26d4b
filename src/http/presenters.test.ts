import { describe, expect, it } from "vitest";
import { makeCredential } from "../../test/store-contract/fixtures.ts";
import {
  credentialJson,
  credentialPageJson,
  presentCredential,
  presentCredentialPage,
} from "./presenters.ts";

const credentials = [
  makeCredential(1, "A", { description: 'quotes " and \\ and ünïcode', permissions: ["payments"] }),
  makeCredential(2, "A", { status: "DISABLED", statusReason: "ROTATED", disabledAt: new Date(0) }),
];

describe("credentials as JSON text", () => {
  it("is the presented credential", () => {
    const [first] = credentials;
    if (!first) throw new Error("no credential");
    expect(JSON.parse(credentialJson(first))).toEqual(JSON.parse(JSON.stringify(presentCredential(first))));
    expect(credentialJson(first)).toBe(credentialJson(first));
  });

  it("is the presented page, with its next page token", () => {
    const page = { items: credentials, nextPageToken: "abc" };
    expect(JSON.parse(credentialPageJson(page))).toEqual(
      JSON.parse(JSON.stringify(presentCredentialPage(page))),
    );
    const last = { items: credentials, nextPageToken: null };
    expect(JSON.parse(credentialPageJson(last))).toEqual({ credentials: credentials.map(presentCredential) });
  });

  it("answers a page a cache shares (frozen, the last) with the same text", () => {
    const shared = { items: Object.freeze([...credentials]), nextPageToken: null };
    const text = credentialPageJson(shared);
    expect(credentialPageJson({ ...shared })).toBe(text);
    expect(JSON.parse(text).credentials).toHaveLength(2);
  });
});
