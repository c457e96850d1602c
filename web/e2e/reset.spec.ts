import { expect, test } from '@playwright/test';
import { createVerifiedUser, emailedLink } from './helpers';

test('forgot password → reset via the emailed link → login', async ({ page, request }) => {
  const user = await createVerifiedUser(request, 'reset');
  const newPassword = 'a-brand-new-passphrase-7';

  await page.goto('/login');
  await page.getByRole('link', { name: 'Forgot your password?' }).click();
  await page.getByLabel('Email').fill('not-an-email');
  await page.getByRole('button', { name: 'Send reset link' }).click();
  await expect(page.getByText('Enter a valid email address')).toBeVisible();

  const before = Date.now() - 1000;
  await page.getByLabel('Email').fill(user.email);
  await page.getByRole('button', { name: 'Send reset link' }).click();
  await expect(page.getByRole('heading', { name: 'Check your email' })).toBeVisible();

  const link = await emailedLink(user.email, 'reset-password', before);
  const url = new URL(link);
  await page.goto(url.pathname + url.search);
  await expect(page.getByLabel('New password', { exact: true })).toHaveAttribute('autocomplete', 'new-password');
  await page.getByLabel('New password', { exact: true }).fill(newPassword);
  await page.getByLabel('Confirm new password').fill(newPassword);
  await page.getByRole('button', { name: 'Set new password' }).click();

  await expect(page.getByText('Your password was changed')).toBeVisible();
  await page.getByLabel('Username or email').fill(user.username);
  await page.getByLabel('Password', { exact: true }).fill(newPassword);
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page.getByRole('heading', { name: 'Dashboard' })).toBeVisible();

  // The link is single-use.
  await page.goto(url.pathname + url.search);
  await page.getByLabel('New password', { exact: true }).fill('yet-another-passphrase-9');
  await page.getByLabel('Confirm new password').fill('yet-another-passphrase-9');
  await page.getByRole('button', { name: 'Set new password' }).click();
  await expect(page.getByRole('alert')).toContainText('invalid or has expired');
});
