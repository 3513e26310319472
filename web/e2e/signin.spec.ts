import { expect, test } from '@playwright/test';
import { DEMO_PASSWORD, expectAccessible, signIn } from './helpers';

test('sign-in page shows the City, is accessible, and refuses a bad password', async ({ page }) => {
  await page.goto('/sign-in');
  await expect(page.getByRole('heading', { name: 'Sign in to civicdesk' })).toBeVisible();
  await expect(page.getByTestId('city-name')).not.toHaveText(/^\s*$/);
  await expectAccessible(page, 'sign-in');

  await page.getByLabel('User name').fill('csr3');
  await page.getByRole('textbox', { name: 'Password', exact: true }).fill('not-the-password');
  await page.getByRole('textbox', { name: 'Password', exact: true }).press('Enter');
  await expect(page.getByRole('alert').filter({ hasText: /\S/ }).first()).toBeVisible();
  await expect(page).toHaveURL(/\/sign-in/);
  await expect(page.getByRole('button', { name: 'Sign out' })).toHaveCount(0);
  await expectAccessible(page, 'sign-in with error');

  // A good password afterwards works (and resets the failure count so reruns don't lock csr3).
  await page.getByRole('textbox', { name: 'Password', exact: true }).fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
});

test('sign-in with the right password shows the user and role, and sign-out returns to sign-in', async ({ page }) => {
  await signIn(page, 'csr2');
  const who = page.getByTestId('signed-in-user');
  await expect(who).toContainText(/\S/);
  // The header names the role by title, not by code.
  await expect(who).not.toHaveText(/^csr2$/);
  await expect(page.getByRole('navigation', { name: 'Main navigation' })).toBeVisible();
  await expectAccessible(page, 'start page');

  // Session survives a reload (GET /session restores it).
  await page.reload();
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/sign-in/);
  await page.goto('/parties');
  await expect(page).toHaveURL(/\/sign-in/);
});

test('keyboard: / focuses search and ? lists shortcuts', async ({ page }) => {
  await signIn(page, 'csr2');
  await page.locator('body').click({ position: { x: 600, y: 400 } });
  await page.keyboard.press('/');
  await expect(page.getByTestId('global-search')).toBeFocused();
  await page.keyboard.press('Escape');
  await page.getByTestId('global-search').blur();
  await page.keyboard.press('?');
  await expect(page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toBeVisible();
  await expectAccessible(page, 'shortcut help');
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toHaveCount(0);
});
