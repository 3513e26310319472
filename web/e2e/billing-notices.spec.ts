// Late and shut-off notices: a supervisor runs the notices of a mailing date on the Notices tab,
// sees what went out and what was held back by reason, opens the batch's letters (PDF), checks the
// shut-off list and its CSV, and a CSR sees the notices on the account page.
//
// The test makes its own account and bill through the API (a cycle run bills it today, due in 21
// days). The notice date is after every batch already run and at least 80 days ahead — past the
// 53 days a shut-off notice waits — so each run of this spec makes a new batch that includes its
// own account: it passes on a fresh demo City and twice on the same database.
import { expect, test } from '@playwright/test';
import { apiAs, type Api } from './counterApi';
import { expectAccessible, signIn, uniqueWord } from './helpers';

function daysFromToday(n: number): string {
  return new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);
}

function nextDay(iso: string): string {
  return new Date(Date.parse(`${iso}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

/** A customer with a water and sewer account, read 60 and 30 days after it opened. */
async function newAccount(api: Api): Promise<{ number: number; name: string }> {
  const tag = uniqueWord('');
  const name = `Zn ${tag} Bakery`;
  const party = await api.post('/api/v1/parties', { kind: 'business', business_name: name, confirm_duplicates: true }, 201);
  const street = `${8000 + Math.floor(Math.random() * 900)} ${tag.charAt(0).toUpperCase()}${tag.slice(1)} Ave`;
  const premise = await api.post('/api/v1/billing/premises', { line1: street, city: 'Riverton', state: 'CA', postal_code: '95501', premise_type: 'commercial' }, 201);
  const acct = await api.post('/api/v1/billing/accounts', {
    party_id: party.id, premise_id: premise.id, cycle: 'C1', opened_on: daysFromToday(-101),
    services: [{ kind: 'water', rate_class: 'COM' }, { kind: 'sewer', rate_class: 'COM' }],
  }, 201);
  const serial = `ZN${tag.slice(0, 6).toUpperCase()}`;
  await api.post(`/api/v1/billing/accounts/${acct.number}/meters`, { serial, dials: 5, unit: 'ccf', size: '5/8"', installed_on: daysFromToday(-101), initial_read: 1000 }, 201);
  await api.post(`/api/v1/billing/accounts/${acct.number}/reads`, { value: 1030, read_on: daysFromToday(-71) }, 201);
  await api.post(`/api/v1/billing/accounts/${acct.number}/reads`, { value: 1060, read_on: daysFromToday(-41) }, 201);
  return { number: acct.number, name };
}

test.describe('utility notices', () => {
  test.setTimeout(180_000);

  test('a supervisor runs late and shut-off notices, opens the letters and the shut-off list; the account shows its notices', async ({ page, playwright }) => {
    const csr = await apiAs(playwright, 'csr3');
    const a = await newAccount(csr);
    await csr.dispose();
    const boss = await apiAs(playwright, 'supervisor');
    const run = await boss.post('/api/v1/billing/runs', { cycle: 'C1', period_end: daysFromToday(-41) });
    expect(run.status).toBe('finished');
    const bills = await boss.get(`/api/v1/billing/accounts/${a.number}/bills`);
    expect(bills.bills.length).toBeGreaterThan(0);
    const owed = bills.bills.reduce((s: number, b: { balance: string }) => s + Number(b.balance), 0);
    // After every earlier batch, and far enough ahead for the shut-off notice.
    const batches = await boss.get('/api/v1/billing/notices/runs');
    let date = daysFromToday(80);
    for (const b of batches.runs as { mailed_on: string }[]) if (b.mailed_on >= date) date = nextDay(b.mailed_on);
    await boss.dispose();

    await signIn(page, 'supervisor');
    await page.goto('/billing/runs');
    await page.getByRole('navigation', { name: 'Billing pages' }).getByRole('link', { name: 'Notices' }).click();
    await expect(page.getByRole('heading', { name: 'Notices', level: 1 })).toBeVisible();
    await expectAccessible(page, 'notices');

    // A bad date is refused, naming the field.
    await page.getByLabel('Mailing date (YYYY-MM-DD)').fill('next week');
    await page.getByRole('button', { name: 'Run notices' }).click();
    await expect(page.getByRole('alert').filter({ hasText: 'field: date' })).toBeVisible();

    await page.getByLabel('Mailing date (YYYY-MM-DD)').fill(date);
    await page.getByLabel('Mailing date (YYYY-MM-DD)').press('Enter');
    const result = page.getByTestId('notice-run-result');
    await expect(result).toContainText(/[1-9]\d* late notices/, { timeout: 60_000 });
    await expect(result).toContainText('shut-off notices');
    await expect(result).toContainText('No shut-off notice:');
    await expectAccessible(page, 'notice run result');

    // The batch's letters: one PDF.
    const row = page.getByRole('table', { name: 'Notice batches' }).getByRole('row').filter({ hasText: /Batch \d+/ }).first();
    const pdfLink = row.getByRole('link', { name: /^PDF of batch \d+$/ });
    await expect(pdfLink).toBeVisible();
    const href = await pdfLink.getAttribute('href');
    const pdf = await page.request.get(href!);
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()['content-type']).toContain('application/pdf');
    expect((await pdf.body()).subarray(0, 5).toString()).toBe('%PDF-');

    // The account's notice history.
    await page.goto(`/billing/accounts/${a.number}`);
    const notices = page.getByRole('table', { name: 'Notices sent' });
    await expect(notices.getByRole('row').filter({ hasText: 'Late notice' })).toHaveCount(bills.bills.length);
    if (owed >= 50) await expect(notices.getByRole('row').filter({ hasText: 'Shut-off notice' })).toContainText('open');
    await expectAccessible(page, 'account with notices');

    // The shut-off list on a day after the shut-off date, with its CSV.
    await page.goto('/billing/notices');
    const listDate = daysFromToday(400);
    await page.getByLabel('List date (YYYY-MM-DD, empty for today)').fill(listDate);
    await page.getByRole('button', { name: 'Show the list' }).click();
    const list = page.getByRole('table', { name: /^Shut-off list for / });
    await expect(list).toBeVisible();
    if (owed >= 50) await expect(list.getByRole('row').filter({ hasText: a.name })).toHaveCount(1);
    await expectAccessible(page, 'shut-off list');
    const csvHref = await page.getByRole('link', { name: 'Download the list (CSV)' }).getAttribute('href');
    expect(csvHref).toContain(`date=${listDate}`);
    const csv = await page.request.get(csvHref!);
    expect(csv.status()).toBe(200);
    expect(csv.headers()['content-type']).toContain('text/csv');
    const text = await csv.text();
    expect(text.startsWith('account_number,customer_name,service_address')).toBe(true);
    if (owed >= 50) expect(text).toContain(`${a.number},"${a.name}"`);
  });
});
