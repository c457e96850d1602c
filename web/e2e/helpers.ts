import { createHmac } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { expect, type APIRequestContext, type Locator, type Page } from '@playwright/test';

export const ADMIN = { login: 'admin1224', password: 'Admin@1224' };
export const PASSWORD = 'correct-horse-battery-42';

let counter = 0;
/** A username unique to this run. */
export function uniqueName(prefix: string): string {
  counter += 1;
  return `${prefix}${Date.now().toString(36)}${counter}`.slice(0, 32);
}

function decodeQuotedPrintable(s: string): string {
  return s.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/** The newest emailed link of `kind` sent to `to`, polling the outbox briefly. */
export async function emailedLink(to: string, kind: 'verify-email' | 'reset-password' | 'invite', after = 0): Promise<string> {
  const outbox = path.join(process.env.PULSE_E2E_DIR!, 'outbox');
  const re = new RegExp(`https?://[^\\s"'<>]+/${kind}\\?token=[A-Za-z0-9._~%-]+`);
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const files = readdirSync(outbox)
      .filter((f) => f.endsWith('.eml'))
      .map((f) => ({ f, t: statSync(path.join(outbox, f)).mtimeMs }))
      .filter((x) => x.t >= after)
      .sort((a, b) => b.t - a.t);
    for (const { f } of files) {
      const text = decodeQuotedPrintable(readFileSync(path.join(outbox, f), 'utf8'));
      const toLine = /^To:.*$/im.exec(text)?.[0] ?? '';
      if (!toLine.toLowerCase().includes(to.toLowerCase())) continue;
      const m = re.exec(text);
      if (m) return m[0];
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no ${kind} email to ${to} in ${outbox}`);
}

export async function csrfHeader(request: APIRequestContext): Promise<Record<string, string>> {
  const state = await request.storageState();
  const csrf = state.cookies.find((c) => c.name === 'csrf_token')?.value;
  return csrf ? { 'X-CSRF-Token': csrf } : {};
}

/** Sign up through the API and open the emailed verification link's token. */
export async function createVerifiedUser(request: APIRequestContext, prefix = 'user') {
  const username = uniqueName(prefix);
  const email = `${username}@example.com`;
  const res = await request.post('/api/v1/auth/signup', { data: { username, email, password: PASSWORD } });
  expect(res.status(), await res.text()).toBe(201);
  const link = await emailedLink(email, 'verify-email');
  const token = new URL(link).searchParams.get('token')!;
  const v = await request.post('/api/v1/auth/verify-email', { data: { token } });
  expect(v.status(), await v.text()).toBe(200);
  return { username, email, password: PASSWORD };
}

/** Log in through the API; the request context keeps the cookies. */
export async function apiLogin(request: APIRequestContext, login: string, password: string) {
  const res = await request.post('/api/v1/auth/login', { data: { login, password } });
  expect(res.status(), await res.text()).toBe(200);
}

/**
 * A form field shows `message` as its error: the input is marked invalid and the message
 * under it is its accessible description (the app wires it with aria-describedby).
 */
export async function expectFieldError(field: Locator, message: string | RegExp) {
  await expect(field).toHaveAttribute('aria-invalid', 'true');
  await expect(field).toHaveAccessibleDescription(message);
}

/** The body rows of a table: the rows with data cells, not the header row. */
export function bodyRows(table: Locator): Locator {
  return table.getByRole('row').filter({ has: table.page().getByRole('cell') });
}

export async function loginUI(page: Page, login: string, password: string) {
  await page.goto('/login');
  await page.getByLabel('Username or email').fill(login);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page.getByRole('heading', { name: 'Dashboard' })).toBeVisible();
}

/** A realistic CSV: `n` rows over the last `days` days, reviews that repeat a few themes. */
export function sampleCsv(n: number, days: number, seed = 7, emailPrefix = 'cust'): string {
  let x = seed;
  const rand = () => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return x / 2147483648;
  };
  const good = [
    'Fast delivery and friendly support',
    'Great quality, love the new design',
    'Support team was helpful and quick',
    'Easy checkout, fast shipping',
    'Excellent product, great value',
  ];
  const bad = [
    'Late delivery and the package was damaged',
    'Support never answered, very slow refund',
    'Checkout kept failing, terrible experience',
    'Product broke after a week, poor quality',
    'Refund took weeks, support was rude',
  ];
  const meh = ['It was okay', 'Average experience overall', 'Delivery was fine', ''];
  const names = ['Ada', 'Grace', 'Linus', 'Margaret', 'Alan', 'Barbara', 'Ken', 'Radia', 'Donald', 'Frances'];
  const rows = ['name,email,satisfaction_score,review,feedback_at'];
  const today = Date.now();
  for (let i = 0; i < n; i++) {
    // More responses lately, and happier ones: the charts then tell a story.
    const age = Math.floor(days * Math.pow(rand(), 1.25));
    const recency = age / days;
    const pGood = 0.74 - 0.28 * recency;
    const r = rand();
    const score = r < pGood ? (rand() < 0.55 ? 5 : 4) : rand() < 0.4 ? 3 : rand() < 0.5 ? 2 : 1;
    const review = score >= 4 ? good[i % good.length] : score <= 2 ? bad[i % bad.length] : meh[i % meh.length];
    const day = new Date(today - age * 86_400_000).toISOString().slice(0, 10);
    const name = `${names[i % names.length]} ${String.fromCharCode(65 + (i % 26))}.`;
    rows.push(`"${name}",${emailPrefix}${i}@example.com,${score},"${review}",${day}`);
  }
  return rows.join('\n') + '\n';
}

/** Import through the API into workspace `wid`, or the account's default workspace. */
export async function importCsvApi(request: APIRequestContext, csv: string, onConflict: 'skip' | 'update' = 'skip', wid?: number) {
  const base = wid === undefined ? '/api/v1' : `/api/v1/workspaces/${wid}`;
  const res = await request.post(`${base}/customers/import?dry_run=false&on_conflict=${onConflict}`, {
    headers: await csrfHeader(request),
    multipart: { file: { name: 'data.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) } },
  });
  expect(res.status(), await res.text()).toBe(200);
  return (await res.json()).data;
}

export interface WorkspaceInfo {
  id: number;
  name: string;
  slug: string;
  role: string;
}

/** The workspaces of the account logged in on `request`. */
export async function listWorkspaces(request: APIRequestContext): Promise<WorkspaceInfo[]> {
  const res = await request.get('/api/v1/workspaces');
  expect(res.status(), await res.text()).toBe(200);
  return (await res.json()).data.items;
}

export async function createWorkspaceApi(request: APIRequestContext, name: string): Promise<WorkspaceInfo> {
  const res = await request.post('/api/v1/workspaces', { headers: await csrfHeader(request), data: { name } });
  expect(res.status(), await res.text()).toBe(201);
  return (await res.json()).data;
}

/** Invite `email` to workspace `wid` through the API; returns the invitation link's token. */
export async function inviteApi(request: APIRequestContext, wid: number, email: string, role: string): Promise<string> {
  const before = Date.now() - 1000;
  const res = await request.post(`/api/v1/workspaces/${wid}/invitations`, { headers: await csrfHeader(request), data: { email, role } });
  expect(res.status(), await res.text()).toBe(201);
  return new URL(await emailedLink(email, 'invite', before)).searchParams.get('token')!;
}

/** Sign up with an invitation token: the account joins the workspace, verified at once. */
export async function signupWithInvitation(request: APIRequestContext, token: string, email: string, prefix = 'guest') {
  const username = uniqueName(prefix);
  const res = await request.post('/api/v1/auth/signup', { data: { username, email, password: PASSWORD, invitation_token: token } });
  expect(res.status(), await res.text()).toBe(201);
  return { username, email, password: PASSWORD };
}

/** A string as a regular expression that matches it literally. */
export function literal(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** RFC 4648 base32 (no padding needed; spaces, dashes and `=` ignored) to bytes. */
export function base32Decode(text: string): Buffer {
  const out: number[] = [];
  let bits = 0;
  let value = 0;
  for (const ch of text.replace(/[\s=-]/g, '').toUpperCase()) {
    const idx = BASE32.indexOf(ch);
    if (idx < 0) throw new Error(`not base32: ${JSON.stringify(ch)}`);
    value = ((value << 5) | idx) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

/**
 * An RFC 6238 code of a base32 secret at `atMs` (HMAC-SHA1, 30 s steps, 6 digits: what the
 * server uses). The RFC's test vectors pass (secret `12345678901234567890`,
 * 59 s → 94287082 with 8 digits).
 */
export function totp(secret: string, atMs = Date.now(), stepSeconds = 30, digits = 6): string {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(atMs / 1000 / stepSeconds)));
  const h = createHmac('sha1', base32Decode(secret)).update(counter).digest();
  const off = h[h.length - 1] & 0x0f;
  const bin = ((h[off] & 0x7f) << 24) | (h[off + 1] << 16) | (h[off + 2] << 8) | h[off + 3];
  return String(bin % 10 ** digits).padStart(digits, '0');
}

/**
 * The code of the next 30-second step. The server accepts a step only once (also the one
 * used to turn two-factor on) and one step of drift: after a code of the current step, the
 * next one is the code that works.
 */
export function nextTotp(secret: string): string {
  return totp(secret, Date.now() + 30_000);
}

/** Turn two-factor on through the API for the account logged in on `request`. */
export async function enableTwoFactorApi(request: APIRequestContext, password: string) {
  const setup = await request.post('/api/v1/auth/2fa/setup', { headers: await csrfHeader(request), data: { password } });
  expect(setup.status(), await setup.text()).toBe(200);
  const secret: string = (await setup.json()).data.secret;
  const enable = await request.post('/api/v1/auth/2fa/enable', { headers: await csrfHeader(request), data: { code: totp(secret) } });
  expect(enable.status(), await enable.text()).toBe(200);
  return { secret, recoveryCodes: (await enable.json()).data.recovery_codes as string[] };
}

/** The login form's first step; the second (a code) is the caller's. */
export async function submitPassword(page: Page, login: string, password: string) {
  await page.getByLabel('Username or email').fill(login);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page.getByRole('heading', { name: 'Two-factor authentication' })).toBeVisible();
}

/** Log in through the UI with the password, then the next code of `secret`. */
export async function loginUIWithCode(page: Page, login: string, password: string, secret: string) {
  await page.goto('/login');
  await submitPassword(page, login, password);
  await page.getByLabel('6-digit code').fill(nextTotp(secret));
  await page.getByRole('button', { name: 'Verify' }).click();
  await expect(page.getByRole('heading', { name: 'Dashboard' })).toBeVisible();
}

/** The score link (`/r/{token}?score=N`) of the newest survey email to `to`, polling the outbox. */
export async function surveyLink(to: string, score: number): Promise<string> {
  const outbox = path.join(process.env.PULSE_E2E_DIR!, 'outbox');
  const re = new RegExp(`https?://[^\\s"'<>]+/r/[A-Za-z0-9_-]+\\?score=${score}`);
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    const files = readdirSync(outbox)
      .filter((f) => f.endsWith('.eml'))
      .map((f) => ({ f, t: statSync(path.join(outbox, f)).mtimeMs }))
      .sort((a, b) => b.t - a.t);
    for (const { f } of files) {
      const text = decodeQuotedPrintable(readFileSync(path.join(outbox, f), 'utf8'));
      if (!(/^To:.*$/im.exec(text)?.[0] ?? '').toLowerCase().includes(to.toLowerCase())) continue;
      const m = re.exec(text);
      if (m) return m[0];
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no survey email to ${to} in ${outbox}`);
}
