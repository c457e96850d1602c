import { readFileSync } from 'node:fs';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { ADMIN, bodyRows, loginUI } from './helpers';

/** Drop a file on the dropzone the way a browser does on drag-and-drop. */
async function dropFile(page: Page, name: string, content: string) {
  const dataTransfer = await page.evaluateHandle(
    ([n, c]) => {
      const dt = new DataTransfer();
      dt.items.add(new File([c], n, { type: 'text/csv' }));
      return dt;
    },
    [name, content] as const,
  );
  const zone = page.getByTestId('dropzone');
  await zone.dispatchEvent('dragover', { dataTransfer });
  await zone.dispatchEvent('drop', { dataTransfer });
}

/** An import report's counts, read from its terms and their definitions: { 'Rows read': '5', … }. */
async function countsIn(list: Locator): Promise<Record<string, string>> {
  const terms = await list.getByRole('term').allTextContents();
  const values = await list.getByRole('definition').allTextContents();
  return Object.fromEntries(terms.map((term, i) => [term.trim(), (values[i] ?? '').trim()]));
}

test('CSV import: preview shows row errors, then commit and see the report', async ({ page }) => {
  const tag = Date.now().toString(36);
  const csv = [
    'Name;Email;Rating;Review;feedback_at',
    `Imported One ${tag};one.${tag}@example.com;5;Lovely service;2026-01-10`,
    `Imported Two ${tag};two.${tag}@example.com;1;"Slow, and nobody called back";2026-01-11`,
    `Broken Email ${tag};not-an-email;4;;2026-01-12`,
    `Bad Score ${tag};three.${tag}@example.com;11;Hmm;2026-01-13`,
    `Imported Three ${tag};four.${tag}@example.com;3;;`,
  ].join('\n');

  await loginUI(page, ADMIN.login, ADMIN.password);
  await page.getByRole('link', { name: 'Customers' }).click();
  await page.getByRole('link', { name: 'Import CSV' }).click();
  await expect(page.getByRole('heading', { name: 'Import customers from CSV' })).toBeVisible();

  // The sample file is one click away.
  const [sample] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download sample CSV' }).click()]);
  expect(sample.suggestedFilename()).toBe('pulse-sample.csv');

  await dropFile(page, 'feedback.csv', csv);
  await expect(page.getByTestId('dropzone')).toContainText('feedback.csv');
  await page.getByLabel('Update the stored customer').check();
  await page.getByRole('button', { name: 'Preview import' }).click();

  const counts = page.getByTestId('preview-counts');
  await expect(counts).toBeVisible();
  await expect.poll(() => countsIn(counts)).toMatchObject({ 'Rows read': '5', 'Will be added': '3', Invalid: '2' });
  const errors = page.getByRole('table', { name: 'Row errors' });
  await expect(bodyRows(errors)).toHaveCount(2);
  // The first error is on line 4 of the file (the header is line 1).
  await expect(bodyRows(errors).first().getByRole('cell').first()).toHaveText('4');
  await expect(errors).toContainText('email');
  await expect(errors).toContainText(/score/);

  // Nothing was written by the preview.
  await page.goto(`/customers?q=${tag}`);
  await expect(page.getByRole('heading', { name: 'No customers match' })).toBeVisible();
  await page.goBack();

  // Coming back remounts the page: choose the file again, this time with the file picker.
  await page.getByLabel('CSV file').setInputFiles({ name: 'feedback.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await page.getByRole('button', { name: 'Preview import' }).click();
  await page.getByRole('button', { name: 'Import 3 rows' }).click();
  await expect(page.getByText('Import complete')).toBeVisible();
  const final = page.getByTestId('final-counts');
  await expect.poll(() => countsIn(final)).toMatchObject({ Added: '3', Invalid: '2' });

  await page.getByRole('link', { name: 'View customers' }).click();
  await page.getByLabel('Search customers').fill(tag);
  await expect(page.getByTestId('customer-row')).toHaveCount(3);
});

test('CSV import: everyday headers, an ignored column, a missing date and rejected rows to download', async ({ page }) => {
  const tag = Date.now().toString(36);
  const csv = [
    'Full name,E-mail,Stars,Comment,Date,Notes',
    // Day first: only read with the "Day first" date format.
    `Dated ${tag},dated.${tag}@example.com,5,Great shop,10/06/2025,VIP`,
    `Undated ${tag},undated.${tag}@example.com,4,Fine,,call back`,
    `Bad ${tag},bad.${tag}@example.com,11,Hmm,11/06/2025,`,
  ].join('\n');

  await loginUI(page, ADMIN.login, ADMIN.password);
  await page.goto('/customers/import');
  await page.getByLabel('CSV file').setInputFiles({ name: 'shop.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await page.getByLabel('Date format').selectOption({ label: 'Day first (31/12/2025)' });
  await page.getByRole('button', { name: 'Preview import' }).click();

  const counts = page.getByTestId('preview-counts');
  await expect.poll(() => countsIn(counts)).toMatchObject({ 'Rows read': '3', 'Will be added': '2', Invalid: '1' });

  // Every column of the file, with what it fills; Notes is ignored, and said so.
  const columns = page.getByRole('table', { name: 'Columns' });
  await expect(columns.getByRole('row', { name: /^Full name/ })).toContainText('Name');
  await expect(columns.getByRole('row', { name: /^E-mail/ })).toContainText('Email');
  await expect(columns.getByRole('row', { name: /^Stars/ })).toContainText('Satisfaction score');
  await expect(columns.getByRole('row', { name: /^Comment/ })).toContainText('Review');
  await expect(columns.getByRole('row', { name: /^Date/ })).toContainText('Feedback date');
  await expect(columns.getByRole('row', { name: /^Notes/ })).toContainText(/ignored/i);
  await expect(page.getByText('1 column will be ignored')).toBeVisible();

  await expect(page.getByText('1 row has no date and will be dated today.')).toBeVisible();
  const first = page.getByRole('table', { name: 'First rows as they will be saved' });
  await expect(first.getByRole('row', { name: new RegExp(`Dated ${tag}`) })).toContainText('Great shop');
  await expect(first.getByRole('row', { name: new RegExp(`Undated ${tag}`) })).toContainText(`undated.${tag}@example.com`);

  const errors = page.getByRole('table', { name: 'Row errors' });
  await expect(errors.getByRole('row', { name: /^4/ })).toContainText('11');
  await expect(page.getByText('Everything looks good.')).toHaveCount(0);

  // The rejected rows come back as a file to fix and import again.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download rejected rows (CSV)' }).click(),
  ]);
  expect(download.suggestedFilename()).toBe('rejected-rows.csv');
  const rejected = readFileSync(await download.path(), 'utf8');
  expect(rejected).toContain('Full name');
  expect(rejected).toContain(`Bad ${tag}`);
  expect(rejected).not.toContain(`Undated ${tag}`);

  await page.getByRole('button', { name: 'Import 2 rows' }).click();
  await expect(page.getByText('Import complete')).toBeVisible();
  await expect.poll(() => countsIn(page.getByTestId('final-counts'))).toMatchObject({ Added: '2' });
  await expect(page.getByText('1 row had no date and was dated today.')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Download rejected rows (CSV)' })).toBeVisible();
});

test('CSV import: a file without the required columns is refused clearly', async ({ page }) => {
  await loginUI(page, ADMIN.login, ADMIN.password);
  await page.goto('/customers/import');
  await page.getByLabel('CSV file').setInputFiles({ name: 'nope.csv', mimeType: 'text/csv', buffer: Buffer.from('foo,bar\n1,2\n') });
  await page.getByRole('button', { name: 'Preview import' }).click();
  // The message under the file says which columns are missing.
  await expect(page.getByText(/missing: name, email, score/)).toBeVisible();
});
