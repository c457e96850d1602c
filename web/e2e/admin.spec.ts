import { expect, test } from '@playwright/test';
import { ADMIN, bodyRows, createVerifiedUser, loginUI } from './helpers';

test.describe.configure({ mode: 'serial' });

test('the last admin cannot demote themselves, and the error says why', async ({ page }) => {
  await loginUI(page, ADMIN.login, ADMIN.password);
  await page.getByRole('link', { name: 'Admin' }).click();
  await page.getByLabel('Search users').fill(ADMIN.login);
  const row = page.getByTestId(`user-row-${ADMIN.login}`);
  await expect(row).toBeVisible();
  await row.getByLabel(`Role of ${ADMIN.login}`).selectOption('user');
  // Demoting yourself is confirmed first.
  const confirm = page.getByRole('dialog', { name: 'Stop being an administrator?' });
  await confirm.getByRole('button', { name: 'Make me a user' }).click();
  await expect(page.getByRole('alert')).toContainText('at least one active admin');
  await page.reload();
  await page.getByLabel('Search users').fill(ADMIN.login);
  await expect(page.getByTestId(`user-row-${ADMIN.login}`).getByLabel(`Role of ${ADMIN.login}`)).toHaveValue('admin');
});

test('an admin is asked before deactivating themself, and can back out', async ({ page }) => {
  await loginUI(page, ADMIN.login, ADMIN.password);
  await page.getByRole('link', { name: 'Admin' }).click();
  await page.getByLabel('Search users').fill(ADMIN.login);
  const row = page.getByTestId(`user-row-${ADMIN.login}`);
  await row.getByRole('button', { name: `Deactivate ${ADMIN.login}` }).click();
  const confirm = page.getByRole('dialog', { name: 'Deactivate your own account?' });
  await expect(confirm).toContainText('logged out at once');
  await confirm.getByRole('button', { name: 'Cancel' }).click();
  await expect(confirm).toBeHidden();
  await expect(row.getByText('active', { exact: true })).toBeVisible();
});

test('an admin changes a role, deactivates and reactivates a user', async ({ page, request, browser }) => {
  const user = await createVerifiedUser(request, 'promo');
  await loginUI(page, ADMIN.login, ADMIN.password);
  await page.getByRole('link', { name: 'Admin' }).click();
  await expect(page.getByRole('heading', { name: 'Users' })).toBeVisible();

  await page.getByLabel('Search users').fill(user.username);
  const row = page.getByTestId(`user-row-${user.username}`);
  await expect(row).toBeVisible();
  await expect(bodyRows(page.getByRole('table'))).toHaveCount(1);

  await row.getByLabel(`Role of ${user.username}`).selectOption('admin');
  await expect(page.getByText(`${user.username} is now an admin.`)).toBeVisible();
  await expect(row.getByLabel(`Role of ${user.username}`)).toHaveValue('admin');

  await row.getByRole('button', { name: `Deactivate ${user.username}` }).click();
  await expect(row.getByText('deactivated')).toBeVisible();
  await row.getByRole('button', { name: `Activate ${user.username}` }).click();
  await expect(row.getByText('active', { exact: true })).toBeVisible();

  await row.getByRole('button', { name: `Unlock ${user.username}` }).click();
  await expect(page.getByText(`${user.username}'s login lock was lifted.`)).toBeVisible();

  // The promoted user now sees the Admin area.
  const ctx = await browser.newContext({ baseURL: process.env.PULSE_E2E_URL });
  const p2 = await ctx.newPage();
  await loginUI(p2, user.username, user.password);
  await expect(p2.getByRole('link', { name: 'Admin' })).toBeVisible();
  await ctx.close();
});

test('a regular user has no admin area', async ({ page, request }) => {
  const user = await createVerifiedUser(request, 'plain');
  await loginUI(page, user.username, user.password);
  await expect(page.getByRole('link', { name: 'Admin' })).toHaveCount(0);
  await page.goto('/admin/users');
  await expect(page.getByText('This page is for administrators.')).toBeVisible();
});
