import { devices, expect, test } from '@playwright/test';
import { createVerifiedUser, loginUI, surveyLink } from './helpers';

test('surveys: ask a customer, answer from the email on a phone, see it on the dashboard', async ({ page, request, browser }) => {
  const user = await createVerifiedUser(request, 'srv');
  await loginUI(page, user.username, user.password);
  await page.getByRole('link', { name: 'Customers' }).click();

  const tag = Date.now().toString(36);
  const name = `Quinn Harper ${tag}`;
  const email = `quinn.${tag}@example.com`;
  await page.getByRole('button', { name: 'Add customer' }).first().click();
  const add = page.getByRole('dialog', { name: 'Add customer' });
  await add.getByLabel('Name').fill(name);
  await add.getByLabel('Email').fill(email);
  await add.getByLabel('Satisfaction score').selectOption('2');
  await add.getByRole('button', { name: 'Add customer' }).click();
  await expect(add).toBeHidden();

  // Ask everyone in the list (one customer), with a message shown in the preview.
  await page.getByRole('button', { name: 'Ask for feedback' }).click();
  const ask = page.getByRole('dialog', { name: 'Ask for feedback' });
  await ask.getByLabel('Message (optional)').fill('Thanks for shopping with us.');
  await expect(ask.getByRole('region', { name: 'Email preview' })).toContainText('Thanks for shopping with us.');
  await ask.getByRole('button', { name: 'Send survey' }).click();
  await expect(ask.getByTestId('survey-result')).toHaveText('1 will be asked.');
  await ask.getByRole('button', { name: 'Done' }).click();

  // The customer opens the email's "4" link on a phone: the score is preselected, nothing is
  // recorded until Submit.
  const link = await surveyLink(email, 4);
  const phone = await browser.newContext({ ...devices['Pixel 7'] });
  const mobile = await phone.newPage();
  await mobile.goto(link);
  await expect(mobile.getByRole('heading', { name: /How was your experience with/ })).toBeVisible();
  await expect(mobile.getByRole('radio', { name: /^4/ })).toBeChecked();
  await mobile.getByLabel('Comment (optional)').fill('Quick and friendly this time.');
  await mobile.getByRole('button', { name: 'Submit' }).click();
  await expect(mobile.getByRole('heading', { name: /Thank you/ })).toBeVisible();
  await phone.close();

  // Staff see the answer: the survey's progress, the customer's timeline, the dashboard.
  await page.getByRole('link', { name: 'Surveys', exact: true }).click();
  await expect(page.getByTestId('survey').first().getByRole('img')).toHaveAccessibleName('1 of 1 sent, 1 answered');
  await page.getByRole('link', { name: 'Customers', exact: true }).click();
  await page.getByRole('link', { name }).click();
  await expect(page.getByText('Quick and friendly this time.')).toBeVisible();
  await page.getByRole('link', { name: 'Dashboard', exact: true }).click();
  await expect(page.getByTestId('kpi-response-rate')).toContainText('100');
  await expect(page.getByTestId('kpi-response-rate')).toContainText('1/1');
});
