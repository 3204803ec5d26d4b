import { type ChildProcess, spawn } from "node:child_process";
import { freePort, ROOT } from "../test/process.ts";

export { freePort, ROOT };

export interface Child {
  name: string;
  child: ChildProcess;
  output(): string;
  /** SIGTERM to the process group; resolves when the process has exited. */
  stop(): Promise<void>;
}

const running = new Set<Child>();

/** Last resort when the benchmark fails or is interrupted: no server outlives it. */
export function killAll(): void {
  for (const c of running) {
    try {
      if (c.child.pid && c.child.exitCode === null) process.kill(-c.child.pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
  running.clear();
}
process.once("exit", killAll);
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    killAll();
    process.exit(130);
  });
}

/**
 * Starts a server in its own process group and waits until `ready` answers (polled over HTTP, so
 * no log line is needed and the servers can log at `warn`, without per-request logging).
 */
export async function startProcess(options: {
  name: string;
  command: string;
  args: string[];
  env?: Record<string, string>;
  ready: string;
}): Promise<Child> {
  const child = spawn(options.command, options.args, {
    cwd: ROOT,
    detached: true,
    env: { ...process.env, ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const append = (chunk: unknown): void => {
    output = (output + String(chunk)).slice(-20_000);
  };
  child.stdout?.on("data", append);
  child.stderr?.on("data", append);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const started: Child = {
    name: options.name,
    child,
    output: () => output,
    stop: async () => {
      running.delete(started);
      if (child.exitCode !== null || child.signalCode !== null) return;
      if (child.pid) process.kill(-child.pid, "SIGTERM");
      const killer = setTimeout(() => child.pid && process.kill(-child.pid, "SIGKILL"), 10_000);
      await exited;
      clearTimeout(killer);
    },
  };
  running.add(started);
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`${options.name} exited before it was ready:\n${output}`);
    }
    if (Date.now() > deadline) {
      await started.stop();
      throw new Error(`${options.name} was not ready within 30 s:\n${output}`);
    }
    try {
      await fetch(options.ready, { signal: AbortSignal.timeout(1_000) });
      return started;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/** A TypeScript file of bench/ run by Node with tsx's loader (one process, no wrapper). */
export function tsxArgs(file: string, args: string[] = []): { command: string; args: string[] } {
  return { command: process.execPath, args: ["--import", "tsx", file, ...args] };
}
