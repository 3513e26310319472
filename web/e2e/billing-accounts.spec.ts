// Account maintenance and late penalties: a CSR sets a dispute hold with its reason, edits the
// flags and mailing address, adds a service, installs a meter, and closes the account at move-out
// with its final bill; a supervisor runs the penalty job for a date and sees its counts and list.
// Each test opens its own customer, premise and account through the API (unique names), so the
// tests pass on a fresh demo City, in any order and twice on the same database.
import { expect, test } from '@playwright/test';
import { apiAs } from './counterApi';
import { expectAccessible, signIn, uniqueWord } from './helpers';

function daysAgo(n: number): string {
  // A day's margin behind UTC: the City's today (Pacific) may be yesterday in UTC terms.
  const d = new Date(Date.now() - (n + 1) * 86_400_000);
  return d.toISOString().slice(0, 10);
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

  test('a supervisor assesses the late penalties of a date and sees the counts and the list', async ({ page }) => {
    await signIn(page, 'supervisor');
    await page.goto('/billing');
    await page.getByRole('navigation', { name: 'Billing pages' }).getByRole('link', { name: 'Penalties' }).click();
    await expect(page.getByRole('heading', { name: 'Late penalties', level: 1 })).toBeVisible();
    await expectAccessible(page, 'penalties page');
    const date = daysAgo(0);
    await page.getByLabel('Penalty date (YYYY-MM-DD)').fill('not a date');
    await page.getByRole('button', { name: 'Assess penalties' }).click();
    await expect(page.getByLabel('Penalty date (YYYY-MM-DD)')).toHaveAttribute('aria-invalid', 'true');
    await page.getByLabel('Penalty date (YYYY-MM-DD)').fill(date);
    await page.getByRole('button', { name: 'Assess penalties' }).click();
    const result = page.getByTestId('penalty-result');
    await expect(result).toContainText(/Assessed: \d+ · skipped \(dispute\): \d+ · skipped \(payment arrangement\): \d+ · total: \$[\d,]+\.\d\d/);
    const [d, m, y] = [date.slice(8, 10), date.slice(5, 7), date.slice(0, 4)];
    await expect(page.getByRole('heading', { name: `Assessed on ${m}/${d}/${y}` })).toBeVisible();
    // The list for the date: every penalty of the date (this run's and any earlier run's).
    const listed = await page.request.get(`/api/v1/billing/penalties?as_of=${date}`);
    expect(listed.status()).toBe(200);
    const body = await listed.json();
    const assessed = Number((await result.textContent())?.match(/Assessed: (\d+)/)?.[1] ?? '0');
    expect(body.count).toBeGreaterThanOrEqual(assessed);
    if (body.count > 0) await expect(page.getByRole('table', { name: 'Penalties assessed' }).getByRole('row')).toHaveCount(Math.min(body.count, 500) + 1);
    else await expect(page.getByText('No penalty was assessed on this date.')).toBeVisible();
    await expectAccessible(page, 'penalties result');

    // Running the date again assesses nothing twice.
    await page.getByRole('button', { name: 'Assess penalties' }).click();
    await expect(result).toContainText('Assessed: 0 ·');
  });
});
