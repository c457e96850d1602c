import { expect, test } from '@playwright/test';
import { apiLogin, createVerifiedUser, expectFieldError, loginUI } from './helpers';

test('account: sessions list with revoke, change password, log out', async ({ page, request, playwright }) => {
  const user = await createVerifiedUser(request, 'acct');
  // A second session (another "device") to revoke.
  const other = await playwright.request.newContext({ baseURL: process.env.PULSE_E2E_URL, userAgent: 'Mozilla/5.0 (Windows NT 10.0) Firefox/128.0' });
  await apiLogin(other, user.username, user.password);

  await loginUI(page, user.username, user.password);
  await page.getByRole('link', { name: 'Account' }).click();
  await expect(page.getByRole('heading', { name: 'Active sessions' })).toBeVisible();
  await expect(page.getByText('This device')).toBeVisible();
  await page.getByRole('button', { name: /Revoke session Firefox on Windows/ }).click();
  await expect(page.getByRole('button', { name: /Revoke session/ })).toHaveCount(0);
  expect((await other.get('/api/v1/users/me')).status()).toBe(401);
  await other.dispose();

  // Wrong current password: the server's field error shows under the input.
  await page.getByLabel('Current password').fill('not-my-password');
  await page.getByLabel('New password', { exact: true }).fill('another-long-passphrase-1');
  await page.getByLabel('Confirm new password').fill('another-long-passphrase-1');
  await page.getByRole('button', { name: 'Change password' }).click();
  await expectFieldError(page.getByLabel('Current password'), /incorrect/i);

  await page.getByLabel('Current password').fill(user.password);
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page.getByText('Password changed.')).toBeVisible();

  await page.getByRole('button', { name: 'Log out', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Log in' })).toBeVisible();
  await expect(page.getByText('You have been logged out.')).toBeVisible();
  // The session is really gone: protected pages send us back to login.
  await page.goto('/account');
  await expect(page).toHaveURL(/\/login\?next=%2Faccount/);
});

test('log out everywhere ends every session', async ({ page, request }) => {
  const user = await createVerifiedUser(request, 'lall');
  await apiLogin(request, user.username, user.password);
  await loginUI(page, user.username, user.password);
  await page.getByRole('link', { name: 'Account' }).click();
  await page.getByRole('button', { name: 'Log out everywhere' }).click();
  await expect(page.getByText('You have been logged out on every device.')).toBeVisible();
  expect((await request.get('/api/v1/users/me')).status()).toBe(401);
});
