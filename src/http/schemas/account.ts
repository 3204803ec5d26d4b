import { Type } from "typebox";
import { ACCOUNT_KINDS } from "../../domain/types.ts";
import { EnvironmentSchema, Timestamp } from "./common.ts";
import { shared } from "./shared.ts";

export const ACCOUNT_NAME_SCHEMA = Type.String({
  minLength: 1,
  maxLength: 100,
  pattern: "^(?=.*\\S)[^\\u0000-\\u001f\\u007f]+$",
  description: "Display name, 1 to 100 printable characters",
});

/** What every view of an account (the partner's, the operator's) shows after its id. */
export const AccountProfileFields = {
  name: Type.String(),
  type: Type.Enum(ACCOUNT_KINDS),
  environment: EnvironmentSchema,
  parent_account_id: Type.Optional(Type.String()),
  partner_account_reference: Type.Optional(Type.String()),
  created_at: Timestamp,
};

export const AccountObject = Type.Object(
  {
    account_id: Type.String({ description: "krn:partner:global:account:<live|test>:<8 alphanumerics>" }),
    ...AccountProfileFields,
    mtls_enforced_from: Type.Optional({
      ...Timestamp,
      description: "Client certificates required from then on",
    }),
  },
  { additionalProperties: false },
);

export const AccountSchema = shared("Account", AccountObject);
