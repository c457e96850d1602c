import { expect, test } from '@playwright/test';
import { apiLogin, createVerifiedUser, listWorkspaces, loginUI } from './helpers';

test('API keys: create one, see it once, use it, revoke it', async ({ page, request, playwright }) => {
  const owner = await createVerifiedUser(request, 'keys');
  await apiLogin(request, owner.username, owner.password);
  const [ws] = await listWorkspaces(request);
  // A script: no cookies, only the key.
  const script = await playwright.request.newContext({ baseURL: process.env.PULSE_E2E_URL });
  const customersUrl = `/api/v1/workspaces/${ws.id}/customers`;

  await loginUI(page, owner.username, owner.password);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'API keys' }).click();
  await expect(page.getByRole('heading', { name: 'API keys', level: 1 })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'No API keys yet' })).toBeVisible();

  await page.getByRole('button', { name: 'Create API key' }).click();
  const create = page.getByRole('dialog', { name: 'Create API key' });
  await create.getByLabel('Name').fill('Nightly export');
  await expect(create.getByRole('radio', { name: 'Read', exact: true })).toBeChecked();
  await expect(create.getByRole('radio', { name: 'Read & write' })).not.toBeChecked();
  await create.getByRole('button', { name: 'Create key' }).click();

  const shown = page.getByRole('dialog', { name: 'Your new API key' });
  await expect(shown.getByText('Copy the key now')).toBeVisible();
  await expect(shown.getByText(/only time it is shown/)).toBeVisible();
  await expect(shown.getByRole('button', { name: 'Copy the API key' })).toBeVisible();
  const key = await shown.getByLabel('API key', { exact: true }).inputValue();
  expect(key).toMatch(/^pk_/);
  const origin = new URL(page.url()).origin;
  await expect(shown.getByRole('figure', { name: 'Example request' })).toHaveText(`curl -H "Authorization: Bearer ${key}" ${origin}${customersUrl}`);

  // The key works for its workspace, within its scope.
  const auth = { Authorization: `Bearer ${key}` };
  expect((await script.get(customersUrl, { headers: auth })).status()).toBe(200);
  const write = await script.post(customersUrl, { headers: auth, data: { name: 'Nope', email: 'nope@example.com', satisfaction_score: 3 } });
  expect(write.status()).toBe(403);

  await shown.getByRole('button', { name: 'Done' }).click();
  await expect(shown).toHaveCount(0);
  // Shown once: afterwards the page knows only its first characters.
  const row = page.getByRole('table', { name: 'API keys' }).getByRole('row', { name: /Nightly export/ });
  await expect(row).toContainText(`${key.slice(0, 12)}…`);
  await expect(row).toContainText('Read');
  await expect(row).toContainText(owner.username);
  await expect(page.getByText(key)).toHaveCount(0);
  await page.reload();
  await expect(row).toBeVisible();
  expect(await page.content()).not.toContain(key);
  // It was used just now ("Never" is left only under Expires).
  await expect(row.getByRole('cell', { name: 'Never', exact: true })).toHaveCount(1);

  await row.getByRole('button', { name: 'Revoke the key Nightly export' }).click();
  const revoke = page.getByRole('dialog', { name: 'Revoke “Nightly export”?' });
  await expect(revoke).toContainText(`${key.slice(0, 12)}…`);
  await revoke.getByRole('button', { name: 'Revoke key' }).click();
  await expect(page.getByText(/The key “Nightly export” was revoked/)).toBeVisible();
  await expect(page.getByRole('heading', { name: 'No API keys yet' })).toBeVisible();
  expect((await script.get(customersUrl, { headers: auth })).status()).toBe(401);
  await script.dispose();
});
