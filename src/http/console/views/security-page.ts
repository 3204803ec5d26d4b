import { IP_ENFORCEMENT_MODES, type IpEnforcementMode } from "../../../domain/ip-allow-list.ts";
import type { MtlsEnforcementStatus } from "../../../domain/mtls-lockout.ts";
import type { ClientCertificate } from "../../../domain/types.ts";
import type { AddressSeen } from "../../../services/account-security.ts";
import { actionForm, notice, tableWrap, time } from "../forms.ts";
import { html, type SafeHtml } from "../html.ts";
import { type FormProblem, placeProblem, problemAt, selectField, statusPill, textDataUrl } from "./parts.ts";

export interface SecurityPageData {
  base: string;
  csrf: SafeHtml;
  /** The user's role may change certificates, mTLS enforcement and the IP allow-list. */
  canChange: boolean;
  /** The CN the CA writes into the account's certificates. */
  commonName: string;
  certificates: readonly { certificate: ClientCertificate; status: "VALID" | "EXPIRED" | "REVOKED" }[];
  mtls: { status: MtlsEnforcementStatus; enforcedFrom: Date | null; enabled: boolean };
  ip: {
    mode: IpEnforcementMode;
    allowedIps: readonly string[];
    /** The address this page was requested from, and whether the list lets it through. */
    viewerAddress: string;
    viewerAllowed: boolean;
    /** The addresses requests came from, with their counts, judged by the list as it stands. */
    seen: readonly AddressSeen[];
  };
  notice?: string | null;
  problem?: FormProblem | null;
  entered?: {
    description?: string | undefined;
    csr?: string | undefined;
    enforcedFrom?: string | undefined;
    mode?: string | undefined;
    allowedIps?: string | undefined;
  };
}

/** The openssl commands that make a key and a CSR the CA accepts (EC P-256). */
export function opensslInstructions(commonName: string): string {
  return [
    "# 1. A private key (EC P-256); it never leaves your servers:",
    "openssl ecparam -name prime256v1 -genkey -noout -out client.key",
    "# 2. A certificate signing request (the CA sets the subject to your account's id):",
    `openssl req -new -key client.key -subj "/CN=${commonName}" -out client.csr`,
    "# 3. Paste the contents of client.csr into the console (or send it to POST /v1/account/client-certificates).",
    "# 4. Download the certificate and the CA; present client.key with the certificate on every request.",
    "",
  ].join("\n");
}

function certificateRow(data: SecurityPageData, entry: SecurityPageData["certificates"][number]): SafeHtml {
  const { certificate: c, status } = entry;
  const id = c.certificateId;
  const path = `${data.base}security/certificates/${encodeURIComponent(id)}`;
  const lockOut = data.problem?.form === `revoke:${id}` && data.problem.error.code === "INVALID_STATE";
  return html`<tr>
<td><code>${id}</code>${c.description ? html`<br>${c.description}` : null}</td>
<td>${statusPill(status)}</td>
<td><code>${c.serialNumber}</code></td>
<td>${time(c.notBefore)}</td>
<td>${time(c.notAfter)}</td>
<td>${c.revokedAt ? time(c.revokedAt) : html`<span class="muted">no</span>`}</td>
<td><div class="actions">
<a class="button secondary" href="${path}/certificate.pem" download="client-certificate-${id}.pem" aria-label="Download certificate ${id}">Download</a>
${
  data.canChange && status !== "REVOKED"
    ? actionForm({
        action: `${path}/revoke`,
        label: "Revoke",
        accessibleLabel: `Revoke certificate ${id}`,
        csrf: data.csrf,
        variant: "danger",
      })
    : null
}
</div>
${problemAt(data.problem, `revoke:${id}`)}
${
  lockOut && data.canChange
    ? actionForm({
        action: `${path}/revoke`,
        label: "Revoke anyway",
        accessibleLabel: `Revoke certificate ${id} anyway, locking the account out`,
        csrf: data.csrf,
        fields: { force: "true" },
        variant: "danger",
      })
    : null
}</td>
</tr>`;
}

function certificatesSection(data: SecurityPageData): SafeHtml {
  const instructions = opensslInstructions(data.commonName);
  const table =
    data.certificates.length === 0
      ? html`<p>No client certificates yet.</p>`
      : tableWrap(
          "Client certificates",
          html`<table>
<caption>Client certificates, newest first</caption>
<thead><tr><th scope="col">ID</th><th scope="col">Status</th><th scope="col">Serial</th><th scope="col">Valid from</th><th scope="col">Valid until</th><th scope="col">Revoked</th><th scope="col">Actions</th></tr></thead>
<tbody>${data.certificates.map((entry) => certificateRow(data, entry))}</tbody>
</table>`,
        );
  const issue = data.canChange
    ? html`<h3 id="issue-heading">Sign a certificate signing request</h3>
<p>Make a key and a CSR with openssl on your server:</p>
<pre class="secret"><code id="openssl-instructions">${instructions}</code></pre>
<p><a href="${textDataUrl(instructions)}" download="client-certificate-instructions.txt">Download the instructions as .txt</a></p>
<form method="post" action="${data.base}security/certificates" class="stacked" aria-labelledby="issue-heading">${data.csrf}
<div class="field"><label for="certificate-description">Description</label>
<input id="certificate-description" name="description" maxlength="100" autocomplete="off" value="${data.entered?.description ?? ""}"></div>
<div class="field"><label for="certificate-csr">CSR (PEM)</label>
<textarea id="certificate-csr" name="csr" rows="8" spellcheck="false" aria-describedby="certificate-csr-hint">${data.entered?.csr ?? ""}</textarea>
<p id="certificate-csr-hint" class="hint">From <code>-----BEGIN CERTIFICATE REQUEST-----</code> to <code>-----END CERTIFICATE REQUEST-----</code>.</p></div>
<div><button type="submit">Sign certificate</button></div>
</form>
${problemAt(data.problem, "issue")}`
    : null;
  return html`<section aria-labelledby="certificates-heading">
<h2 id="certificates-heading">Client certificates</h2>
<p><a href="${data.base}security/ca.pem" download="client-certificate-ca.pem">Download the CA certificate (PEM)</a>: your HTTP clients trust it, and it issues your client certificates.</p>
${table}
${issue}
</section>`;
}

const MTLS_TEXT: Record<MtlsEnforcementStatus, string> = {
  NOT_ENFORCED: "Not enforced: requests without a client certificate are accepted.",
  SCHEDULED: "Scheduled: from the time below, every request needs a valid client certificate.",
  ENFORCED: "Enforced: every request needs a valid client certificate.",
};

function mtlsSection(data: SecurityPageData): SafeHtml {
  const { mtls } = data;
  const schedule = data.canChange
    ? html`<form method="post" action="${data.base}security/mtls" class="stacked" aria-labelledby="mtls-schedule-heading">${data.csrf}
<h3 id="mtls-schedule-heading">Schedule enforcement</h3>
<div class="field"><label for="mtls-enforced-from">Enforce from</label>
<input id="mtls-enforced-from" name="enforced_from" maxlength="40" autocomplete="off" value="${data.entered?.enforcedFrom ?? ""}" aria-describedby="mtls-enforced-from-hint">
<p id="mtls-enforced-from-hint" class="hint">NOW, or an ISO 8601 time with its offset at most 3 months ahead, such as 2027-01-31T09:00:00Z. The account needs a valid certificate first.</p></div>
<div class="field"><label><input type="checkbox" name="force" value="true"> Enforce now even though this console request presents no client certificate (callers without one are locked out)</label></div>
<div><button type="submit">Schedule enforcement</button></div>
</form>
${problemAt(data.problem, "mtls")}
${
  mtls.status !== "NOT_ENFORCED"
    ? html`${actionForm({ action: `${data.base}security/mtls/lift`, label: "Lift enforcement", csrf: data.csrf, variant: "secondary" })}
${problemAt(data.problem, "lift-mtls")}`
    : null
}`
    : null;
  return html`<section aria-labelledby="mtls-heading">
<h2 id="mtls-heading">mTLS enforcement</h2>
<dl class="facts">
<dt>Status</dt><dd>${statusPill(mtls.status)} ${MTLS_TEXT[mtls.status]}</dd>
<dt>From</dt><dd>${mtls.enforcedFrom ? time(mtls.enforcedFrom) : html`<span class="muted">not set</span>`}</dd>
<dt>Certificate issued</dt><dd>${mtls.enabled ? "yes: answers report each request's certificate status" : "no"}</dd>
</dl>
<p>The lock-out guard: enforcement needs a valid certificate on the account; enforcing at once is refused unless the request itself presents one (or you choose to enforce anyway); once enforced, lifting needs a request with a valid certificate (the console presents none: ask support to lift it), and revoking the last valid certificate is refused unless forced.</p>
${schedule}
</section>`;
}

const IP_MODE_TEXT: Record<IpEnforcementMode, string> = {
  NOT_ENABLED: "Not enabled: requests from any address are accepted.",
  REPORTING:
    "Reporting: requests from any address are accepted, and each answer reports whether its address is in the list (ALLOWED or DENIED) in a response header.",
  ENFORCED: "Enforced: requests from addresses outside the list are refused (403 IP_NOT_ALLOWED).",
};

function ipSection(data: SecurityPageData): SafeHtml {
  const { ip } = data;
  const form = data.canChange
    ? html`<form method="post" action="${data.base}security/ip-restriction" class="stacked" aria-labelledby="ip-change-heading">${data.csrf}
<h3 id="ip-change-heading">Change the allow-list</h3>
${selectField({
  id: "ip-mode",
  name: "enforcement_mode",
  label: "Mode",
  options: IP_ENFORCEMENT_MODES.map((m) => [m, m] as const),
  selected: data.entered?.mode ?? ip.mode,
})}
<div class="field"><label for="ip-allowed">Allowed addresses</label>
<textarea id="ip-allowed" name="allowed_ips" rows="6" spellcheck="false" aria-describedby="ip-allowed-hint">${data.entered?.allowedIps ?? ip.allowedIps.join("\n")}</textarea>
<p id="ip-allowed-hint" class="hint">One IPv4 or IPv6 address or CIDR range a line (at most 100).</p></div>
<div class="field"><label><input type="checkbox" name="force" value="true"> Enforce even though my current address is not in the list</label></div>
<div><button type="submit">Save allow-list</button></div>
</form>
${problemAt(data.problem, "ip")}`
    : null;
  return html`<section aria-labelledby="ip-heading">
<h2 id="ip-heading">IP allow-list</h2>
<dl class="facts">
<dt>Mode</dt><dd>${statusPill(ip.mode)} ${IP_MODE_TEXT[ip.mode]}</dd>
<dt>Addresses</dt><dd>${ip.allowedIps.length > 0 ? html`<ul>${ip.allowedIps.map((a) => html`<li><code>${a}</code></li>`)}</ul>` : html`<span class="muted">none</span>`}</dd>
<dt>Your address</dt><dd><code>${ip.viewerAddress}</code>: ${ip.mode === "NOT_ENABLED" ? "no list applies" : ip.viewerAllowed ? "ALLOWED by the list" : "DENIED by the list"}</dd>
</dl>
${addressesSeen(ip)}
${form}
</section>`;
}

/** The requests' addresses, how many each sent and the list denied, and what the list says now. */
function addressesSeen(ip: SecurityPageData["ip"]): SafeHtml {
  const verdict = ip.mode === "NOT_ENABLED" ? "The list would" : "The list says now";
  return html`<h3 id="ip-seen-heading">Addresses seen</h3>
<p>The addresses requests with this account's keys came from in the last 30 days (up to a minute ago), the most recent first. <em>Denied</em> counts the requests the list in force at the time did not allow: in REPORTING mode they were answered but marked DENIED, in ENFORCED mode refused; requests made while the list was NOT_ENABLED have no verdict.${ip.mode === "REPORTING" ? " Complete the list until nothing you expect is denied, then enforce it." : ""}</p>
${
  ip.seen.length === 0
    ? html`<p class="muted">No request has been seen yet.</p>`
    : tableWrap(
        "Addresses seen",
        html`<table aria-labelledby="ip-seen-heading">
<thead><tr><th scope="col">Address</th><th scope="col">Last seen</th><th scope="col">Requests</th><th scope="col">Denied</th><th scope="col">${verdict}</th></tr></thead>
<tbody>${ip.seen.map(
          (seen) =>
            html`<tr><td><code>${seen.address}</code></td><td>${time(seen.lastSeenAt)}</td><td>${seen.requests}</td><td>${seen.allowed + seen.denied === 0 ? html`<span class="muted">no verdict</span>` : seen.denied}</td><td>${seen.allowedNow === null ? html`<span class="muted">no list</span>` : statusPill(seen.allowedNow ? "ALLOWED" : "DENIED")}</td></tr>`,
        )}</tbody>
</table>`,
      )
}`;
}

/** Certificates (sign a CSR, download, revoke), mTLS enforcement and the IP allow-list. */
export function securityPage(data: SecurityPageData): SafeHtml {
  return placeProblem(
    html`<h1>Security</h1>
${data.notice ? notice("success", data.notice) : null}
${certificatesSection(data)}
${mtlsSection(data)}
${ipSection(data)}`,
    data.problem,
  );
}
