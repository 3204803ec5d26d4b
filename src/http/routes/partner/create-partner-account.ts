import { Type } from "typebox";
import { presentAccount } from "../../presenters.ts";
import { ACCOUNT_NAME_SCHEMA, AccountSchema } from "../../schemas/account.ts";
import { EnvironmentSchema, errorResponses } from "../../schemas/common.ts";
import type { App, AppServices } from "../../types.ts";
import { contextOf, targetAccount } from "./scopes.ts";

export function createPartnerAccount(app: App, services: AppServices): void {
  app.post(
    "/v1/accounts",
    {
      schema: {
        operationId: "createPartnerAccount",
        tags: ["Partner Accounts"],
        summary: "Onboard a Partner Account beneath the calling Acquiring Partner",
        body: Type.Object(
          {
            name: ACCOUNT_NAME_SCHEMA,
            environment: Type.Optional(EnvironmentSchema),
            partner_account_reference: Type.Optional(
              Type.String({ pattern: "^[A-Za-z0-9_.:-]{1,255}$", description: "Your own identifier for it" }),
            ),
          },
          { additionalProperties: false },
        ),
        response: { 200: AccountSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const account = await services.accounts.createPartnerAccount(
        targetAccount(request),
        contextOf(request),
        {
          name: request.body.name,
          environment: request.body.environment,
          partnerAccountReference: request.body.partner_account_reference,
        },
      );
      return reply.code(200).send(presentAccount(account));
    },
  );
}
