import type { FastifyReply, FastifyRequest } from "fastify";
import { Type } from "typebox";
import type { Account } from "../../../domain/types.ts";
import { enteredText } from "../../console/forms.ts";
import type { FormProblem } from "../../console/views/parts.ts";
import type { AppServices } from "../../types.ts";
import { sendClientsPage } from "./account-clients.ts";
import { sendKeysPage } from "./account-keys.ts";

/** The pages that list credentials: API keys, and Client IDs (whose buttons post to the same routes). */
export type CredentialPage = "keys" | "clients";

/** The form field that names the page a credential's button was pressed on. */
export const ReturnTo = { return_to: Type.Optional(Type.Enum(["keys", "clients"])) };

/** The page the posted form came from (`return_to`), the API keys page when it names none. */
export function returnPage(request: FastifyRequest): CredentialPage {
  return enteredText(request, "return_to") === "clients" ? "clients" : "keys";
}

/** That page again, with the refusal beside the form it belongs to. */
export function sendCredentialPage(
  page: CredentialPage,
  request: FastifyRequest,
  reply: FastifyReply,
  services: AppServices,
  account: Account,
  problem: FormProblem,
): Promise<FastifyReply> {
  return page === "clients"
    ? sendClientsPage(request, reply, services, account, { problem })
    : sendKeysPage(request, reply, services, account, { problem });
}
