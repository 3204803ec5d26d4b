import { notFound } from "../../../domain/errors.ts";
import type { Account } from "../../../domain/types.ts";
import type { AppServices } from "../../types.ts";

/** The account an operator's path names (`:account_id`); NOT_FOUND when there is none. */
export async function accountOf(services: AppServices, accountId: string): Promise<Account> {
  const account = await services.accounts.get(accountId);
  if (!account) throw notFound("Account");
  return account;
}
