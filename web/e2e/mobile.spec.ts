import { expect, test } from '@playwright/test';
import { ADMIN, loginUI } from './helpers';

test('works at a phone width: no sideways scrolling, navigation reachable', async ({ page }) => {
  await loginUI(page, ADMIN.login, ADMIN.password);
  const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(await overflow()).toBeLessThanOrEqual(1);
  await expect(page.getByRole('button', { name: /^Workspace:/ })).toBeVisible();
  for (const name of ['Customers', 'Members', 'Settings', 'API keys', 'Account', 'Admin']) {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name }).click();
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    expect(await overflow()).toBeLessThanOrEqual(1);
  }
});

test('the login form is keyboard reachable', async ({ page }) => {
  await page.goto('/login');
  await expect(page.getByLabel('Username or email')).toBeFocused();
  await page.keyboard.type(ADMIN.login);
  await page.keyboard.press('Tab');
  await expect(page.getByLabel('Password', { exact: true })).toBeFocused();
  await page.keyboard.type(ADMIN.password);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Dashboard' })).toBeVisible();
});
