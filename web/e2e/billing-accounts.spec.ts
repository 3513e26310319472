// Account maintenance and late penalties: a CSR sets a dispute hold with its reason, edits the
// flags and mailing address, adds a service, installs a meter, and closes the account at move-out
// with its final bill; a supervisor runs the penalty job for a date and sees its counts and list.
// Each test opens its own customer, premise and account through the API (unique names), so the
// tests pass on a fresh demo City, in any order and twice on the same database.
import { expect, test } from '@playwright/test';
import { apiAs, BASE, type Api } from './counterApi';
import { DEMO_PASSWORD, expectAccessible, signIn, uniqueWord } from './helpers';

function daysAgo(n: number): string {
  // A day's margin behind UTC: the City's today (Pacific) may be yesterday in UTC terms.
  const d = new Date(Date.now() - (n + 1) * 86_400_000);
  return d.toISOString().slice(0, 10);
}

/** PUT as a demo user (the shared API client has no PUT). */
async function putAs(playwright: Parameters<typeof apiAs>[0], username: string, path: string, data: unknown) {
  const ctx = await playwright.request.newContext({ baseURL: BASE });
  const session = await ctx.post('/api/v1/session', { data: { username, password: DEMO_PASSWORD } });
  expect(session.status()).toBe(200);
  const csrf = (await session.json()).csrf_token as string;
  const r = await ctx.put(path, { headers: { 'X-CSRF-Token': csrf }, data });
  expect(r.status(), await r.text()).toBe(200);
  await ctx.dispose();
}

/** A customer who moved out 10 days ago: water from 60 days ago, 30 CCF used, the final bill issued. */
async function closedWithFinalBill(api: Api): Promise<{ number: number; due: string }> {
  const tag = uniqueWord('');
  const party = await api.post('/api/v1/parties', { kind: 'business', business_name: `Zp ${tag} Tenant`, confirm_duplicates: true }, 201);
  const street = `${7000 + Math.floor(Math.random() * 900)} ${tag.charAt(0).toUpperCase()}${tag.slice(1)} Court`;
  const premise = await api.post('/api/v1/billing/premises', { line1: street, city: 'Riverton', state: 'CA', postal_code: '95501' }, 201);
  const acct = await api.post('/api/v1/billing/accounts', {
    party_id: party.id, premise_id: premise.id, cycle: 'C1', opened_on: daysAgo(60), services: [{ kind: 'water', rate_class: 'RES' }],
  }, 201);
  await api.post(`/api/v1/billing/accounts/${acct.number}/meters`, { serial: `ZP${tag.slice(0, 6).toUpperCase()}`, dials: 5, unit: 'ccf', size: '5/8"', installed_on: daysAgo(60), initial_read: 1000 }, 201);
  await api.post(`/api/v1/billing/accounts/${acct.number}/reads`, { value: 1030, read_on: daysAgo(10) }, 201);
  const closed = await api.post(`/api/v1/billing/accounts/${acct.number}/close`, { closed_on: daysAgo(10), final_bill: true }, 200);
  expect(closed.final_bill_error, JSON.stringify(closed.final_bill_error)).toBeNull();
  return { number: acct.number, due: closed.final_bill.due_date };
}

test.describe('utility account maintenance', () => {
  test.setTimeout(120_000);

  test('hold, flags, a service, a meter, and the close with its final bill', async ({ page, playwright }) => {
    const api = await apiAs(playwright, 'csr3');
    const tag = uniqueWord('');
    const name = `Zm ${tag} Household`;
    const party = await api.post('/api/v1/parties', { kind: 'business', business_name: name, confirm_duplicates: true }, 201);
    const street = `${8000 + Math.floor(Math.random() * 900)} ${tag.charAt(0).toUpperCase()}${tag.slice(1)} Lane`;
    const premise = await api.post('/api/v1/billing/premises', { line1: street, city: 'Riverton', state: 'CA', postal_code: '95501' }, 201);
    const acct = await api.post('/api/v1/billing/accounts', {
      party_id: party.id, premise_id: premise.id, cycle: 'C1', opened_on: daysAgo(60),
      services: [{ kind: 'water', rate_class: 'RES' }],
    }, 201);
    const n = acct.number as number;

    await signIn(page, 'csr3');
    await page.goto(`/billing/accounts/${n}`);
    await expect(page.getByRole('heading', { name: `Utility account ${n}` })).toBeVisible();
    const status = page.getByTestId('holds-status');
    await expect(status).toContainText('No penalty hold');
    await expectAccessible(page, 'account page with maintenance');

    // A dispute: the hold with the reason the customer gave.
    // From the keyboard, as a CSR on a call would.
    const dispute = page.getByRole('switch', { name: 'In dispute' });
    await dispute.focus();
    await page.keyboard.press('Space');
    await expect(dispute).toBeChecked();
    await page.getByRole('button', { name: 'Save the holds' }).click();
    await expect(page.getByLabel('Reason for the hold change')).toHaveAttribute('aria-invalid', 'true');
    await page.getByLabel('Reason for the hold change').fill('Customer says the meter was misread');
    await page.getByRole('button', { name: 'Save the holds' }).click();
    await expect(status).toContainText('Late penalties held: in dispute');
    const view = await api.get(`/api/v1/billing/accounts/${n}`);
    expect(view.holds).toEqual({ in_dispute: true, payment_arrangement: false });

    // Flags and a mailing address; a half address names the missing field.
    await page.getByRole('button', { name: 'Edit flags and mailing address' }).click();
    const details = page.getByRole('dialog', { name: 'Flags, mailing address and deposit' });
    await details.getByLabel('Cash only (returned payments: no checks)').check();
    await details.getByLabel('Mailing line 1').fill(`PO Box ${tag.length}1`);
    await details.getByRole('button', { name: 'Save the changes' }).click();
    await expect(details.getByRole('alert')).toContainText('mailing.city');
    await expectAccessible(page, 'flags and mailing address dialog');
    await details.getByLabel('Mailing city').fill('Riverton');
    await details.getByLabel('Mailing state').fill('CA');
    await details.getByLabel('Mailing postal code').fill('95501');
    await details.getByRole('button', { name: 'Save the changes' }).click();
    await expect(details).toHaveCount(0);
    await expect(page.getByLabel('Account flags')).toContainText('Cash only');
    await expect(page.getByText(`Mail to: PO Box ${tag.length}1, Riverton, CA, 95501`)).toBeVisible();

    // Sewer added from the opening day.
    await page.getByRole('button', { name: 'Add a service' }).click();
    const service = page.getByRole('dialog', { name: 'Add a service' });
    await service.getByRole('textbox', { name: 'Service' }).click();
    await page.getByRole('option', { name: 'Sewer' }).click();
    await service.getByLabel('First day served (YYYY-MM-DD)').fill(daysAgo(60));
    await expectAccessible(page, 'add a service dialog');
    await service.getByRole('button', { name: 'Add the service' }).click();
    await expect(service).toHaveCount(0);
    await expect(page.getByRole('table', { name: 'Services' }).getByRole('row').filter({ hasText: 'Sewer' })).toContainText('RES');

    // The meter installed on the opening day.
    const serial = `ZM${tag.slice(0, 6).toUpperCase()}`;
    await page.getByRole('button', { name: 'Install a meter' }).click();
    const meter = page.getByRole('dialog', { name: 'Install a meter' });
    await meter.getByLabel('Meter serial').fill(serial);
    await meter.getByLabel('Install date (YYYY-MM-DD)').fill(daysAgo(60));
    await meter.getByLabel('Initial read').fill('1000');
    await expectAccessible(page, 'install a meter dialog');
    await meter.getByRole('button', { name: 'Install the meter' }).click();
    await expect(meter).toHaveCount(0);
    await expect(page.getByTestId('maintenance-status')).toContainText(`Meter ${serial} installed`);
    await expect(page.getByRole('table', { name: 'Meters and install history' }).getByRole('row').filter({ hasText: serial })).toContainText('Current');

    // The final read (the field's), then the move-out with the final bill.
    await api.post(`/api/v1/billing/accounts/${n}/reads`, { value: 1040, read_on: daysAgo(10) }, 201);
    await api.dispose();
    await page.getByRole('button', { name: 'Close the account' }).click();
    const close = page.getByRole('dialog', { name: `Close account ${n}` });
    await close.getByLabel('Close date (YYYY-MM-DD)').fill(daysAgo(10));
    await expect(close.getByLabel('Issue the final bill now')).toBeChecked();
    await expectAccessible(page, 'close account dialog');
    await close.getByRole('button', { name: 'Close the account' }).click();
    const result = page.getByTestId('close-result');
    await expect(result).toContainText(`Account closed on`);
    await expect(result).toContainText('Stopped: water, sewer');
    await expect(result).toContainText('Final bill');
    await expect(page.getByText(/^Status: closed/)).toBeVisible();
    await expect(page.getByRole('button', { name: 'Close the account' })).toHaveCount(0);
    await expect(page.getByRole('table', { name: 'Bills' }).getByRole('row').filter({ hasText: 'final' })).toHaveCount(1);
    await expectAccessible(page, 'closed account');
    await result.getByRole('link').click();
    await expect(page.getByRole('heading', { name: new RegExp(`^Bill \\d+ · account ${n}$`) })).toBeVisible();
  });

  test('a supervisor assesses the late penalties of a date and sees the counts and the list', async ({ page, playwright }) => {
    // Two moved-out customers with unpaid final bills; one disputes it.
    const api = await apiAs(playwright, 'csr3');
    const owing = await closedWithFinalBill(api);
    const disputing = await closedWithFinalBill(api);
    await api.dispose();
    await putAs(playwright, 'csr3', `/api/v1/billing/accounts/${disputing.number}/holds`,
      { in_dispute: true, payment_arrangement: false, reason: 'Disputes the final read' });
    // Well past the due date and the City's grace days.
    const asOf = new Date(Date.parse(`${owing.due}T00:00:00Z`) + 30 * 86_400_000).toISOString().slice(0, 10);

    await signIn(page, 'supervisor');
    await page.goto('/billing');
    await page.getByRole('navigation', { name: 'Billing pages' }).getByRole('link', { name: 'Penalties' }).click();
    await expect(page.getByRole('heading', { name: 'Late penalties', level: 1 })).toBeVisible();
    await expectAccessible(page, 'penalties page');
    await page.getByLabel('Penalty date (YYYY-MM-DD)').fill('not a date');
    await page.getByRole('button', { name: 'Assess penalties' }).click();
    await expect(page.getByLabel('Penalty date (YYYY-MM-DD)')).toHaveAttribute('aria-invalid', 'true');
    await page.getByLabel('Penalty date (YYYY-MM-DD)').fill(asOf);
    await page.getByRole('button', { name: 'Assess penalties' }).click();
    const result = page.getByTestId('penalty-result');
    await expect(result).toContainText(/Assessed: [1-9]\d* · skipped \(dispute\): [1-9]\d* · skipped \(payment arrangement\): \d+ · total: \$[\d,]+\.\d\d/);
    const [y, m, d] = asOf.split('-');
    await expect(page.getByRole('heading', { name: `Assessed on ${m}/${d}/${y}` })).toBeVisible();
    const list = page.getByRole('table', { name: 'Penalties assessed' });
    await expect(list.getByRole('row').filter({ hasText: String(owing.number) })).toContainText('supervisor');
    await expect(list.getByRole('row').filter({ hasText: String(disputing.number) })).toHaveCount(0);
    await expectAccessible(page, 'penalties result');

    // Running the date again assesses nothing twice.
    await page.getByRole('button', { name: 'Assess penalties' }).click();
    await expect(result).toContainText('Assessed: 0 ·');
  });
});
