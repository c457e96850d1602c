import { expect, test } from '@playwright/test';
import { createVerifiedUser, loginUI } from './helpers';

test('follow-ups: a low score opens one, which is assigned, noted and closed', async ({ page, request }) => {
  const user = await createVerifiedUser(request, 'loop');
  await loginUI(page, user.username, user.password);
  await page.getByRole('link', { name: 'Customers' }).click();

  const tag = Date.now().toString(36);
  const name = `Rita Low ${tag}`;
  await page.getByRole('button', { name: 'Add customer' }).first().click();
  const add = page.getByRole('dialog', { name: 'Add customer' });
  await add.getByLabel('Name').fill(name);
  await add.getByLabel('Email').fill(`rita.${tag}@example.com`);
  await add.getByLabel('Satisfaction score').selectOption('1');
  await add.getByLabel('Review').fill('Nobody answered the phone.');
  await add.getByRole('button', { name: 'Add customer' }).click();
  await expect(add).toBeHidden();

  await page.getByRole('link', { name: 'Follow-ups', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Follow-ups', exact: true })).toBeVisible();
  await expect(page.getByRole('tab', { name: 'Open' })).toHaveAttribute('aria-selected', 'true');
  await page.getByRole('button', { name: new RegExp(`^Details for ${name}`) }).click();
  const detail = page.getByRole('region', { name: `Follow-up for ${name}` });
  await expect(detail).toContainText('Nobody answered the phone.');

  await detail.getByRole('button', { name: 'Assign to me' }).click();
  await expect(detail.getByLabel('Assigned to')).toHaveValue(/\d+/);
  await detail.getByLabel('Note').fill('Called back, refunded the delivery.');
  await detail.getByRole('button', { name: 'Save note' }).click();
  await expect(detail.getByRole('button', { name: 'Save note' })).toBeDisabled();
  await detail.getByRole('button', { name: 'Close follow-up' }).click();
  await expect(detail.getByRole('button', { name: 'Reopen follow-up' })).toBeVisible();

  // The dashboard counts it as closed.
  await page.getByRole('link', { name: 'Dashboard', exact: true }).click();
  await expect(page.getByTestId('kpi-follow-ups-closed')).toContainText('1');
  await expect(page.getByTestId('kpi-follow-ups-open')).toContainText('0');
});
