import type { RequestContext } from "../../../services/runtime.ts";

export const OPERATOR_CONTEXT: Pick<RequestContext, "actor"> = { actor: { kind: "operator" } };
