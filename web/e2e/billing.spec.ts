// Utility billing screens: find an account, see its meters and reads, enter reads (one accepted,
// one held by the checks), resolve the held read in the exception queue, import route results.
// Each test opens its own customer, premise, account and meter through the API (unique names), so
// the tests pass on a fresh demo City, in any order and twice on the same database.
import { expect, test } from '@playwright/test';
import { apiAs, type Api } from './counterApi';
import { expectAccessible, signIn, uniqueWord } from './helpers';

function daysAgo(n: number): string {
  // A day's margin behind UTC: the City's today (Pacific) may be yesterday in UTC terms.
  const d = new Date(Date.now() - (n + 1) * 86_400_000);
  return d.toISOString().slice(0, 10);
}

interface TestAccount { number: number; street: string; serial: string; name: string }

/** A customer with a water account and one meter with two months of accepted reads (1 CCF a day). */
async function newAccount(api: Api): Promise<TestAccount> {
  const tag = uniqueWord('');
  const name = `Zq ${tag} Laundry`;
  const party = await api.post('/api/v1/parties', { kind: 'business', business_name: name, confirm_duplicates: true }, 201);
  const houseNo = 9000 + Math.floor(Math.random() * 900);
  const street = `${houseNo} ${tag.charAt(0).toUpperCase()}${tag.slice(1)} Way`;
  const premise = await api.post('/api/v1/billing/premises', { line1: street, city: 'Riverton', state: 'CA', postal_code: '95501', premise_type: 'commercial' }, 201);
  const acct = await api.post('/api/v1/billing/accounts', {
    party_id: party.id, premise_id: premise.id, cycle: 'C1', opened_on: daysAgo(100),
    services: [{ kind: 'water', rate_class: 'COM' }, { kind: 'sewer', rate_class: 'COM' }],
  }, 201);
  const serial = `ZQ${tag.slice(0, 6).toUpperCase()}`;
  await api.post(`/api/v1/billing/accounts/${acct.number}/meters`, { serial, dials: 5, unit: 'ccf', size: '5/8"', installed_on: daysAgo(100), initial_read: 1000 }, 201);
  await api.post(`/api/v1/billing/accounts/${acct.number}/reads`, { value: 1030, read_on: daysAgo(70) }, 201);
  await api.post(`/api/v1/billing/accounts/${acct.number}/reads`, { value: 1060, read_on: daysAgo(40) }, 201);
  return { number: acct.number, street, serial, name };
}

test.describe('utility billing', () => {
  test.setTimeout(120_000);

  test('find an account by service address, see its meters and reads, enter an accepted read and a held one, resolve it in the queue', async ({ page, playwright }) => {
    const api = await apiAs(playwright, 'csr3');
    const a = await newAccount(api);
    await api.dispose();

    await signIn(page, 'csr3');
    await page.getByRole('navigation').getByRole('link', { name: 'Billing', exact: true }).click();
    await expect(page.getByRole('heading', { name: 'Utility accounts' })).toBeVisible();
    await expectAccessible(page, 'utility account lookup');
    await page.getByLabel('Account number, customer name or service address').fill(a.street);
    await page.getByLabel('Account number, customer name or service address').press('Enter');
    const results = page.getByRole('table', { name: 'Matching utility accounts' });
    await expect(results.getByRole('row').filter({ hasText: a.name })).toHaveCount(1);
    await expectAccessible(page, 'account search results');
    await results.getByRole('link', { name: `Open account ${a.number}` }).click();

    await expect(page.getByRole('heading', { name: `Utility account ${a.number}` })).toBeVisible();
    await expect(page.getByRole('link', { name: a.name })).toBeVisible();
    await expect(page.getByTestId('service-address')).toContainText(a.street);
    const meters = page.getByRole('table', { name: 'Meters and install history' });
    await expect(meters.getByRole('row').filter({ hasText: a.serial })).toContainText('Current');
    const reads = page.getByRole('table', { name: 'Reads' });
    await expect(reads.getByRole('row').filter({ hasText: '1060' })).toContainText('30.000');
    await expect(page.getByRole('img', { name: /Usage for the last 2 periods/ })).toBeVisible();
    await expectAccessible(page, 'utility account page');

    // A normal read: 15 CCF in 15 days, as the account always uses.
    await page.getByLabel('Register reading').fill('1075');
    await page.getByLabel('Read on (YYYY-MM-DD)').fill(daysAgo(25));
    await page.getByRole('button', { name: 'Save the read' }).click();
    await expect(page.getByTestId('read-result')).toContainText('Accepted');
    await expect(reads.getByRole('row').filter({ hasText: '1075' })).toContainText('accepted');

    // A wild read: 825 CCF in 15 days — held for a person to look at, with the reason.
    await page.getByLabel('Register reading').fill('1900');
    await page.getByLabel('Read on (YYYY-MM-DD)').fill(daysAgo(10));
    await page.getByRole('button', { name: 'Save the read' }).click();
    await expect(page.getByTestId('read-result')).toContainText('Sent to the read exception queue');
    await expect(page.getByTestId('read-result')).toContainText('implausible jump');
    await expect(reads.getByRole('row').filter({ hasText: '1900' })).toContainText('exception');
    await expectAccessible(page, 'account page after a held read');

    // The queue: find it, correct it from the keyboard.
    await page.getByRole('navigation', { name: 'Billing pages' }).getByRole('link', { name: 'Read exceptions' }).click();
    // The queue is paged, oldest first: narrow it to this account.
    await page.getByLabel('Account number').fill(String(a.number));
    const card = page.getByRole('article').filter({ hasText: `Account ${a.number}` });
    await expect(card).toHaveCount(1);
    await expect(card).toContainText('Reason:');
    await expect(card).toContainText('previous read 1075');
    await expectAccessible(page, 'read exception queue');
    await card.getByRole('button', { name: 'Correct the value' }).focus();
    await page.keyboard.press('Enter');
    await card.getByLabel('Corrected reading').fill('1090');
    await card.getByLabel('Note').fill('Reader keyed 1900 for 1090');
    await card.getByLabel('Note').press('Enter');
    await expect(card).toHaveCount(0);

    await page.getByLabel('Show').selectOption('all');
    const done = page.getByRole('article').filter({ hasText: `Account ${a.number}` });
    await expect(done).toContainText('corrected');
    await expect(done).toContainText('Reader keyed 1900 for 1090');

    await page.getByRole('link', { name: `Account ${a.number}` }).first().click();
    await expect(reads.getByRole('row').filter({ hasText: '1090' }).first()).toContainText('accepted');
  });

  test('route export downloads and route results import shows counts and per-line errors', async ({ page, playwright }) => {
    const api = await apiAs(playwright, 'csr3');
    const a = await newAccount(api);
    const csv = await api.ctx.get('/api/v1/billing/routes/R01/export');
    expect(csv.status()).toBe(200);
    expect(csv.headers()['content-type']).toContain('text/csv');
    expect(await csv.text()).toContain('meter_serial');
    await api.dispose();

    await signIn(page, 'csr3');
    await page.goto('/billing/routes');
    await expect(page.getByRole('heading', { name: 'Routes and read imports' })).toBeVisible();
    await expect(page.getByRole('link', { name: 'Download route R01 (CSV)' })).toHaveAttribute('href', '/api/v1/billing/routes/R01/export');
    await expectAccessible(page, 'routes and read imports');
    const file = [
      'meter_serial,read_value,read_on,read_by,note',
      `${a.serial},1075,${daysAgo(25)},E2E reader,`,
      `NOSUCHMETER${a.serial},1234,${daysAgo(25)},E2E reader,`,
      `${a.serial},,,,dog in yard`,
    ].join('\n');
    await page.getByLabel('Or paste the file').fill(file);
    await page.getByRole('button', { name: 'Import the reads' }).click();
    const result = page.getByTestId('import-result');
    await expect(result).toContainText('3 rows: 1 accepted');
    await expect(result).toContainText('1 refused');
    await expect(page.getByRole('table', { name: 'Refused lines' }).getByRole('row').nth(1)).toContainText('3');
    await expectAccessible(page, 'import result');

    // The same file again stores nothing new.
    await page.getByRole('button', { name: 'Import the reads' }).click();
    await expect(result).toContainText('0 accepted');
    await expect(result).toContainText('1 already stored');
  });

  test('rate what-if prices a usage figure with every line explained', async ({ page }) => {
    await signIn(page, 'csr1');
    await page.goto('/billing/what-if');
    await expect(page.getByRole('heading', { name: 'Rate what-if', level: 1 })).toBeVisible();
    await page.getByLabel('Usage in CCF').fill('14');
    await page.getByRole('button', { name: 'Price it' }).click();
    const lines = page.getByRole('table', { name: 'What-if charges' });
    await expect(lines.getByRole('row').filter({ hasText: 'Total' })).toContainText('$');
    await expect(lines).toContainText('CCF');
    await expectAccessible(page, 'rate what-if');
  });

  test('a supervisor runs a cycle, opens the bill with its explanations and PDF, rebills and cancels', async ({ page, playwright }) => {
    const api = await apiAs(playwright, 'csr3');
    const a = await newAccount(api);
    await api.dispose();

    await signIn(page, 'supervisor');
    await page.goto('/billing/runs');
    await expect(page.getByRole('heading', { name: 'Bill runs', level: 1 })).toBeVisible();
    await expectAccessible(page, 'bill runs');
    await page.getByRole('textbox', { name: 'Cycle' }).click();
    await page.getByRole('option', { name: /^C1 ·/ }).click();
    await page.getByLabel('Period end (YYYY-MM-DD)').fill(daysAgo(40));
    await page.getByRole('button', { name: 'Start the run' }).click();
    const progress = page.getByTestId('run-progress');
    await expect(progress).toContainText('Finished', { timeout: 60_000 });
    await expect(progress.getByRole('progressbar')).toBeVisible();
    await expectAccessible(page, 'bill run progress');

    await page.goto(`/billing/accounts/${a.number}`);
    const bills = page.getByRole('table', { name: 'Bills' });
    await expect(bills.getByRole('row')).toHaveCount(2);
    await bills.getByRole('link', { name: /^Open bill / }).click();
    await expect(page.getByRole('heading', { name: new RegExp(`^Bill \\d+ · account ${a.number}$`) })).toBeVisible();
    await expect(page.getByRole('table', { name: 'Water charges' })).toContainText('Fixed charge');
    await expect(page.getByRole('table', { name: 'Sewer charges' })).toBeVisible();
    await expect(page.getByTestId('explanation').first()).toContainText('=');
    await expectAccessible(page, 'bill page');
    const billId = page.url().split('/').pop();
    const pdf = await page.request.get(`/api/v1/billing/bills/${billId}/pdf`);
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()['content-type']).toContain('application/pdf');
    expect((await pdf.body()).subarray(0, 5).toString()).toBe('%PDF-');

    await page.getByRole('button', { name: 'Rebill' }).click();
    await page.getByRole('dialog').getByLabel('Reason').fill('Meter size corrected');
    await page.getByRole('dialog').getByRole('button', { name: 'Rebill' }).click();
    await expect(page).not.toHaveURL(new RegExp(`/billing/bills/${billId}$`));
    await expect(page.getByText(`rebill of bill ${billId}`)).toBeVisible();

    await page.getByRole('button', { name: 'Cancel the bill' }).click();
    await page.getByRole('dialog').getByLabel('Reason').fill('Account closed in error');
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel the bill' }).click();
    await expect(page.getByTestId('cancel-reason')).toContainText('Account closed in error');
    await expectAccessible(page, 'cancelled bill');
  });
});
