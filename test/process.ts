import { type ChildProcess, execFile, spawn } from "node:child_process";
import { connect, createServer } from "node:net";
import { promisify } from "node:util";

export const ROOT = new URL("..", import.meta.url).pathname;
const run = promisify(execFile);

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

export interface ServerProcess extends CliProcess {
  url: string;
  /** The internal listener: `/admin/*`, `/internal/*`, `/metrics`. */
  internalUrl: string;
  tlsUrl: string;
}

interface CliProcess {
  child: ChildProcess;
  output(): string;
  /** Sends SIGTERM to the process group and resolves with the exit code. */
  stop(): Promise<number | null>;
}

/**
 * Starts a long-running command in its own process group and waits until its output holds every
 * one of `readyWhen` (log lines), or fails with what it printed.
 */
async function startCli(
  command: string,
  args: string[],
  env: Record<string, string | undefined>,
  readyWhen: string[],
): Promise<CliProcess> {
  const child = spawn(command, args, {
    cwd: ROOT,
    detached: true,
    env: { ...process.env, LOG_LEVEL: "info", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk) => {
    output += String(chunk);
  });
  child.stderr?.on("data", (chunk) => {
    output += String(chunk);
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const deadline = Date.now() + 20_000;
  while (!readyWhen.every((line) => output.includes(line))) {
    if (child.exitCode !== null) {
      throw new Error(`${command} ${args.join(" ")} exited (code ${child.exitCode}):\n${output}`);
    }
    if (Date.now() > deadline)
      throw new Error(`${command} ${args.join(" ")} did not start in time:\n${output}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    child,
    output: () => output,
    stop: async () => {
      if (child.pid) process.kill(-child.pid, "SIGTERM");
      return exited;
    },
  };
}

/**
 * Starts `partnerctl serve` in its own process group: directly, or the way the README does
 * (`npm start`, which runs the same command).
 */
export async function startServerProcess(options: {
  port: number;
  dataDir: string;
  env?: Record<string, string>;
  viaNpm?: boolean;
  /** Run the JavaScript `npm run build` emitted (`node dist/cli/main.js`). */
  compiled?: boolean;
}): Promise<ServerProcess> {
  const args = ["--port", String(options.port), "--data-dir", options.dataDir];
  const [command, commandArgs] = options.viaNpm
    ? ["npm", ["start", "--", ...args]]
    : options.compiled
      ? ["node", ["dist/cli/main.js", "serve", ...args]]
      : ["./bin/partnerctl", ["serve", ...args]];
  const tlsPort = await freePort();
  const internalPort = Number(options.env?.INTERNAL_PORT ?? (await freePort()));
  const started = await startCli(
    command,
    commandArgs,
    { TLS_PORT: String(tlsPort), INTERNAL_PORT: String(internalPort), ...options.env },
    [
      // Both apps log "Server listening at"; the partners' one is on this port.
      `Server listening at http://127.0.0.1:${options.port}`,
      "internal listener",
      ...(options.env?.TLS_PORT === "off" ? [] : ["HTTPS listening"]),
    ],
  );
  return {
    ...started,
    url: `http://127.0.0.1:${options.port}`,
    internalUrl: `http://127.0.0.1:${internalPort}`,
    tlsUrl: `https://127.0.0.1:${tlsPort}`,
  };
}

/** Runs `./bin/partnerctl ARGS` as an operator would. */
export async function partnerctl(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ stdout: string; stderr: string; code: number }> {
  try {
    const { stdout, stderr } = await run("./bin/partnerctl", args, {
      cwd: ROOT,
      env: { ...process.env, ...env },
    });
    return { stdout, stderr, code: 0 };
  } catch (error) {
    const failed = error as { stdout: string; stderr: string; code: number };
    return { stdout: failed.stdout, stderr: failed.stderr, code: failed.code };
  }
}

/** Sends bytes as they are over TCP (for requests no HTTP client would make) and returns the answer. */
export function rawRequest(baseUrl: string, bytes: string): Promise<string> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.end(bytes));
    let answer = "";
    socket.on("data", (chunk) => {
      answer += String(chunk);
    });
    socket.on("close", () => resolve(answer));
    socket.on("error", (error: NodeJS.ErrnoException) =>
      error.code === "ECONNRESET" ? resolve(answer) : reject(error),
    );
  });
}

export interface GatewayProcess extends CliProcess {
  url: string;
}

/** Starts `partnerctl gateway --routes FILE --port PORT --data-dir DIR` in its own process group. */
export async function startGatewayProcess(options: {
  port: number;
  dataDir: string;
  routesFile: string;
  env?: Record<string, string>;
}): Promise<GatewayProcess> {
  const args = ["gateway", "--routes", options.routesFile, "--port", String(options.port)];
  const started = await startCli(
    "./bin/partnerctl",
    [...args, "--data-dir", options.dataDir],
    options.env ?? {},
    ["gateway listening"],
  );
  return { ...started, url: `http://127.0.0.1:${options.port}` };
}
