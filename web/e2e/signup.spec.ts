import { expect, test } from '@playwright/test';
import { emailedLink, expectFieldError, PASSWORD, uniqueName } from './helpers';

test('signup → verify via the emailed link → login', async ({ page }) => {
  const username = uniqueName('new');
  const email = `${username}@example.com`;

  await page.goto('/signup');
  // Validation runs before anything is sent.
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByText('Enter a username.')).toBeVisible();
  await expect(page.getByText('Enter your email address.')).toBeVisible();

  await expect(page.getByLabel('Username')).toHaveAttribute('autocomplete', 'username');
  await expect(page.getByLabel('Email')).toHaveAttribute('type', 'email');
  await expect(page.getByLabel('Password', { exact: true })).toHaveAttribute('autocomplete', 'new-password');

  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByLabel('Confirm password').fill(PASSWORD + 'x');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByText('The passwords do not match.')).toBeVisible();

  await page.getByLabel('Confirm password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByRole('heading', { name: 'Check your email' })).toBeVisible();
  await expect(page.getByText(email)).toBeVisible();

  const link = await emailedLink(email, 'verify-email');
  await page.goto(new URL(link).pathname + new URL(link).search);
  await expect(page.getByText('Email verified')).toBeVisible();
  await page.getByRole('link', { name: 'Log in' }).click();

  await page.getByLabel('Username or email').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page.getByRole('heading', { name: 'Dashboard' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Email verification' })).toHaveCount(0);
});

test('signup with a taken email shows the error under the field', async ({ page }) => {
  const username = uniqueName('dup');
  await page.goto('/signup');
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Email').fill('admin1224@hotmail.com');
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByLabel('Confirm password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByRole('alert')).toContainText('already registered');
  await expectFieldError(page.getByLabel('Email'), /already registered/);
});

test('an unverified user sees the banner and can resend the email', async ({ page, request }) => {
  const username = uniqueName('unv');
  const email = `${username}@example.com`;
  const res = await request.post('/api/v1/auth/signup', { data: { username, email, password: PASSWORD } });
  expect(res.status()).toBe(201);

  await page.goto('/login');
  await page.getByLabel('Username or email').fill(username);
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  const banner = page.getByRole('region', { name: 'Email verification' });
  await expect(banner).toBeVisible();
  await banner.getByRole('button', { name: 'Resend email' }).click();
  await expect(banner.getByText(/Sent!/)).toBeVisible();
});
