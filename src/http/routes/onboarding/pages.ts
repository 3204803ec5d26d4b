/** Server-rendered pages of the onboarding link: no scripts, nothing cached, nothing indexed. */

export const PAGE_HEADERS: Record<string, string> = {
  "Content-Type": "text/html; charset=utf-8",
  "Cache-Control": "no-store",
  "Referrer-Policy": "no-referrer",
  "X-Robots-Tag": "noindex, nofollow",
  "X-Frame-Options": "DENY",
  "Content-Security-Policy":
    "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<title>${escapeHtml(title)}</title>
<style>
body{font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;color:#17120f;line-height:1.5}
code{display:block;padding:1rem;background:#f4f1ee;border-radius:.5rem;word-break:break-all;font-size:1rem}
button,.button{display:inline-block;padding:.6rem 1.2rem;border:0;border-radius:.4rem;background:#17120f;color:#fff;font-size:1rem;text-decoration:none;cursor:pointer}
.warning{background:#fff4d6;padding:.75rem 1rem;border-radius:.4rem}
</style>
</head>
<body>
<h1>${escapeHtml(title)}</h1>
${body}
</body>
</html>
`;
}

export function revealPage(input: { accountId: string; accountName: string; expiresAt: Date }): string {
  return layout(
    "Your initial API key",
    `<p>This one-time link gives <strong>${escapeHtml(input.accountName)}</strong>
(<code style="display:inline;padding:0 .2rem">${escapeHtml(input.accountId)}</code>) its first API key.</p>
<p class="warning">The key is generated when you press the button and is shown <strong>only once</strong>.
Have your secret manager ready. After that this link stops working.</p>
<form method="post"><button type="submit">Reveal my API key</button></form>
<p><small>This link expires at ${escapeHtml(input.expiresAt.toISOString())}.</small></p>`,
  );
}

export function keyPage(input: {
  accountId: string;
  credentialId: string;
  apiKey: string;
  brand: string;
}): string {
  const download = `data:text/plain;charset=utf-8,${encodeURIComponent(
    `account_id=${input.accountId}\ncredential_id=${input.credentialId}\napi_key=${input.apiKey}\n`,
  )}`;
  return layout(
    "Your initial API key",
    `<p class="warning">Copy it now: this is the only time it is shown.</p>
<code id="api-key">${escapeHtml(input.apiKey)}</code>
<p>Account <strong>${escapeHtml(input.accountId)}</strong>, credential ${escapeHtml(input.credentialId)}.</p>
<p><a class="button" download="${escapeHtml(input.brand)}-api-key.txt" href="${escapeHtml(download)}">Download as .txt</a></p>
<p>Use it as <code style="display:inline;padding:0 .2rem">Authorization: Basic &lt;api_key&gt;</code>
to create one credential per service through the Partner Management API.</p>`,
  );
}

export function linkErrorPage(input: { title: string; message: string }): string {
  return layout(input.title, `<p>${escapeHtml(input.message)}</p>`);
}
