// The read exception queue a page at a time, filtered by reason and account, with the range each
// check expected; account lookup by the customer's name; the what-if priced for a meter size.
// Each test makes its own customers, accounts and reads through the API (unique names), so it
// passes on a fresh demo City, in any order with the other specs and twice on the same database.
import { expect, test } from '@playwright/test';
import { apiAs, type Api } from './counterApi';
import { expectAccessible, signIn, uniqueWord } from './helpers';

function daysAgo(n: number): string {
  // A day's margin behind UTC: the City's today (Pacific) may be yesterday in UTC terms.
  const d = new Date(Date.now() - (n + 1) * 86_400_000);
  return d.toISOString().slice(0, 10);
}

interface QueueAccount { number: number; name: string; street: string; tag: string }

/**
 * A business customer with a water account and a meter with two months of accepted reads (1 CCF
 * a day), then the read `last` 30 days on: 1900 is an implausible jump, 1061 a low read.
 */
async function accountWithRead(api: Api, last?: number): Promise<QueueAccount & { exceptionId?: number }> {
  const tag = uniqueWord('');
  const name = `Zq ${tag} Queue`;
  const party = await api.post('/api/v1/parties', { kind: 'business', business_name: name, confirm_duplicates: true }, 201);
  const street = `${7000 + Math.floor(Math.random() * 900)} ${tag.charAt(0).toUpperCase()}${tag.slice(1)} Court`;
  const premise = await api.post('/api/v1/billing/premises', { line1: street, city: 'Riverton', state: 'CA', postal_code: '95501', premise_type: 'commercial' }, 201);
  const acct = await api.post('/api/v1/billing/accounts', {
    party_id: party.id, premise_id: premise.id, cycle: 'C1', opened_on: daysAgo(100),
    services: [{ kind: 'water', rate_class: 'COM' }],
  }, 201);
  const n = acct.number as number;
  await api.post(`/api/v1/billing/accounts/${n}/meters`, { serial: `ZQQ${tag.slice(0, 6).toUpperCase()}`, dials: 5, unit: 'ccf', size: '5/8"', installed_on: daysAgo(100), initial_read: 1000 }, 201);
  await api.post(`/api/v1/billing/accounts/${n}/reads`, { value: 1030, read_on: daysAgo(70) }, 201);
  await api.post(`/api/v1/billing/accounts/${n}/reads`, { value: 1060, read_on: daysAgo(40) }, 201);
  let exceptionId: number | undefined;
  if (last !== undefined) {
    const r = await api.post(`/api/v1/billing/accounts/${n}/reads`, { value: last, read_on: daysAgo(10) }, 201);
    exceptionId = r.exception?.id;
  }
  return { number: n, name, street, tag, exceptionId };
}

test.describe('billing queue, name search and meter size', () => {
  test.setTimeout(180_000);

  test('the queue pages oldest first, filters by reason and account, and shows the expected range', async ({ page, playwright }) => {
    const api = await apiAs(playwright, 'csr3');
    const low = await accountWithRead(api, 1061);
    expect(low.exceptionId).toBeTruthy();
    const one = await api.get(`/api/v1/billing/read-exceptions/${low.exceptionId}`);
    expect(one.code).toBe('low_usage');
    expect(one.expected.text).toBe('expected 7.5–60 CCF (avg 1/day × 30 days)');
    // Enough open exceptions for a second page of 25 (wild reads on new accounts).
    let total = (await api.get('/api/v1/billing/read-exceptions?limit=1')).total as number;
    while (total < 27) {
      await accountWithRead(api, 1900);
      total += 1;
    }
    await api.dispose();

    await signIn(page, 'csr3');
    await page.goto('/billing/read-exceptions');
    await expect(page.getByRole('heading', { name: 'Read exceptions', level: 1 })).toBeVisible();
    const range = page.getByTestId('exceptions-range');
    await expect(range).toHaveText(/^1–25 of \d+$/);
    await expect(page.getByRole('article')).toHaveCount(25);
    await expectAccessible(page, 'read exception queue, first page');
    await page.getByRole('button', { name: 'next page' }).click();
    await expect(range).toHaveText(/^26–\d+ of \d+$/);
    await page.getByLabel('Per page').selectOption('50');
    await expect(range).toHaveText(/^1–\d+ of \d+$/);

    // By reason: every card shown is a low read, and ours is among them (or on a later page).
    // The range reads "1–N of M" before and after the filter: wait for the filtered page itself,
    // then for its first card, before counting what is shown.
    const filtered = page.waitForResponse(
      (r) => r.url().includes('/api/v1/billing/read-exceptions') && r.url().includes('code=low_usage'),
    );
    await page.getByLabel('Reason').selectOption('low_usage');
    await filtered;
    await expect(range).toHaveText(/^1–\d+ of \d+$/);
    const cards = page.getByRole('article');
    await expect(cards.first()).toContainText('low usage');
    const shown = await cards.count();
    expect(shown).toBeGreaterThan(0);
    for (let i = 0; i < shown; i++) await expect(cards.nth(i)).toContainText('low usage');

    // By account: the one card, with what the check expected.
    await page.getByLabel('Account number').fill(String(low.number));
    await expect(range).toHaveText('1–1 of 1');
    const card = page.getByRole('article').filter({ hasText: `Account ${low.number}` });
    await expect(card).toHaveCount(1);
    await expect(card.getByTestId('expected-range')).toHaveText('Check: expected 7.5–60 CCF (avg 1/day × 30 days).');
    await expectAccessible(page, 'read exception queue, filtered');
    // Its premise is on no read route; another reason for that account: nothing either.
    await page.getByLabel('Route').selectOption('R01');
    await expect(page.getByTestId('exceptions-empty')).toBeVisible();
    await page.getByLabel('Route').selectOption('');
    await expect(range).toHaveText('1–1 of 1');
    await page.getByLabel('Reason').selectOption('high_usage');
    await expect(page.getByTestId('exceptions-empty')).toBeVisible();
  });

  test('one search box finds an account by the customer’s name', async ({ page, playwright }) => {
    const api = await apiAs(playwright, 'csr2');
    const a = await accountWithRead(api);
    await api.dispose();

    await signIn(page, 'csr1');
    await page.goto('/billing');
    const box = page.getByLabel('Account number, customer name or service address');
    // A word of the name, in capitals; then two words, the second a prefix.
    await box.fill(a.tag.toUpperCase());
    await box.press('Enter');
    const results = page.getByRole('table', { name: 'Matching utility accounts' });
    const row = results.getByRole('row').filter({ hasText: a.name });
    await expect(row).toHaveCount(1);
    await expect(row).toContainText(a.street);
    await expect(row).toContainText('active');
    await expectAccessible(page, 'account search by name');
    await box.fill(`zq ${a.tag.slice(0, 5)}`);
    await box.press('Enter');
    await expect(results.getByRole('row').filter({ hasText: a.name })).toHaveCount(1);
    await results.getByRole('link', { name: `Open account ${a.number}` }).click();
    await expect(page.getByRole('heading', { name: `Utility account ${a.number}` })).toBeVisible();
  });

  test('the what-if prices the meter size chosen', async ({ page }) => {
    await signIn(page, 'csr1');
    await page.goto('/billing/what-if');
    await expect(page.getByRole('heading', { name: 'Rate what-if', level: 1 })).toBeVisible();
    const size = page.getByLabel('Meter size');
    await expect(size.locator('option')).toHaveText(['5/8"', '3/4"', '1"', '1.5"', '2"']);
    await page.getByLabel('Usage in CCF').fill('14');
    await page.getByRole('button', { name: 'Price it' }).click();
    const lines = page.getByRole('table', { name: 'What-if charges' });
    const total = lines.getByRole('row').filter({ hasText: 'Total' });
    await expect(total).toContainText('$');
    const small = await total.textContent();
    await size.selectOption('2"');
    await page.getByRole('button', { name: 'Price it' }).click();
    await expect(page.getByText(/meter 2"/)).toBeVisible();
    await expect(total).not.toHaveText(small ?? '');
    await expectAccessible(page, 'rate what-if with a meter size');
  });
});
