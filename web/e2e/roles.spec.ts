import { expect, test } from '@playwright/test';
import { expectAccessible, signIn } from './helpers';

test('a CSR I has no New customer link and is refused at /parties/new', async ({ page }) => {
  await signIn(page, 'csr1');
  const nav = page.getByRole('navigation', { name: 'Main navigation' });
  await expect(nav.getByRole('link', { name: 'Customers' })).toBeVisible();
  await expect(nav.getByRole('link', { name: 'New customer' })).toHaveCount(0);
  await expect(nav.getByRole('link', { name: 'Users' })).toHaveCount(0);
  await expect(nav.getByRole('link', { name: 'Audit' })).toHaveCount(0);

  await page.goto('/parties/new');
  await expect(page.getByRole('alert')).toContainText(/Your role \(.+\) cannot create customers/);
  await expect(page.getByRole('textbox', { name: 'First name', exact: true })).toHaveCount(0);
  await expectAccessible(page, 'refusal');

  await page.goto('/parties');
  await expect(page.getByRole('link', { name: 'New customer' })).toHaveCount(0);
});

test('an administrator sees the users page with the demo users', async ({ page }) => {
  await signIn(page, 'admin');
  await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Users' }).click();
  await expect(page.getByRole('heading', { name: 'Users' })).toBeVisible();
  const table = page.getByRole('table');
  for (const u of ['csr1', 'csr2', 'auditor', 'admin']) {
    await expect(table.getByRole('cell', { name: u, exact: true })).toBeVisible();
  }
  await expect(page.getByLabel('Role for csr1')).toBeVisible();
  await expectAccessible(page, 'users');
  await page.getByRole('button', { name: 'New user' }).click();
  await expect(page.getByRole('dialog', { name: 'New user' })).toBeVisible();
  await expectAccessible(page, 'new user dialog');
});

test('an auditor sees the audit page and can open a before/after diff', async ({ page }) => {
  await signIn(page, 'auditor');
  const nav = page.getByRole('navigation', { name: 'Main navigation' });
  await expect(nav.getByRole('link', { name: 'New customer' })).toHaveCount(0);
  await nav.getByRole('link', { name: 'Audit' }).click();
  await expect(page.getByRole('heading', { name: 'Audit' })).toBeVisible();
  await expect(page.getByRole('table').first().locator('tbody tr').first()).toBeVisible();
  await expectAccessible(page, 'audit');

  await page.getByLabel('Record kind').fill('party');
  await page.getByLabel('Record kind').press('Enter');
  await expect(page).toHaveURL(/entity=party/);
  const show = page.getByRole('button', { name: /^Show changes/ }).first();
  if (await show.count()) {
    await show.click();
    await expect(page.getByRole('table', { name: /Changes recorded in audit entry/ })).toBeVisible();
    await expectAccessible(page, 'audit diff');
  }
});
