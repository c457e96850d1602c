import { expect, test } from '@playwright/test';
import { ADMIN, createVerifiedUser, expectFieldError, loginUI } from './helpers';

test('customers: add, search, edit, sort and delete', async ({ page, request }) => {
  const user = await createVerifiedUser(request, 'crm');
  await loginUI(page, user.username, user.password);
  await page.getByRole('link', { name: 'Customers' }).click();
  await expect(page.getByRole('heading', { name: 'Customers', exact: true })).toBeVisible();
  // The workspace is in the URL (the account's own, made at signup).
  await expect(page).toHaveURL(/\/w\/[a-z0-9-]+\/customers$/);

  const tag = Date.now().toString(36);
  const name = `Zelda Quill ${tag}`;
  const email = `zelda.${tag}@example.com`;

  // Add, with validation first.
  await page.getByRole('button', { name: 'Add customer' }).first().click();
  const dialog = page.getByRole('dialog', { name: 'Add customer' });
  await dialog.getByRole('button', { name: 'Add customer' }).click();
  await expect(dialog.getByText('Enter a name.')).toBeVisible();
  await expect(dialog.getByText('Pick a score from 1 to 5.')).toBeVisible();
  await dialog.getByLabel('Name').fill(name);
  await dialog.getByLabel('Email').fill(email);
  await dialog.getByLabel('Satisfaction score').selectOption('2');
  await dialog.getByLabel('Review').fill('Shipping was slow and the box arrived damaged.');
  await dialog.getByRole('button', { name: 'Add customer' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByText(`${name} was added.`)).toBeVisible();

  // A duplicate email is refused under the field.
  await page.getByRole('button', { name: 'Add customer' }).first().click();
  await dialog.getByLabel('Name').fill('Someone Else');
  await dialog.getByLabel('Email').fill(email.toUpperCase());
  await dialog.getByLabel('Satisfaction score').selectOption('4');
  await dialog.getByRole('button', { name: 'Add customer' }).click();
  await expectFieldError(dialog.getByLabel('Email'), /already/);
  await dialog.getByRole('button', { name: 'Cancel' }).click();

  // Search.
  await page.getByLabel('Search customers').fill(tag);
  await expect(page).toHaveURL(new RegExp(`q=${tag}`));
  const rows = page.getByTestId('customer-row');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText(name);
  await expect(rows.first()).toContainText('negative');

  // Edit.
  await page.getByRole('button', { name: `Edit ${name}` }).click();
  const edit = page.getByRole('dialog', { name: `Edit ${name}` });
  await expect(edit.getByLabel('Email')).toHaveValue(email);
  await edit.getByLabel('Satisfaction score').selectOption('5');
  await edit.getByLabel('Review').fill('They fixed it the next day. Great support!');
  await edit.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByText(`${name} was updated.`)).toBeVisible();
  await expect(rows.first().getByLabel('5 out of 5', { exact: true })).toBeVisible();
  await expect(rows.first()).toContainText('positive');

  // Sorting toggles through the header button.
  await page.getByLabel('Search customers').fill('');
  // The search reaches the URL after a pause in typing: wait for it before the next step.
  await expect(page).not.toHaveURL(/[?&]q=/);
  const nameHeader = page.getByRole('columnheader', { name: /Name/ });
  await nameHeader.getByRole('button').click();
  await expect(nameHeader).toHaveAttribute('aria-sort', 'ascending');
  await nameHeader.getByRole('button').click();
  await expect(nameHeader).toHaveAttribute('aria-sort', 'descending');
  await expect(page).toHaveURL(/sort=-name/);

  // Delete.
  await page.getByLabel('Search customers').fill(tag);
  await expect(page).toHaveURL(new RegExp(`[?&]q=${tag}`));
  await expect(rows).toHaveCount(1);
  await page.getByRole('button', { name: `Delete ${name}` }).click();
  const confirm = page.getByRole('dialog', { name: 'Delete customer?' });
  await confirm.getByRole('button', { name: 'Delete' }).click();
  await expect(page.getByText(`${name} was deleted.`)).toBeVisible();
  await expect(page.getByRole('heading', { name: 'No customers match' })).toBeVisible();
});

test('customers: export downloads the current filter as CSV', async ({ page }) => {
  await loginUI(page, ADMIN.login, ADMIN.password);
  await page.goto('/customers?min_score=5');
  await expect(page).toHaveURL(/\/w\/default\/customers\?min_score=5$/);
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
  expect(download.suggestedFilename()).toMatch(/^customers-\d{4}-\d\d-\d\d\.csv$/);
  const text = await (await download.createReadStream()).toArray().then((chunks) => Buffer.concat(chunks).toString('utf8'));
  expect(text.split('\n')[0]).toContain('email');
});
