import { execSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, devices } from '@playwright/test';

/*
 * E2E against a real `pulse serve` with a fresh SQLite database and mail outbox per run.
 * globalSetup starts the binary (../target/debug/pulse, or $PULSE_BIN) serving ./dist;
 * it builds nothing: run `npm run build` (the `e2e` script does) and `cargo build` first.
 *
 * The port and temp dir are chosen once here and passed through the environment, which
 * Playwright's workers inherit, so every process agrees on them.
 */
const here = path.dirname(fileURLToPath(import.meta.url));

if (!process.env.PULSE_E2E_PORT) {
  process.env.PULSE_E2E_PORT = execSync(
    `node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"`,
  )
    .toString()
    .trim();
}
process.env.PULSE_E2E_DIR ??= mkdtempSync(path.join(tmpdir(), 'pulse-e2e-'));
process.env.PULSE_E2E_URL = `http://127.0.0.1:${process.env.PULSE_E2E_PORT}`;
process.env.PULSE_E2E_WEB_DIR ??= path.join(here, 'dist');

const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export default defineConfig({
  testDir: './e2e',
  globalSetup: './e2e/global-setup.ts',
  // One worker: specs share one server and database, and the machine has two cores.
  workers: 1,
  fullyParallel: false,
  retries: process.env.CI ? 1 : 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? [['list'], ['html', { open: 'never' }]] : [['list']],
  use: {
    baseURL: process.env.PULSE_E2E_URL,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: chromium,
      args: [
        '--no-sandbox',
        '--headless',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic',
      ],
    },
  },
  projects: [
    { name: 'laptop', use: { ...devices['Desktop Chrome'], viewport: { width: 1366, height: 860 } }, testIgnore: /mobile\.spec/ },
    { name: 'phone', use: { ...devices['Pixel 7'], browserName: 'chromium' }, testMatch: /mobile\.spec/ },
  ],
});
