import { expect, test, type Page } from '@playwright/test';
import {
  apiLogin,
  createVerifiedUser,
  createWorkspaceApi,
  emailedLink,
  importCsvApi,
  inviteApi,
  listWorkspaces,
  literal,
  loginUI,
  PASSWORD,
  signupWithInvitation,
  uniqueName,
} from './helpers';

const mainNav = (page: Page) => page.getByRole('navigation', { name: 'Main' });

async function switchTo(page: Page, name: string) {
  await page.getByRole('button', { name: /^Workspace:/ }).click();
  await page.getByRole('navigation', { name: 'Workspaces' }).getByRole('link', { name: new RegExp(`^${literal(name)}`) }).click();
}

function oneCustomerCsv(name: string, email: string, score = 4): string {
  return `name,email,satisfaction_score,review\n"${name}",${email},${score},Nice\n`;
}

test('switching workspaces: the URL names the workspace and the data follows it', async ({ page, request }) => {
  const owner = await createVerifiedUser(request, 'sw');
  await apiLogin(request, owner.username, owner.password);
  const [first] = await listWorkspaces(request);
  const tag = Date.now().toString(36);
  await importCsvApi(request, oneCustomerCsv(`First Only ${tag}`, `first.${tag}@example.com`), 'skip', first.id);

  await loginUI(page, owner.username, owner.password);
  await expect(page).toHaveURL(new RegExp(`/w/${first.slug}$`));
  await expect(page.getByRole('button', { name: `Workspace: ${first.name}` })).toBeVisible();

  // A second workspace, made from the switcher, opens on its first steps.
  const secondName = `Second ${tag}`;
  await page.getByRole('button', { name: /^Workspace:/ }).click();
  await page.getByRole('button', { name: 'Create workspace' }).click();
  const create = page.getByRole('dialog', { name: 'Create workspace' });
  await create.getByLabel('Workspace name').fill(secondName);
  await create.getByRole('button', { name: 'Create workspace' }).click();
  await expect(page.getByRole('heading', { name: `Get ${secondName} started` })).toBeVisible();
  const second = (await listWorkspaces(request)).find((w) => w.name === secondName)!;
  await expect(page).toHaveURL(new RegExp(`/w/${second.slug}$`));
  await expect(page.getByRole('link', { name: 'Import a CSV' })).toBeVisible();

  // Its first customer, added by hand from the empty dashboard.
  await page.getByRole('button', { name: 'Add a customer' }).click();
  const add = page.getByRole('dialog', { name: 'Add customer' });
  await add.getByLabel('Name').fill(`Second Only ${tag}`);
  await add.getByLabel('Email').fill(`second.${tag}@example.com`);
  await add.getByLabel('Satisfaction score').selectOption('5');
  await add.getByRole('button', { name: 'Add customer' }).click();
  await expect(page.getByTestId('kpi-responses')).toBeVisible();

  await mainNav(page).getByRole('link', { name: 'Customers' }).click();
  await expect(page).toHaveURL(new RegExp(`/w/${second.slug}/customers$`));
  await expect(page.getByTestId('customer-row')).toHaveCount(1);
  await expect(page.getByTestId('customer-row')).toContainText(`Second Only ${tag}`);

  // Switching keeps the section and shows the other workspace's data only.
  await switchTo(page, first.name);
  await expect(page).toHaveURL(new RegExp(`/w/${first.slug}/customers$`));
  await expect(page.getByTestId('customer-row')).toHaveCount(1);
  await expect(page.getByTestId('customer-row')).toContainText(`First Only ${tag}`);
  await expect(page.getByText(`Second Only ${tag}`)).toHaveCount(0);

  // A shared link opens the workspace it names.
  await page.goto(`/w/${second.slug}/customers`);
  await expect(page.getByRole('button', { name: `Workspace: ${secondName}` })).toBeVisible();
  await expect(page.getByTestId('customer-row')).toContainText(`Second Only ${tag}`);

  // The first release's paths go to the default workspace.
  await page.goto('/customers');
  await expect(page).toHaveURL(new RegExp(`/w/${first.slug}/customers$`));

  // A workspace this account is not in: not found, with the account's own.
  await page.goto(`/w/not-a-workspace-${tag}`);
  await expect(page.getByRole('heading', { name: 'Workspace not found' })).toBeVisible();
  await expect(page.getByRole('list', { name: 'Your workspaces' }).getByRole('link')).toHaveCount(2);
});

test('inviting by email: the invitee signs up from the link and lands in the workspace', async ({ page, request, browser }) => {
  const owner = await createVerifiedUser(request, 'inv');
  await apiLogin(request, owner.username, owner.password);
  const [ws] = await listWorkspaces(request);
  const guestEmail = `${uniqueName('guest')}@example.com`;

  await loginUI(page, owner.username, owner.password);
  await mainNav(page).getByRole('link', { name: 'Members' }).click();
  await expect(page.getByRole('heading', { name: 'Members', exact: true })).toBeVisible();
  const form = page.getByRole('form', { name: 'Invite someone' });
  await form.getByLabel('Email address').fill(guestEmail);
  await form.getByLabel('Role').selectOption('member');
  const before = Date.now() - 1000;
  await form.getByRole('button', { name: 'Send invitation' }).click();
  await expect(page.getByText(`Invitation sent to ${guestEmail}.`, { exact: false })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Pending invitations' }).getByRole('row', { name: new RegExp(literal(guestEmail)) })).toBeVisible();

  const link = await emailedLink(guestEmail, 'invite', before);
  const url = new URL(link);
  expect(url.pathname).toBe('/invite');

  // The invitee, in a browser of their own.
  const ctx = await browser.newContext({ baseURL: process.env.PULSE_E2E_URL });
  const guest = await ctx.newPage();
  await guest.goto(url.pathname + url.search);
  await expect(guest.getByRole('heading', { name: `Join ${ws.name}` })).toBeVisible();
  await expect(guest.getByText(new RegExp(`${literal(owner.username)} invited ${literal(guestEmail)} to join`))).toBeVisible();
  await expect(guest.getByLabel('Email')).toHaveValue(guestEmail);
  const guestName = uniqueName('guest');
  await guest.getByLabel('Username').fill(guestName);
  await guest.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await guest.getByLabel('Confirm password').fill(PASSWORD);
  await guest.getByRole('button', { name: 'Create account and join' }).click();
  await expect(guest.getByRole('heading', { name: 'Dashboard' })).toBeVisible();
  await expect(guest).toHaveURL(new RegExp(`/w/${ws.slug}$`));
  await expect(guest.getByText(`Welcome to ${ws.name}!`)).toBeVisible();
  // Verified at once: no banner. A member may add customers.
  await expect(guest.getByRole('region', { name: 'Email verification' })).toHaveCount(0);
  await mainNav(guest).getByRole('link', { name: 'Customers' }).click();
  await expect(guest.getByRole('button', { name: 'Add customer' }).first()).toBeVisible();

  // The link was used up.
  await guest.goto(url.pathname + url.search);
  await expect(guest.getByText('This invitation cannot be used')).toBeVisible();
  await ctx.close();

  // The owner sees the new member, and nothing pending.
  await page.reload();
  const row = page.getByTestId(`member-row-${guestName}`);
  await expect(row).toBeVisible();
  await expect(row.getByLabel(`Role of ${guestName}`)).toHaveValue('member');
  await expect(page.getByRole('table', { name: 'Pending invitations' })).toHaveCount(0);
});

test('resending replaces the link; revoking, once confirmed, kills it', async ({ page, request }) => {
  const owner = await createVerifiedUser(request, 'rsd');
  const email = `${uniqueName('later')}@example.com`;
  await loginUI(page, owner.username, owner.password);
  await mainNav(page).getByRole('link', { name: 'Members' }).click();
  const form = page.getByRole('form', { name: 'Invite someone' });
  await form.getByLabel('Email address').fill(email);
  const t0 = Date.now() - 1000;
  await form.getByRole('button', { name: 'Send invitation' }).click();
  const first = await emailedLink(email, 'invite', t0);

  await page.getByRole('button', { name: `Resend the invitation to ${email}` }).click();
  await expect(page.getByText(`A new link was sent to ${email}.`, { exact: false })).toBeVisible();
  // The new email may land a moment after the notice: poll the outbox until its link differs.
  let second = first;
  await expect
    .poll(async () => (second = await emailedLink(email, 'invite', t0)), { message: 'a new invitation link was emailed' })
    .not.toBe(first);

  await page.getByRole('button', { name: `Revoke the invitation to ${email}` }).click();
  const dialog = page.getByRole('dialog', { name: 'Revoke this invitation?' });
  await dialog.getByRole('button', { name: 'Revoke invitation' }).click();
  await expect(page.getByText(`The invitation to ${email} was revoked`, { exact: false })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Pending invitations' })).toHaveCount(0);

  for (const link of [first, second]) {
    const u = new URL(link);
    await page.goto(u.pathname + u.search);
    await expect(page.getByText('This invitation cannot be used')).toBeVisible();
  }
});

test('a viewer sees no buttons they cannot use', async ({ page, request, playwright }) => {
  const owner = await createVerifiedUser(request, 'vown');
  await apiLogin(request, owner.username, owner.password);
  const [ws] = await listWorkspaces(request);
  const tag = Date.now().toString(36);
  await importCsvApi(request, oneCustomerCsv(`Seen By Viewer ${tag}`, `seen.${tag}@example.com`), 'skip', ws.id);
  const email = `${uniqueName('viewer')}@example.com`;
  const token = await inviteApi(request, ws.id, email, 'viewer');
  const anon = await playwright.request.newContext({ baseURL: process.env.PULSE_E2E_URL });
  const viewer = await signupWithInvitation(anon, token, email, 'viewer');
  await anon.dispose();

  await loginUI(page, viewer.username, viewer.password);
  await expect(page).toHaveURL(new RegExp(`/w/${ws.slug}$`));
  await expect(page.getByTestId('kpi-responses')).toBeVisible();
  await expect(mainNav(page).getByRole('link', { name: 'Settings' })).toHaveCount(0);

  await mainNav(page).getByRole('link', { name: 'Customers' }).click();
  await expect(page.getByTestId('customer-row')).toContainText(`Seen By Viewer ${tag}`);
  await expect(page.getByRole('button', { name: 'Export CSV' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Add customer' })).toHaveCount(0);
  await expect(page.getByRole('link', { name: 'Import CSV' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: /^Edit / })).toHaveCount(0);
  await expect(page.getByRole('button', { name: /^Delete / })).toHaveCount(0);

  await mainNav(page).getByRole('link', { name: 'Members' }).click();
  await expect(page.getByTestId(`member-row-${owner.username}`)).toBeVisible();
  await expect(page.getByRole('combobox')).toHaveCount(0);
  await expect(page.getByRole('button', { name: /^Remove/ })).toHaveCount(0);
  await expect(page.getByRole('form', { name: 'Invite someone' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Leave workspace' })).toBeVisible();

  await page.goto(`/w/${ws.slug}/customers/import`);
  await expect(page.getByRole('heading', { name: 'Not available to viewers' })).toBeVisible();
  await page.goto(`/w/${ws.slug}/settings`);
  await expect(page.getByRole('heading', { name: 'Not available to viewers' })).toBeVisible();
});

test('roles change and members go only after a confirmation; the only owner cannot leave', async ({ page, request, playwright }) => {
  const owner = await createVerifiedUser(request, 'mgr');
  await apiLogin(request, owner.username, owner.password);
  const [ws] = await listWorkspaces(request);
  const email = `${uniqueName('mate')}@example.com`;
  const token = await inviteApi(request, ws.id, email, 'member');
  const anon = await playwright.request.newContext({ baseURL: process.env.PULSE_E2E_URL });
  const mate = await signupWithInvitation(anon, token, email, 'mate');
  await anon.dispose();

  await loginUI(page, owner.username, owner.password);
  await mainNav(page).getByRole('link', { name: 'Members' }).click();
  const row = page.getByTestId(`member-row-${mate.username}`);

  await row.getByLabel(`Role of ${mate.username}`).selectOption('admin');
  const change = page.getByRole('dialog', { name: `Change ${mate.username}’s role?` });
  await change.getByRole('button', { name: 'Cancel' }).click();
  await expect(row.getByLabel(`Role of ${mate.username}`)).toHaveValue('member');
  await row.getByLabel(`Role of ${mate.username}`).selectOption('admin');
  await change.getByRole('button', { name: 'Change role' }).click();
  await expect(page.getByText(`${mate.username} is now an admin.`)).toBeVisible();
  await expect(row.getByLabel(`Role of ${mate.username}`)).toHaveValue('admin');

  // The only owner can neither leave nor step down.
  await page.getByRole('button', { name: 'Leave workspace' }).click();
  const leave = page.getByRole('dialog', { name: `Leave ${ws.name}?` });
  await expect(leave.getByText(/You are the only owner/)).toBeVisible();
  await expect(leave.getByRole('button', { name: 'Leave workspace' })).toHaveCount(0);
  await leave.getByRole('button', { name: 'OK' }).click();

  await row.getByRole('button', { name: `Remove ${mate.username}` }).click();
  const remove = page.getByRole('dialog', { name: `Remove ${mate.username}?` });
  await remove.getByRole('button', { name: 'Remove member' }).click();
  await expect(page.getByText(`${mate.username} was removed from ${ws.name}.`)).toBeVisible();
  await expect(row).toHaveCount(0);
});

test('settings: a new address moves the page; deleting needs the name typed', async ({ page, request }) => {
  const owner = await createVerifiedUser(request, 'set');
  await apiLogin(request, owner.username, owner.password);
  const [home] = await listWorkspaces(request);
  const tag = Date.now().toString(36);
  const extra = await createWorkspaceApi(request, `Scratch ${tag}`);

  await loginUI(page, owner.username, owner.password);
  await page.goto(`/w/${extra.slug}/settings`);
  await expect(page.getByRole('heading', { name: 'Workspace settings' })).toBeVisible();
  const slug = `scratch-moved-${tag}`;
  await page.getByRole('textbox', { name: 'Address' }).fill(slug);
  await page.getByRole('button', { name: 'Save name and address' }).click();
  await page.getByRole('dialog', { name: 'Change the address?' }).getByRole('button', { name: 'Change address' }).click();
  await expect(page).toHaveURL(new RegExp(`/w/${slug}/settings$`));
  await page.goto(`/w/${extra.slug}`);
  await expect(page.getByRole('heading', { name: 'Workspace not found' })).toBeVisible();

  await page.goto(`/w/${slug}/settings`);
  await page.getByRole('button', { name: 'Delete workspace' }).click();
  const dialog = page.getByRole('dialog', { name: `Delete Scratch ${tag}?` });
  const confirm = dialog.getByRole('button', { name: 'Delete workspace' });
  await expect(confirm).toBeDisabled();
  await dialog.getByLabel(`Type Scratch ${tag} to confirm`).fill(`Scratch ${tag}`);
  await confirm.click();
  await expect(page).toHaveURL(new RegExp(`/w/${home.slug}$`));
  await expect(page.getByText(`Scratch ${tag} was deleted.`)).toBeVisible();
  expect((await listWorkspaces(request)).map((w) => w.id)).not.toContain(extra.id);
});
