import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';
import { ADMIN, apiLogin, importCsvApi, loginUI, sampleCsv } from './helpers';

const screenshotPath = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../docs/screenshots/dashboard.png');

test('the dashboard renders KPI cards and charts from an imported CSV', async ({ page, request }) => {
  await apiLogin(request, ADMIN.login, ADMIN.password);
  const report = await importCsvApi(request, sampleCsv(260, 180, 11, 'dash'));
  expect(report.inserted).toBe(260);

  await page.setViewportSize({ width: 1440, height: 1000 });
  // Charts skip their animations, so the screenshot shows them drawn.
  await page.emulateMedia({ reducedMotion: 'reduce', colorScheme: 'light' });
  await loginUI(page, ADMIN.login, ADMIN.password);

  // 90 days has a previous 90 days to compare with.
  await page.getByRole('group', { name: 'Date range' }).getByRole('button', { name: '90 days' }).click();
  await expect(page).toHaveURL(/range=90d/);
  for (const id of ['kpi-responses', 'kpi-average', 'kpi-csat', 'kpi-sentiment']) {
    await expect(page.getByTestId(id)).toBeVisible();
  }
  // The figures themselves: a whole count, and an average with two decimals on the 1–5 scale.
  await expect(page.getByTestId('kpi-responses').getByText(/^\d[\d,]*$/)).toBeVisible();
  await expect(page.getByTestId('kpi-average').getByText(/^\d\.\d\d \/ 5$/)).toBeVisible();
  await expect(page.getByTestId('kpi-responses')).toContainText('vs previous');

  await expect(page.getByTestId('trend-chart').getByRole('img', { name: / responses$/ }).first()).toBeVisible();
  await expect(page.getByTestId('distribution-chart').getByRole('img', { name: /★: \d+ responses$/ }).first()).toBeVisible();
  await expect(page.getByRole('list', { name: 'Open customers by score' }).getByRole('button')).toHaveCount(5);
  await expect(page.getByRole('heading', { name: /What people love/ })).toBeVisible();
  // A term people love: its button's description (title) counts it in 4–5★ reviews.
  const keywords = page.getByRole('region', { name: 'Keywords', exact: true });
  await expect(keywords.getByRole('button', { description: /in 4–5★ reviews/ }).first()).toBeVisible();

  const weekly = page.getByRole('group', { name: 'Trend granularity' }).getByRole('button', { name: 'Week' });
  await weekly.click();
  await expect(weekly).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('trend-chart').getByRole('img', { name: / responses$/ }).first()).toBeVisible();

  await expect(page.getByTestId('trend-chart').getByRole('img', { name: 'Average score line' })).toBeVisible();
  await page.screenshot({ path: screenshotPath, fullPage: true });

  // Drill down: the 5★ bar opens the customers with score 5 in the same window.
  await page.getByRole('list', { name: 'Open customers by score' }).getByRole('button', { name: /^5★/ }).click();
  await expect(page).toHaveURL(/\/w\/default\/customers\?.*min_score=5&max_score=5/);
  await expect(page.getByTestId('customer-row').first()).toBeVisible();
  await expect(page.getByTestId('customer-row').first().getByLabel('5 out of 5', { exact: true })).toBeVisible();

  // A click on a trend bar opens that period's customers.
  await page.goBack();
  await page.getByTestId('trend-chart').getByRole('img', { name: / responses$/ }).last().click();
  await expect(page).toHaveURL(/\/w\/default\/customers\?range=custom&from=\d{4}-\d\d-\d\d&to=\d{4}-\d\d-\d\d/);
});

test('the dashboard says what to do when nothing matches', async ({ page }) => {
  await loginUI(page, ADMIN.login, ADMIN.password);
  // The first release's address keeps working: it opens the default workspace, filters kept.
  await page.goto('/?range=custom&from=2001-01-01&to=2001-01-31');
  await expect(page).toHaveURL(/\/w\/default\?range=custom&from=2001-01-01&to=2001-01-31$/);
  await expect(page.getByRole('heading', { name: 'No feedback matches these filters' })).toBeVisible();
  await page.getByLabel('Min score').selectOption('5');
  await expect(page).toHaveURL(/min_score=5/);
  await page.getByRole('button', { name: 'Clear filters' }).click();
  await expect(page.getByTestId('kpi-responses')).toBeVisible();
});
