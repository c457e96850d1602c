import { expect, test } from '@playwright/test';
import { createVerifiedUser } from './helpers';

test('five wrong passwords lock the account with the wait time shown', async ({ page, request }) => {
  const user = await createVerifiedUser(request, 'lock');
  await page.goto('/login');
  await expect(page.getByLabel('Password', { exact: true })).toHaveAttribute('autocomplete', 'current-password');
  await page.getByLabel('Username or email').fill(user.username);

  const alert = page.getByRole('alert');
  for (let i = 1; i <= 5; i++) {
    await page.getByLabel('Password', { exact: true }).fill(`wrong-password-${i}`);
    await page.getByRole('button', { name: 'Log in' }).click();
    await expect(alert).toContainText(/do not match|locked/);
  }
  // Locked now: even the right password is refused, and we say for how long.
  await page.getByLabel('Password', { exact: true }).fill(user.password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(alert).toContainText('locked');
  await expect(alert).toContainText(/Try again in \d+ (minute|second)s?/);
  await expect(page).toHaveURL(/\/login/);
});
