import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

async function waitReady(url: string, child: { exitCode: number | null }, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`pulse exited early with code ${child.exitCode}`);
    try {
      const res = await fetch(`${url}/health/ready`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`pulse did not become ready at ${url} within ${timeoutMs} ms`);
}

/** Starts pulse on a fresh temp dir; the returned function stops it and removes the dir. */
export default async function globalSetup() {
  const bin = process.env.PULSE_BIN ?? path.resolve(here, '../../target/debug/pulse');
  const dir = process.env.PULSE_E2E_DIR!;
  const port = process.env.PULSE_E2E_PORT!;
  const url = process.env.PULSE_E2E_URL!;
  const webDir = process.env.PULSE_E2E_WEB_DIR!;
  if (!existsSync(bin)) throw new Error(`pulse binary not found at ${bin}: run \`cargo build\` in the repo root or set PULSE_BIN`);
  if (!existsSync(path.join(webDir, 'index.html'))) throw new Error(`${webDir}/index.html is missing: run \`npm run build\` first`);
  mkdirSync(path.join(dir, 'outbox'), { recursive: true });
  mkdirSync(path.join(dir, 'data'), { recursive: true });

  const child = spawn(bin, ['serve'], {
    cwd: dir,
    stdio: ['ignore', 'ignore', process.env.PULSE_E2E_LOG ? 'inherit' : 'ignore'],
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: process.env.HOME ?? dir,
      DATABASE_URL: `sqlite://${dir}/pulse.db`,
      BIND_ADDR: `127.0.0.1:${port}`,
      PUBLIC_URL: url,
      WEB_DIR: webDir,
      MAIL_OUTBOX_DIR: path.join(dir, 'outbox'),
      DATA_DIR: path.join(dir, 'data'),
      AUTH_RATE_LIMIT_PER_MINUTE: '0',
      JWT_SECRET: 'e2e-secret-0123456789-abcdefghijklmnopqrstuvwxyz',
      CORS_ORIGIN: '',
      RUST_LOG: process.env.RUST_LOG ?? 'warn',
    },
  });
  try {
    await waitReady(url, child);
  } catch (e) {
    child.kill('SIGKILL');
    throw e;
  }

  return async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await Promise.race([new Promise((r) => child.once('exit', r)), new Promise((r) => setTimeout(r, 5000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    }
    if (!process.env.PULSE_E2E_KEEP) rmSync(dir, { recursive: true, force: true });
  };
}
