import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import {
  apiLogin,
  createVerifiedUser,
  csrfHeader,
  enableTwoFactorApi,
  inviteApi,
  listWorkspaces,
  literal,
  loginUI,
  loginUIWithCode,
  nextTotp,
  signupWithInvitation,
  submitPassword,
  totp,
  uniqueName,
} from './helpers';

const mainNav = (page: Page) => page.getByRole('navigation', { name: 'Main' });
const twoFactorCard = (page: Page) => page.getByRole('region', { name: 'Two-factor authentication' });

async function logOut(page: Page) {
  await page.getByRole('button', { name: 'Log out', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Log in' })).toBeVisible();
}

test('two-factor: turn it on from the QR code’s key, keep the recovery codes, log in with a code and with a recovery code', async ({
  page,
  request,
}) => {
  const user = await createVerifiedUser(request, 'tfa');
  await loginUI(page, user.username, user.password);
  await mainNav(page).getByRole('link', { name: 'Account' }).click();

  const card = twoFactorCard(page);
  await expect(card.getByText('Off', { exact: true })).toBeVisible();
  await card.getByRole('button', { name: 'Turn on' }).click();
  await card.getByLabel('Password', { exact: true }).fill(user.password);
  await card.getByRole('button', { name: 'Continue' }).click();

  // "Scan" the QR code: an image of the server's SVG; the app would read the same secret.
  const qr = card.getByRole('img', { name: /QR code/ });
  await expect(qr).toBeVisible();
  expect(await qr.getAttribute('src')).toMatch(/^data:image\/svg\+xml;base64,/);
  // It decodes and draws (the CSP allows data: images).
  await expect.poll(() => qr.evaluate((img: HTMLImageElement) => (img.complete ? img.naturalWidth : 0))).toBeGreaterThan(0);
  const secret = (await card.getByLabel('Setup key', { exact: true }).inputValue()).replace(/\s+/g, '');
  expect(secret).toMatch(/^[A-Z2-7]{16,}$/);

  await card.getByLabel('6-digit code').fill(totp(secret));
  await card.getByRole('button', { name: 'Turn on two-factor' }).click();

  const list = card.getByRole('list', { name: 'Recovery codes' });
  await expect(list.getByRole('listitem')).toHaveCount(10);
  await expect(card.getByText('Save these recovery codes now')).toBeVisible();
  const codes = (await list.getByRole('listitem').allTextContents()).map((c) => c.trim());
  const downloading = page.waitForEvent('download');
  await card.getByRole('button', { name: 'Download .txt' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe('pulse-recovery-codes.txt');
  const file = readFileSync(await download.path(), 'utf8');
  for (const c of codes) expect(file).toContain(c);
  await card.getByRole('button', { name: 'I have saved them' }).click();
  await expect(card.getByText('On', { exact: true })).toBeVisible();
  await expect(card.getByRole('list', { name: 'Recovery codes' })).toHaveCount(0);

  // A login now has a second step; the page asked for before logging in still opens after it.
  await logOut(page);
  await page.goto('/account');
  await expect(page).toHaveURL(/\/login\?next=%2Faccount/);
  await submitPassword(page, user.username, user.password);
  await page.getByRole('button', { name: 'Use a recovery code instead' }).click();
  await page.getByLabel('Recovery code').fill('AAAA-AAAA');
  await page.getByRole('button', { name: 'Verify' }).click();
  await expect(page.getByText('This code is not valid, or it has already been used.')).toBeVisible();
  await page.getByRole('button', { name: 'Use your authenticator app instead' }).click();
  // The step used to turn it on is spent: the app's next code is the one that works.
  await page.getByLabel('6-digit code').fill(nextTotp(secret));
  await page.getByRole('button', { name: 'Verify' }).click();
  await expect(page.getByRole('heading', { name: 'Account', exact: true })).toBeVisible();
  await expect(twoFactorCard(page).getByText('On', { exact: true })).toBeVisible();

  // A recovery code works once, instead of the app.
  await logOut(page);
  await page.goto('/login');
  await submitPassword(page, user.username, user.password);
  await page.getByRole('button', { name: 'Use a recovery code instead' }).click();
  await page.getByLabel('Recovery code').fill(codes[0]);
  await page.getByRole('button', { name: 'Verify' }).click();
  await expect(page.getByRole('heading', { name: 'Dashboard' })).toBeVisible();

  // Turning it off asks for the password and a code (here another recovery code).
  await mainNav(page).getByRole('link', { name: 'Account' }).click();
  await twoFactorCard(page).getByRole('button', { name: 'Turn off' }).click();
  const off = page.getByRole('dialog', { name: 'Turn off two-factor authentication?' });
  await expect(off.getByText(/signed out on every other device/)).toBeVisible();
  await off.getByLabel('Password', { exact: true }).fill(user.password);
  await off.getByLabel('Code from your app, or a recovery code').fill(codes[0]);
  await off.getByRole('button', { name: 'Turn off two-factor' }).click();
  await expect(off.getByText('This code is not valid, or it has already been used.')).toBeVisible();
  await off.getByLabel('Code from your app, or a recovery code').fill(codes[1]);
  await off.getByRole('button', { name: 'Turn off two-factor' }).click();
  await expect(twoFactorCard(page).getByText(/Two-factor authentication is off/)).toBeVisible();
  await expect(twoFactorCard(page).getByRole('button', { name: 'Turn on' })).toBeVisible();
});

test('a workspace that requires two-factor: the owner sees who lacks it, such a member is told how to get back in', async ({
  page,
  request,
  browser,
}) => {
  const owner = await createVerifiedUser(request, 'req');
  await apiLogin(request, owner.username, owner.password);
  const [ws] = await listWorkspaces(request);
  const { secret } = await enableTwoFactorApi(request, owner.password);
  const memberEmail = `${uniqueName('plain')}@example.com`;
  const token = await inviteApi(request, ws.id, memberEmail, 'member');
  const member = await signupWithInvitation(request, token, memberEmail, 'plain');

  await loginUIWithCode(page, owner.username, owner.password, secret);
  await mainNav(page).getByRole('link', { name: 'Settings' }).click();
  const lacking = page.getByRole('list', { name: 'Members without two-factor authentication' });
  await expect(lacking.getByRole('listitem')).toHaveCount(1);
  await expect(lacking).toContainText(member.username);
  await page.getByLabel('Require two-factor authentication').check();
  await page.getByRole('button', { name: 'Save settings' }).click();
  const confirm = page.getByRole('dialog', { name: 'Require two-factor authentication?' });
  await expect(confirm).toContainText(member.username);
  await confirm.getByRole('button', { name: 'Require two-factor' }).click();
  await expect(page.getByText('Settings saved.')).toBeVisible();

  // The member, in a browser of their own, lands on the explanation instead of failing pages.
  const ctx = await browser.newContext({ baseURL: process.env.PULSE_E2E_URL });
  const other = await ctx.newPage();
  await other.goto('/login');
  await other.getByLabel('Username or email').fill(member.username);
  await other.getByLabel('Password', { exact: true }).fill(member.password);
  await other.getByRole('button', { name: 'Log in' }).click();
  await expect(other.getByRole('heading', { name: new RegExp(`^${literal(ws.name)} requires two-factor authentication$`) })).toBeVisible();
  await other.getByRole('link', { name: 'Set up two-factor authentication' }).click();
  await expect(other).toHaveURL(/\/account#two-factor$/);
  await expect(twoFactorCard(other).getByRole('button', { name: 'Turn on' })).toBeVisible();
  // The server agrees: its routes refuse this member.
  const res = await ctx.request.get(`/api/v1/workspaces/${ws.id}/customers`, { headers: await csrfHeader(ctx.request) });
  expect(res.status()).toBe(403);
  expect((await res.json()).error.code).toBe('two_factor_required');
  await ctx.close();
});
