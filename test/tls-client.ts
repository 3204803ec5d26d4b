import { request } from "node:https";

export interface TlsResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One HTTPS request over a real TLS connection, optionally presenting a client certificate. */
export function tlsRequest(options: {
  url: string;
  method?: string;
  path: string;
  caPem: string;
  headers?: Record<string, string>;
  client?: { certPem: string; keyPem: string };
  body?: unknown;
}): Promise<TlsResponse> {
  const url = new URL(options.path, options.url);
  const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: options.method ?? "GET",
        ca: options.caPem,
        servername: "localhost",
        cert: options.client?.certPem,
        key: options.client?.keyPem,
        agent: false,
        headers: {
          ...(payload ? { "content-type": "application/json" } : {}),
          ...options.headers,
        },
      },
      (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => {
          body += chunk;
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on("error", reject);
    req.end(payload);
  });
}
