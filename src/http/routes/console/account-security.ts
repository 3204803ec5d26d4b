import type { FastifyReply, FastifyRequest } from "fastify";
import { accountShortId } from "../../../domain/identifiers.ts";
import { allowListMatcher } from "../../../domain/ip-allow-list.ts";
import type { Account } from "../../../domain/types.ts";
import { type SecurityPageData, securityPage } from "../../console/views/security-page.ts";
import { consoleClientAddress } from "../../plugins/console-session.ts";
import { presentCertificate, presentMtlsEnforcement } from "../../presenters.ts";
import type { App, AppServices } from "../../types.ts";
import { statusOf } from "./account-common.ts";
import { type AccountPageState, accountPageFrame, accountPageRoute } from "./account-page.ts";
import { sendPage } from "./console-pages.ts";

const NOTICES: Readonly<Record<string, string>> = {
  issued: "The certificate is signed: download it below, with the CA.",
  revoked: "The certificate is revoked: requests presenting it are INVALID from now on.",
  "mtls-set": "mTLS enforcement is set.",
  "mtls-lifted": "mTLS enforcement is lifted.",
  "ip-saved": "The IP allow-list is saved.",
};

/** Renders the security page of `account`, with any refusal beside its form. */
export async function sendSecurityPage(
  request: FastifyRequest,
  reply: FastifyReply,
  services: AppServices,
  account: Account,
  view: AccountPageState & { entered?: SecurityPageData["entered"] } = {},
): Promise<FastifyReply> {
  // A refused change leaves the account as it was; a page after a change reads it again.
  const current = (await services.accounts.get(account.accountId)) ?? account;
  const certificates = await services.security.listCertificates(current, { pageSize: 100 });
  const now = services.now();
  const mtls = presentMtlsEnforcement(current, now);
  const restriction = current.security.ipRestriction;
  const viewerAddress = consoleClientAddress(request);
  const body = securityPage({
    ...accountPageFrame(request, current, "security", view),
    commonName: accountShortId(current.accountId),
    certificates: certificates.items.map((certificate) => ({
      certificate,
      status: presentCertificate(certificate, now).status,
    })),
    mtls: {
      status: mtls.status,
      enforcedFrom: current.security.mtlsEnforcedFrom,
      enabled: mtls.mtls_enabled,
    },
    ip: {
      mode: restriction.mode,
      allowedIps: restriction.allowedIps,
      viewerAddress,
      viewerAllowed: allowListMatcher(restriction.allowedIps)(viewerAddress),
      seen: await services.security.addressesSeen(current),
    },
    entered: view.entered ?? {},
  });
  return sendPage(request, reply, {
    status: statusOf(view.problem),
    title: "Security",
    account: current,
    section: "security",
    body,
  });
}

/** `GET /console/accounts/:account_id/security`: certificates, mTLS enforcement, IP allow-list. */
export function accountSecurity(app: App, services: AppServices): void {
  accountPageRoute(app, "security", {
    notices: NOTICES,
    send: (request, reply, account, notice) =>
      sendSecurityPage(request, reply, services, account, { notice }),
  });
}
