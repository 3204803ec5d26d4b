import { expect, it } from "vitest";
import { at, HOUR, MINUTE, makeServiceToken } from "./fixtures.ts";
import { contractArea } from "./harness.ts";

/** Tokens of the provider's own services, found by hash, listed, revoked once. */
export const serviceTokens = contractArea("service-tokens", "service tokens", (ctx) => {
  const { store } = ctx;

  it("insertServiceToken stores a token findable by its hash; an unknown hash is null", async () => {
    const token = makeServiceToken(1, {
      name: "edge-proxy",
      createdAt: new Date("2026-03-01T12:00:00.456Z"),
    });
    await store.insertServiceToken(token);
    expect(await store.findServiceTokenByHash(token.tokenHash)).toEqual(token);
    expect(await store.findServiceTokenByHash("f".repeat(64))).toBeNull();
  });

  it("a hash belongs to one token: a second token with it is refused", async () => {
    const token = makeServiceToken(1);
    await store.insertServiceToken(token);
    await expect(
      store.insertServiceToken(makeServiceToken(2, { tokenHash: token.tokenHash })),
    ).rejects.toThrow();
    expect(await store.findServiceTokenByHash(token.tokenHash)).toEqual(token);
    expect(await store.listServiceTokens()).toEqual([token]);
  });

  it("listServiceTokens lists every token newest first (ties by id), revoked ones included", async () => {
    expect(await store.listServiceTokens()).toEqual([]);
    const tokens = [
      makeServiceToken(1, { createdAt: at(MINUTE) }),
      makeServiceToken(2, { createdAt: at(3 * MINUTE), revokedAt: at(HOUR) }),
      makeServiceToken(3, { createdAt: at(3 * MINUTE) }),
      makeServiceToken(4, { createdAt: at(2 * MINUTE) }),
    ];
    for (const i of [2, 0, 3, 1]) {
      const token = tokens[i];
      if (token) await store.insertServiceToken(token);
    }
    expect((await store.listServiceTokens()).map((t) => t.name)).toEqual([
      "gateway-3",
      "gateway-2",
      "gateway-4",
      "gateway-1",
    ]);
  });

  it("revokeServiceToken revokes once and returns the token as stored; an unknown token is null", async () => {
    const token = makeServiceToken(1);
    const other = makeServiceToken(2);
    await store.insertServiceToken(token);
    await store.insertServiceToken(other);

    const revoked = await store.revokeServiceToken({
      serviceTokenId: token.serviceTokenId,
      revokedAt: at(HOUR),
    });
    expect(revoked).toEqual({ ...token, revokedAt: at(HOUR) });
    expect(await store.findServiceTokenByHash(token.tokenHash)).toEqual(revoked);

    const again = await store.revokeServiceToken({
      serviceTokenId: token.serviceTokenId,
      revokedAt: at(2 * HOUR),
    });
    expect(again).toEqual(revoked);
    expect(await store.findServiceTokenByHash(other.tokenHash)).toEqual(other);
    expect(
      await store.revokeServiceToken({
        serviceTokenId: makeServiceToken(9).serviceTokenId,
        revokedAt: at(HOUR),
      }),
    ).toBeNull();
  });
});
