import type { FastifyRequest } from "fastify";
import { Type } from "typebox";
import type { CredentialType, Environment } from "../../../domain/types.ts";
import { enteredText } from "../../console/forms.ts";
import { EnvironmentSchema } from "../../schemas/common.ts";
import { DESCRIPTION_SCHEMA } from "../../schemas/credential.ts";
import { formBody } from "./account-common.ts";

/*
 * The form that creates a credential, on the API keys page (`generate`) and on the Client IDs page
 * (`create-client`): the API's fields for it.
 */

/** The form's body: an environment and an optional description, with the API's schemas. */
export const NewCredentialBody = formBody({
  description: Type.Optional(DESCRIPTION_SCHEMA),
  environment: EnvironmentSchema,
});

/** The form's fields as typed, to show it again beside a refusal. */
export function enteredCredential(request: FastifyRequest): {
  description: string | undefined;
  environment: string | undefined;
} {
  return {
    description: enteredText(request, "description"),
    environment: enteredText(request, "environment"),
  };
}

/** What the credentials service creates from the form, as from `POST /v1/account/credentials`. */
export function newCredential(
  type: CredentialType,
  body: { description?: string; environment: Environment },
): { type: CredentialType; environment: Environment; description: string } {
  return { type, environment: body.environment, description: body.description ?? "" };
}
