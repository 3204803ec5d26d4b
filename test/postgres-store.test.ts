import { describe } from "vitest";
import { openTestPostgresStore, TEST_DATABASE_URL } from "./postgres.ts";
import { storeContract } from "./store-contract.ts";

describe.skipIf(!TEST_DATABASE_URL)("PostgreSQL (TEST_DATABASE_URL)", () => {
  storeContract("PostgreSQL store", () => openTestPostgresStore());
});
