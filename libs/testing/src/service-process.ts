import { ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, WriteStream } from 'node:fs';
import path from 'node:path';
import { WORKSPACE_ROOT } from './infra';
import { waitFor } from './wait-for';

export interface ServiceProcessOptions {
  app: 'token-service' | 'validation-service' | 'policy-service' | 'audit-service' | 'dev-idp' | 'notification-service';
  port: number;
  env: Record<string, string>;
  /** a label for the log file, e.g. validation-2 */
  label?: string;
}

/**
 * A real service process (built output under dist/), started with its own environment, logging to
 * tmp/e2e-logs/<label>.log. `ready()` waits for /health/ready.
 */
export class ServiceProcess {
  private child?: ChildProcess;
  private log?: WriteStream;
  private exited?: Promise<number | null>;
  readonly baseUrl: string;
  readonly logFile: string;

  constructor(private readonly options: ServiceProcessOptions) {
    this.baseUrl = `http://127.0.0.1:${options.port}`;
    const dir = path.join(WORKSPACE_ROOT, 'tmp', 'e2e-logs');
    mkdirSync(dir, { recursive: true });
    this.logFile = path.join(dir, `${options.label ?? options.app}.log`);
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  async start({ waitReady = true, timeoutMs = 60_000 } = {}): Promise<this> {
    this.log = createWriteStream(this.logFile, { flags: 'a' });
    const child = spawn(process.execPath, [path.join(WORKSPACE_ROOT, 'tools/run-service.js'), this.options.app], {
      cwd: WORKSPACE_ROOT,
      env: { ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'info', PORT: String(this.options.port), ...this.options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    child.stdout?.pipe(this.log, { end: false });
    child.stderr?.pipe(this.log, { end: false });
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    if (waitReady) await this.ready(timeoutMs);
    return this;
  }

  async ready(timeoutMs = 60_000): Promise<void> {
    let exitCode: number | null | undefined;
    void this.exited?.then((c) => (exitCode = c));
    await waitFor(
      async () => {
        if (exitCode !== undefined) throw new Error(`${this.options.app} exited with ${exitCode}; see ${this.logFile}`);
        const res = await fetch(`${this.baseUrl}/health/ready`).catch(() => null);
        return res?.status === 200;
      },
      { timeoutMs, intervalMs: 100, what: `${this.options.label ?? this.options.app} ready (log: ${this.logFile})` },
    );
  }

  /** SIGTERM and wait for exit (SIGKILL after the grace). */
  async stop(graceMs = 10_000): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGCONT');
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
    this.log?.end();
  }

  /** the exit code once the process ends by itself, or a timeout error */
  async waitForExit(timeoutMs = 30_000): Promise<number | null> {
    if (!this.exited) throw new Error('not started');
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([
        this.exited,
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`${this.options.app} still running after ${timeoutMs} ms`)), timeoutMs);
        }),
      ]);
    } finally {
      clearTimeout(timer);
      this.log?.end();
    }
  }

  signal(sig: NodeJS.Signals): void {
    this.child?.kill(sig);
  }

  async fetch(pathname: string, init: RequestInit = {}): Promise<Response> {
    return fetch(`${this.baseUrl}${pathname}`, init);
  }
}
