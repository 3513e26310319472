import { expect, test, type Page } from '@playwright/test';
import { expectAccessible, signIn, uniquePhone, uniqueWord } from './helpers';

async function fillPerson(page: Page, first: string, last: string, street: string, phone: string) {
  await page.getByRole('textbox', { name: 'First name', exact: true }).fill(first);
  await page.getByRole('textbox', { name: 'Last name', exact: true }).fill(last);
  await page.getByRole('textbox', { name: 'Street address', exact: true }).fill(street);
  await page.getByRole('textbox', { name: 'City', exact: true }).fill('Riverton');
  await page.getByRole('textbox', { name: 'State', exact: true }).fill('CA');
  await page.getByRole('textbox', { name: 'ZIP', exact: true }).fill('95501');
  await page.getByRole('textbox', { name: 'Number', exact: true }).fill(phone);
}

test('create a customer, get the duplicate warning the second time, then find it with the global search', async ({ page }) => {
  const first = uniqueWord('Testa');
  const last = uniqueWord('Zed');
  const street = `${100 + Math.floor(Math.random() * 800)} ${uniqueWord('Q')} St`;
  const phone = uniquePhone();

  await signIn(page, 'csr2');
  await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Customers' }).click();
  await expect(page.getByRole('heading', { name: 'Customers' })).toBeVisible();
  await expect(page.getByRole('table').locator('tbody tr').first()).toBeVisible();
  await expectAccessible(page, 'customers list');

  await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'New customer' }).click();
  await expect(page.getByRole('heading', { name: 'New customer' })).toBeVisible();
  await expectAccessible(page, 'new customer form');

  // Client-side validation names the field.
  await page.getByRole('button', { name: 'Create customer' }).click();
  await expect(page.getByText('Enter the first name')).toBeVisible();
  await expectAccessible(page, 'new customer form with errors');

  await fillPerson(page, first, last, street, phone);
  await page.getByRole('button', { name: 'Create customer' }).click();
  await expect(page).toHaveURL(/\/parties\/\d+$/);
  await expect(page.getByTestId('party-name')).toHaveText(`${first} ${last}`);
  const createdUrl = page.url();
  const createdId = createdUrl.split('/').pop()!;
  await expect(page.getByTestId('obligations')).toContainText('Nothing owed');
  await expect(page.getByRole('link', { name: 'Edit' })).toBeVisible();
  await expectAccessible(page, 'party page');

  // Same person again: the server warns, the UI lists the existing record and offers both ways on.
  await page.goto('/parties/new');
  await fillPerson(page, first, last, street, phone);
  await page.getByRole('button', { name: 'Create customer' }).click();
  const warning = page.getByTestId('duplicate-warning');
  await expect(warning).toBeVisible();
  const existing = warning.locator(`a[href="/parties/${createdId}"]`).first();
  await expect(existing).toBeVisible();
  await expect(existing).toContainText(`${first} ${last}`);
  await expect(warning.getByRole('button', { name: 'Create anyway' })).toBeVisible();
  await expectAccessible(page, 'duplicate warning');
  await existing.click();
  await expect(page).toHaveURL(new RegExp(`/parties/${createdId}$`));

  // Global search by name: `/` focuses, type, arrow + Enter opens the party.
  await page.goto('/');
  await page.locator('body').click({ position: { x: 600, y: 400 } });
  await page.keyboard.press('/');
  const search = page.getByTestId('global-search');
  const option = page.getByRole('option', { name: new RegExp(`${first} ${last}`) }).first();
  // Retype if the server's search index lags behind the write for a moment.
  await expect(async () => {
    await search.fill('');
    await search.pressSequentially(`${first} ${last}`, { delay: 20 });
    await expect(option).toBeVisible({ timeout: 3_000 });
  }).toPass({ timeout: 15_000 });
  await expect(search).toBeFocused();
  await expectAccessible(page, 'search results');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/parties\/\d+$/);
  await expect(page.getByTestId('party-name')).toHaveText(`${first} ${last}`);
});

test('edit a customer and see the stale-record warning when someone else saved first', async ({ page, browser }) => {
  const first = uniqueWord('Edita');
  const last = uniqueWord('Zed');
  await signIn(page, 'csr2');
  await page.goto('/parties/new');
  await fillPerson(page, first, last, `${200 + Math.floor(Math.random() * 700)} ${uniqueWord('R')} Ave`, uniquePhone());
  await page.getByRole('button', { name: 'Create customer' }).click();
  await expect(page).toHaveURL(/\/parties\/\d+$/);
  const id = page.url().split('/').pop();

  await page.getByRole('link', { name: 'Edit' }).click();
  await expect(page.getByRole('textbox', { name: 'First name', exact: true })).toHaveValue(first);
  await expectAccessible(page, 'edit customer form');

  // Someone else saves first, in another session.
  const other = await browser.newContext();
  const p2 = await other.newPage();
  await signIn(p2, 'csr3');
  await p2.goto(`/parties/${id}/edit`);
  await p2.getByRole('textbox', { name: 'Last name', exact: true }).fill(`${last}x`);
  await p2.getByRole('button', { name: 'Save changes' }).click();
  await expect(p2).toHaveURL(new RegExp(`/parties/${id}$`));
  await other.close();

  await page.getByRole('textbox', { name: 'First name', exact: true }).fill(`${first}y`);
  await page.getByRole('button', { name: 'Save changes' }).click();
  const stale = page.getByTestId('stale-warning');
  await expect(stale).toContainText('changed by someone else');
  await stale.getByRole('button', { name: 'Reload' }).click();
  await expect(page.getByRole('textbox', { name: 'Last name', exact: true })).toHaveValue(`${last}x`);
  await page.getByRole('textbox', { name: 'First name', exact: true }).fill(`${first}y`);
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByTestId('party-name')).toHaveText(`${first}y ${last}x`);
});
