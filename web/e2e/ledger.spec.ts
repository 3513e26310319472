import { expect, test, type Page } from '@playwright/test';
import { expectAccessible, signIn, uniquePhone, uniqueWord } from './helpers';

// Runs against a real server with the demo City (see README). Each test makes its own customers.

async function csrf(page: Page): Promise<string> {
  const res = await page.request.get('/api/v1/session');
  expect(res.ok()).toBeTruthy();
  return (await res.json()).csrf_token as string;
}

/** A new customer through the API, in the signed-in user's session. */
async function createParty(page: Page, prefix: string): Promise<{ id: number; name: string }> {
  const first = uniqueWord(prefix);
  const last = uniqueWord('Ledger');
  const res = await page.request.post('/api/v1/parties', {
    headers: { 'X-CSRF-Token': await csrf(page) },
    data: {
      kind: 'person',
      first_name: first,
      last_name: last,
      addresses: [{ kind: 'mailing', line1: `${100 + Math.floor(Math.random() * 800)} ${uniqueWord('L')} St`, city: 'Riverton', state: 'CA', postal_code: '95501' }],
      phones: [{ kind: 'mobile', number: uniquePhone() }],
      confirm_duplicates: true,
    },
  });
  expect(res.status(), await res.text()).toBe(201);
  return { id: (await res.json()).id as number, name: `${first} ${last}` };
}

async function apiPost(page: Page, path: string, data: unknown): Promise<unknown> {
  const res = await page.request.post(path, {
    headers: { 'X-CSRF-Token': await csrf(page), 'Idempotency-Key': crypto.randomUUID() },
    data,
  });
  expect(res.status(), await res.text()).toBeLessThan(300);
  return res.json();
}

async function apiCharge(page: Page, partyId: number, description: string, amount: string) {
  return apiPost(page, '/api/v1/obligations', {
    party_id: partyId, kind: 'utility_bill', description, due_date: '2030-01-31',
    lines: [{ description, revenue_account: '4000-WATER', amount }],
  });
}

const nav = (page: Page) => page.getByRole('navigation', { name: 'Main navigation' });

test('csr2 charges a new customer, takes a payment, and sees the balance and the ledger in plain words', async ({ page }) => {
  test.setTimeout(90_000);
  await signIn(page, 'csr2');
  const party = await createParty(page, 'Chargea');
  await page.goto(`/parties/${party.id}`);
  await expect(page.getByTestId('party-name')).toHaveText(party.name);
  await expect(page.getByTestId('obligations')).toContainText('Nothing owed');
  await expect(page.getByTestId('balance-owes')).toContainText('$0.00');
  await expect(nav(page).getByRole('link', { name: 'Approvals' })).toHaveCount(0);
  await expectAccessible(page, 'customer page with no charges');

  // New charge.
  await page.getByRole('button', { name: 'New charge' }).click();
  const chargeDialog = page.getByRole('dialog', { name: /New charge/ });
  await expect(chargeDialog).toBeVisible();
  await chargeDialog.getByLabel('Kind').selectOption({ label: 'Utility bill' });
  await chargeDialog.getByRole('textbox', { name: 'Description', exact: true }).fill('Water service March');
  await chargeDialog.getByLabel('Line 1 revenue account').selectOption('4000-WATER');
  await chargeDialog.getByLabel('Line 1 amount').fill('120.00');
  await expectAccessible(page, 'new charge dialog');
  await chargeDialog.getByRole('button', { name: 'Post charge' }).click();
  await expect(chargeDialog.getByRole('status')).toContainText('Charged $120.00');
  await chargeDialog.getByRole('button', { name: 'Done' }).click();
  await expect(page.getByTestId('balance-owes')).toContainText('$120.00');
  await expect(page.getByTestId('kind-utility_bill')).toContainText('Water service March');
  await expect(page.getByTestId('kind-utility_bill')).toContainText('1 open · owes $120.00');

  // Take a payment; the result shows where it went.
  await page.getByRole('button', { name: 'Take payment' }).click();
  const payDialog = page.getByRole('dialog', { name: /Take a payment/ });
  await payDialog.getByRole('textbox', { name: 'Amount', exact: true }).fill('50');
  await payDialog.getByLabel('Tender').selectOption('cash');
  await expectAccessible(page, 'take payment dialog');
  // A double click is one payment: the button is busy after the first, and both carry one key.
  await payDialog.getByRole('button', { name: 'Post payment' }).dblclick();
  const result = payDialog.getByTestId('action-result');
  await expect(result).toContainText(/Payment no\. \d+ of \$50\.00 by cash posted/);
  await expect(result.getByRole('table', { name: 'Where the payment went' })).toContainText('Water service March');
  await expect(result).toContainText('no credit left over');
  await expectAccessible(page, 'payment result');
  await payDialog.getByRole('button', { name: 'Done' }).click();
  await expect(page.getByTestId('balance-owes')).toContainText('$70.00');

  // Ledger tab: entries in plain words.
  await page.getByRole('tab', { name: 'Ledger' }).click();
  const entries = page.getByTestId('ledger-entries');
  await expect(entries).toContainText(/Payment:\s*Payment of \$50\.00 by cash/);
  await expect(entries).toContainText('owes $50.00 less');
  await expect(entries).toContainText('Water service March');
  await expect(entries.locator('tbody tr')).toHaveCount(2);
  await expectAccessible(page, 'ledger tab');

  await page.getByRole('tab', { name: 'Payments' }).click();
  await expect(page.getByTestId('payments').locator('tbody tr')).toHaveCount(1);
  await expect(page.getByTestId('payments')).toContainText('$50.00');
  await expectAccessible(page, 'payments tab');

  await page.getByRole('tab', { name: 'Refunds' }).click();
  await expect(page.getByText('No refunds.')).toBeVisible();

  // Statement of account for the period.
  await page.getByRole('link', { name: 'Statement' }).click();
  await expect(page.getByRole('heading', { name: 'Statement of account' })).toBeVisible();
  const statement = page.getByTestId('statement');
  await expect(statement).toContainText(party.name);
  await expect(statement).toContainText('Water service March');
  await expect(statement.getByRole('table', { name: 'Statement entries' })).toContainText('$70.00');
  const pdf = page.getByRole('link', { name: /PDF of the statement/ });
  await expect(pdf).toHaveAttribute('href', new RegExp(`/api/v1/parties/${party.id}/statement\\?from=.*&to=.*&format=pdf`));
  const pdfRes = await page.request.get((await pdf.getAttribute('href'))!);
  expect(pdfRes.status()).toBe(200);
  expect(pdfRes.headers()['content-type']).toContain('application/pdf');
  await expectAccessible(page, 'statement');
});

test('csr2 asks for a $300 credit adjustment, it is sent for approval, and a supervisor approves it', async ({ page, browser }) => {
  test.setTimeout(120_000);
  await signIn(page, 'csr2');
  const party = await createParty(page, 'Adjusta');
  await apiCharge(page, party.id, 'Water service leak month', '400.00');
  await page.goto(`/parties/${party.id}`);
  await expect(page.getByTestId('balance-owes')).toContainText('$400.00');

  await page.getByRole('button', { name: 'Adjust Water service leak month' }).click();
  const dialog = page.getByRole('dialog', { name: /Adjust/ });
  await expect(dialog).toContainText('Your adjustment authority as Customer Service Representative II: up to $25.00');
  await dialog.getByRole('textbox', { name: 'Amount', exact: true }).fill('300.00');
  await dialog.getByLabel('Reason').selectOption({ label: 'Leak adjustment' });
  await dialog.getByRole('textbox', { name: 'Note', exact: true }).fill('Leak repaired, per policy');
  await expect(dialog.getByRole('button', { name: 'Send for approval' })).toBeVisible();
  await expectAccessible(page, 'adjust dialog');
  await dialog.getByRole('button', { name: 'Send for approval' }).click();
  const sent = dialog.getByTestId('sent-for-approval');
  await expect(sent).toContainText(/Adjustments over \$25\.00 need a .*Supervisor — sent for approval/);
  await expectAccessible(page, 'sent for approval');
  const requestNo = (await sent.textContent())!.match(/request no\. (\d+)/)![1];
  await dialog.getByRole('button', { name: 'Done' }).click();
  // Nothing posted yet.
  await expect(page.getByTestId('balance-owes')).toContainText('$400.00');

  // csr2 has no Approvals page.
  await expect(nav(page).getByRole('link', { name: 'Approvals' })).toHaveCount(0);
  await page.goto('/approvals');
  await expect(page.getByRole('alert')).toContainText(/Your role \(.+\) cannot approve adjustments or refunds/);

  // The supervisor approves it with a note.
  const ctx = await browser.newContext();
  const sup = await ctx.newPage();
  await signIn(sup, 'supervisor');
  await nav(sup).getByRole('link', { name: 'Approvals' }).click();
  await expect(sup.getByRole('heading', { name: 'Approvals' })).toBeVisible();
  const row = sup.getByTestId(`approval-${requestNo}`);
  await expect(row).toContainText(party.name);
  await expect(row).toContainText('$300.00');
  await expect(row).toContainText('Leak adjustment');
  await expect(row).toContainText('csr2');
  await expectAccessible(sup, 'approvals page');
  await row.getByRole('button', { name: `Approve request no. ${requestNo}` }).click();
  const decide = sup.getByRole('dialog', { name: `Approve request no. ${requestNo}` });
  await decide.getByRole('textbox', { name: 'Note', exact: true }).fill('Checked the repair invoice');
  await expectAccessible(sup, 'decision dialog');
  await decide.getByRole('button', { name: 'Approve' }).click();
  await expect(decide.getByRole('status')).toContainText(`Request no. ${requestNo} approved`);
  await decide.getByRole('button', { name: 'Done' }).click();
  await expect(sup.getByTestId(`approval-${requestNo}`)).toHaveCount(0);
  await sup.getByRole('radiogroup', { name: 'Which requests' }).getByText('Approved', { exact: true }).click();
  await expect(sup).toHaveURL(/status=approved/);
  await expect(sup.getByTestId(`approval-${requestNo}`)).toContainText('Checked the repair invoice');
  await ctx.close();

  // Back at csr2: the adjustment is posted.
  await page.goto(`/parties/${party.id}?tab=ledger`);
  await expect(page.getByTestId('balance-owes')).toContainText('$100.00');
  await expect(page.getByTestId('ledger-entries')).toContainText('Credit adjustment $300.00');
});

test('a refund waits for a different user: the requester is refused in place, finance approves and issues it', async ({ page, browser }) => {
  test.setTimeout(120_000);
  await signIn(page, 'supervisor');
  const party = await createParty(page, 'Refunda');
  await apiCharge(page, party.id, 'Deposit overpaid', '10.00');
  await apiPost(page, '/api/v1/payments', { party_id: party.id, amount: '30.00', tender: 'cash', channel: 'counter' });
  await page.goto(`/parties/${party.id}`);
  await expect(page.getByTestId('balance-credit')).toContainText('$20.00');

  await page.getByRole('button', { name: 'Request refund' }).click();
  const dialog = page.getByRole('dialog', { name: /Request a refund/ });
  await expect(dialog.getByRole('textbox', { name: 'Amount', exact: true })).toHaveValue('20.00');
  await expectAccessible(page, 'refund request dialog');
  await dialog.getByRole('button', { name: 'Request refund' }).click();
  await expect(dialog.getByRole('status')).toContainText('sent for approval');
  await dialog.getByRole('button', { name: 'Done' }).click();

  // The requester may not decide it: the refusal is shown where it happened.
  await page.goto('/approvals');
  const row = page.locator('[data-testid^="approval-"]', { hasText: party.name });
  await expect(row).toBeVisible();
  await row.getByRole('button', { name: /^Approve request no\./ }).click();
  const decide = page.getByRole('dialog', { name: /^Approve request no\./ });
  await decide.getByRole('button', { name: 'Approve' }).click();
  await expect(decide.getByRole('alert')).toContainText('a different user must decide this request');
  await expectAccessible(page, 'refused decision');
  await decide.getByRole('button', { name: 'Cancel' }).click();
  await expect(row.getByRole('alert')).toContainText('a different user must decide this request');

  // Finance approves, then issues it from the customer's Refunds tab.
  const ctx = await browser.newContext();
  const fin = await ctx.newPage();
  await signIn(fin, 'finance');
  await fin.goto('/approvals');
  const frow = fin.locator('[data-testid^="approval-"]', { hasText: party.name });
  await frow.getByRole('button', { name: /^Approve request no\./ }).click();
  const fdecide = fin.getByRole('dialog', { name: /^Approve request no\./ });
  await fdecide.getByRole('button', { name: 'Approve' }).click();
  await expect(fdecide.getByRole('status')).toContainText('approved');
  await fdecide.getByRole('button', { name: 'Done' }).click();
  await fin.goto(`/parties/${party.id}?tab=refunds`);
  await expect(fin.getByTestId('refunds')).toContainText('Approved — to issue');
  await fin.getByRole('button', { name: /^Issue refund no\./ }).click();
  const issue = fin.getByRole('dialog', { name: /^Issue refund no\./ });
  await issue.getByRole('textbox', { name: 'Check number' }).fill('100234');
  await issue.getByRole('button', { name: 'Issue refund' }).click();
  await expect(issue.getByRole('status')).toContainText('issued on check 100234');
  await issue.getByRole('button', { name: 'Done' }).click();
  await expect(fin.getByTestId('refunds')).toContainText('Issued');
  await expect(fin.getByTestId('balance-credit')).toContainText('$0.00');
  await expectAccessible(fin, 'refunds tab');
  await ctx.close();
});

test('a returned check charges the fee and shows the result; reports open for a supervisor', async ({ page }) => {
  test.setTimeout(120_000);
  await signIn(page, 'supervisor');
  const party = await createParty(page, 'Returna');
  await apiCharge(page, party.id, 'Water service April', '80.00');
  await apiPost(page, '/api/v1/payments', { party_id: party.id, amount: '80.00', tender: 'check', channel: 'mail', reference: '5512' });
  await page.goto(`/parties/${party.id}?tab=payments`);
  await expect(page.getByTestId('balance-owes')).toContainText('$0.00');
  await page.getByRole('button', { name: /^Return payment no\./ }).click();
  const dialog = page.getByRole('dialog', { name: /^Return payment no\./ });
  await dialog.getByLabel('Reason').selectOption('nsf');
  await expectAccessible(page, 'return payment dialog');
  await dialog.getByRole('button', { name: 'Return payment' }).click();
  const result = dialog.getByTestId('action-result');
  await expect(result).toContainText('What it paid is owed again');
  await expect(result).toContainText(/Returned-payment fee charged: \$\d+\.\d\d/);
  await expect(result).toContainText('Returned payments on this customer: 1');
  await dialog.getByRole('button', { name: 'Done' }).click();
  await expect(page.getByTestId('balance-returns')).toContainText('1');
  await expect(page.getByTestId('payments')).toContainText('Returned');

  await nav(page).getByRole('link', { name: 'Reports' }).click();
  await expect(page.getByRole('heading', { name: 'Reports' })).toBeVisible();
  const aging = page.getByTestId('aging');
  await expect(aging.getByRole('table')).toContainText('All funds');
  await expect(aging.getByRole('img', { name: /aging by fund/i })).toBeVisible();
  await expectAccessible(page, 'aging report');
  await page.getByRole('tab', { name: 'Trial balance' }).click();
  await expect(page.getByTestId('trial-balance')).toContainText('Water Utility Fund');
  await expect(page.getByTestId('trial-balance').getByText('Out of balance')).toHaveCount(0);
  await expectAccessible(page, 'trial balance');
  await page.getByRole('tab', { name: 'Journal export' }).click();
  const link = page.getByRole('link', { name: /Download the journal/ });
  const csv = await page.request.get((await link.getAttribute('href'))!);
  expect(csv.status()).toBe(200);
  expect(csv.headers()['content-type']).toContain('text/csv');
  await expectAccessible(page, 'journal export');
});

test('a payment whose answer is lost is retried with the same Idempotency-Key and posted once', async ({ page }) => {
  test.setTimeout(90_000);
  await signIn(page, 'csr2');
  const party = await createParty(page, 'Retrya');
  await apiCharge(page, party.id, 'Water service May', '60.00');
  await page.goto(`/parties/${party.id}`);
  await expect(page.getByTestId('balance-owes')).toContainText('$60.00');

  // The first attempt reaches the server, but its answer never reaches the browser.
  const keys: string[] = [];
  await page.route('**/api/v1/payments', async (route) => {
    keys.push(route.request().headers()['idempotency-key'] ?? '');
    if (keys.length === 1) {
      await route.fetch();
      await route.abort('failed');
    } else {
      await route.continue();
    }
  });
  await page.getByRole('button', { name: 'Take payment' }).click();
  const dialog = page.getByRole('dialog', { name: /Take a payment/ });
  await dialog.getByRole('textbox', { name: 'Amount', exact: true }).fill('25.00');
  await dialog.getByRole('button', { name: 'Post payment' }).click();
  await expect(dialog.getByTestId('refusal')).toContainText('Trying again is safe');
  await dialog.getByRole('button', { name: 'Post payment' }).click();
  await expect(dialog.getByTestId('action-result')).toContainText('of $25.00 by cash posted');
  expect(keys).toHaveLength(2);
  expect(keys[0]).not.toBe('');
  expect(keys[1]).toBe(keys[0]);
  await dialog.getByRole('button', { name: 'Done' }).click();
  await page.unroute('**/api/v1/payments');

  await expect(page.getByTestId('balance-owes')).toContainText('$35.00');
  await page.getByRole('tab', { name: 'Payments' }).click();
  await expect(page.getByTestId('payments').locator('tbody tr')).toHaveCount(1);

  // The next payment is a new intended action: a new key.
  await page.route('**/api/v1/payments', async (route) => {
    keys.push(route.request().headers()['idempotency-key'] ?? '');
    await route.continue();
  });
  await page.getByRole('button', { name: 'Take payment' }).click();
  await dialog.getByRole('textbox', { name: 'Amount', exact: true }).fill('5.00');
  await dialog.getByRole('button', { name: 'Post payment' }).click();
  await expect(dialog.getByTestId('action-result')).toContainText('of $5.00 by cash posted');
  expect(keys[2]).not.toBe(keys[0]);
});
