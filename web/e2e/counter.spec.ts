import { expect, test, type Page } from '@playwright/test';
import { expectAccessible, signIn, uniquePhone, uniqueWord } from './helpers';
import { apiAs, countOf, depositAll, ensureNoSession, newDrawer, type Api } from './counterApi';

// The counter against a real server with the demo City. Every test makes its own customers,
// obligations and drawer (a unique code and bank account), so it passes on a fresh database, in
// any order, and twice in a row; each cashier's leftover session is counted and closed first.

async function createParty(api: Api, prefix: string): Promise<{ id: number; name: string }> {
  const first = uniqueWord(prefix);
  const last = uniqueWord('Counter');
  const p = await api.post('/api/v1/parties', {
    kind: 'person', first_name: first, last_name: last,
    addresses: [{ kind: 'mailing', line1: `${100 + Math.floor(Math.random() * 800)} ${uniqueWord('C')} St`, city: 'Riverton', state: 'CA', postal_code: '95501' }],
    phones: [{ kind: 'mobile', number: uniquePhone() }],
    confirm_duplicates: true,
  }, 201);
  return { id: p.id as number, name: `${first} ${last}` };
}

async function charge(api: Api, partyId: number, kind: string, account: string, description: string, amount: string): Promise<{ id: number }> {
  return api.post('/api/v1/obligations', {
    party_id: partyId, kind, description, due_date: '2030-01-31',
    lines: [{ description, revenue_account: account, amount }],
  }, 201);
}

async function openSession(cashier: Api, drawer: string, float: Record<string, number> = { '20': 5 }) {
  return cashier.post('/api/v1/sessions', { drawer, float }, 201);
}

const nav = (page: Page) => page.getByRole('navigation', { name: 'Main navigation' });

/** At the counter: find the customer with the search box (F2) and take the top hit. */
async function findCustomer(page: Page, name: string) {
  await page.keyboard.press('F2');
  const box = page.getByTestId('counter-search');
  await expect(box).toBeFocused();
  await box.fill(name);
  await expect(page.getByRole('option', { name: new RegExp(name) })).toBeVisible();
  await box.press('Enter');
  await expect(page.getByRole('heading', { name, level: 2 })).toBeVisible();
}

test.describe('the counter', () => {
  test.describe.configure({ timeout: 120_000 });

  let sup: Api;
  let fin: Api;
  let csr2: Api;
  test.beforeEach(async ({ playwright }) => {
    sup = await apiAs(playwright, 'supervisor');
    fin = await apiAs(playwright, 'finance');
    csr2 = await apiAs(playwright, 'csr2');
    await ensureNoSession(csr2, sup, fin);
  });
  test.afterEach(async () => {
    await ensureNoSession(csr2, sup, fin);
    await Promise.all([sup.dispose(), fin.dispose(), csr2.dispose()]);
  });

  test('csr2 opens a drawer and takes cash with change; the change due is shown in large type', async ({ page }) => {
    const party = await createParty(csr2, 'Cashy');
    await charge(csr2, party.id, 'utility_bill', '4000-WATER', 'Water service April', '42.37');
    const drawer = await newDrawer(sup);

    await signIn(page, 'csr2');
    await nav(page).getByRole('link', { name: 'Counter' }).click();
    await expect(page.getByRole('heading', { name: 'Open a drawer' })).toBeVisible();
    await page.getByLabel('Drawer', { exact: true }).selectOption(drawer.code);
    const float = page.getByTestId('float-count');
    await float.getByLabel('$20 bills').fill('5');
    await float.getByLabel('Quarters').fill('40');
    await expect(page.getByTestId('float-count-total')).toHaveText('$110.00');
    await expectAccessible(page, 'open a drawer');
    await page.getByRole('button', { name: 'Open drawer' }).click();
    await expect(page.getByTestId('counter-session')).toContainText(`Drawer ${drawer.code}`);
    await expect(page.getByTestId('counter-search')).toBeFocused();

    await findCustomer(page, party.name);
    const box = page.getByRole('checkbox', { name: /Pay Water service April \(\$42\.37\)/ });
    await expect(box).toBeFocused();
    await page.keyboard.press('Space');
    await expect(page.getByTestId('cart-total')).toHaveText('$42.37');
    await page.keyboard.press('Alt+KeyC');
    const cash = page.getByRole('textbox', { name: 'Cash amount' });
    await expect(cash).toBeFocused();
    await expect(cash).toHaveValue('42.37');
    await cash.fill('50');
    await expect(page.getByTestId('tender-sums')).toContainText('Change $7.63');
    await expectAccessible(page, 'counter with a cart and a tender');
    await page.keyboard.press('F9');

    const receipt = page.getByTestId('receipt-panel');
    await expect(receipt.getByTestId('receipt-number')).toHaveText(`${drawer.code}-000001`);
    await expect(receipt.getByTestId('change-due-amount')).toHaveText('$7.63');
    const fontSize = await receipt.getByTestId('change-due-amount').evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
    expect(fontSize).toBeGreaterThanOrEqual(40);
    const paid = receipt.getByRole('table', { name: 'Paid on this receipt' });
    await expect(paid).toContainText(party.name);
    await expect(paid.getByRole('row').nth(1)).toContainText('$42.37');
    await expect(paid.getByRole('row').nth(1)).toContainText('$0.00');
    await expectAccessible(page, 'receipt panel');

    // The PDF receipt opens from the link; the printer refusal is shown where it happened.
    const pdf = receipt.getByRole('link', { name: /PDF of receipt/ });
    const pdfRes = await page.request.get((await pdf.getAttribute('href'))!);
    expect(pdfRes.status()).toBe(200);
    expect(pdfRes.headers()['content-type']).toContain('application/pdf');
    await receipt.getByRole('button', { name: 'Print receipt (ESC/POS)' }).click();
    await expect(receipt.getByRole('alert')).toContainText('this drawer has no receipt printer set');

    // The cashier never sees the running total of the drawer (float 110 + 42.37).
    await expect(page.locator('body')).not.toContainText('152.37');
    await page.keyboard.press('F8');
    await expect(page.getByTestId('counter-search')).toBeFocused();
    await expect(page.getByTestId('cart')).toContainText('Empty');
  });

  test('a split tender (check + cash) pays a water bill and a parking citation in one transaction', async ({ page }) => {
    const party = await createParty(csr2, 'Splitty');
    await charge(csr2, party.id, 'utility_bill', '4000-WATER', 'Water service May', '60.00');
    await charge(csr2, party.id, 'citation', '4000-PARKING', 'Parking citation P-77', '35.00');
    const drawer = await newDrawer(sup);
    await openSession(csr2, drawer.code);

    await signIn(page, 'csr2');
    await page.goto('/counter');
    await findCustomer(page, party.name);
    await page.getByRole('checkbox', { name: /Pay Water service May/ }).check();
    await page.getByRole('checkbox', { name: /Pay Parking citation P-77/ }).check();
    await expect(page.getByTestId('cart-total')).toHaveText('$95.00');
    // Directed amounts are editable: pay the citation in part, then back in full.
    await page.getByRole('textbox', { name: 'Amount for Parking citation P-77' }).fill('20.00');
    await expect(page.getByTestId('cart-total')).toHaveText('$80.00');
    await page.getByRole('textbox', { name: 'Amount for Parking citation P-77' }).fill('35.00');

    await page.keyboard.press('Alt+KeyK');
    const check = page.getByTestId('tender-0');
    await expect(check.getByRole('textbox', { name: 'Check amount' })).toHaveValue('95.00');
    await check.getByRole('textbox', { name: 'Check amount' }).fill('50.00');
    await check.getByRole('textbox', { name: 'Check number' }).fill('1042');
    await check.getByRole('textbox', { name: 'Bank' }).fill('First Riverton Bank');
    await check.getByRole('textbox', { name: 'Payer' }).fill(party.name);
    await check.getByRole('textbox', { name: 'MICR line (optional)' }).fill('C1042C A121000358A 0123456789C');
    await page.keyboard.press('Alt+KeyC');
    const cash = page.getByRole('textbox', { name: 'Cash amount' });
    await expect(cash).toHaveValue('45.00');
    await cash.fill('50.00');
    await expect(page.getByTestId('tender-sums')).toContainText('Change $5.00');
    await page.getByRole('button', { name: /^Post \$95\.00/ }).click();

    const receipt = page.getByTestId('receipt-panel');
    await expect(receipt.getByTestId('receipt-number')).toHaveText(`${drawer.code}-000001`);
    await expect(receipt).toContainText('by split tender');
    await expect(receipt.getByTestId('change-due-amount')).toHaveText('$5.00');
    const paid = receipt.getByRole('table', { name: 'Paid on this receipt' });
    await expect(paid.getByRole('row')).toHaveCount(3);
    await expect(paid).toContainText('$60.00');
    await expect(paid).toContainText('$35.00');
    const tenders = receipt.getByRole('table', { name: 'Tenders taken' });
    await expect(tenders).toContainText('no. 1042');
    await expect(tenders).toContainText('First Riverton Bank');
    const obligations = await csr2.get(`/api/v1/parties/${party.id}/obligations?status=open`);
    expect(obligations.items).toHaveLength(0);
  });

  test('a card typed into the sandbox terminal is tokenized by the server and pays; only brand and last 4 are shown', async ({ page }) => {
    const party = await createParty(csr2, 'Carda');
    const o = await charge(csr2, party.id, 'permit', '4010-GENERAL', 'Sidewalk permit', '27.50');
    const drawer = await newDrawer(sup);
    await openSession(csr2, drawer.code);
    const terminal: string[] = [];
    page.on('request', (r) => { if (r.url().includes('/api/v1/counter/card-terminal')) terminal.push(r.postData() ?? ''); });

    await signIn(page, 'csr2');
    await page.goto('/counter');
    await findCustomer(page, party.name);
    await page.getByRole('checkbox', { name: /Pay Sidewalk permit/ }).check();
    await page.keyboard.press('Alt+KeyR');
    const card = page.getByTestId('tender-0');
    await expect(card.getByRole('textbox', { name: 'Card amount' })).toHaveValue('27.50');
    const number = card.getByLabel('Card terminal (sandbox)');
    await expect(number).toHaveAttribute('type', 'password');
    // A mistyped number: the server's refusal is shown on the field, which is emptied.
    await number.fill('4111 1111 1111 1112');
    await number.press('Enter');
    await expect(card).toContainText('not a valid card number');
    await expect(number).toHaveValue('');
    await number.fill('4111 1111 1111 1111');
    await number.press('Enter');
    await expect(card).toContainText('Visa ending 1111 — ready');
    await expect(number).toHaveValue('');
    await expect(page.locator('body')).not.toContainText('4111 1111 1111 1111');
    await expectAccessible(page, 'card read on the sandbox terminal');
    await page.keyboard.press('F9');

    const receipt = page.getByTestId('receipt-panel');
    await expect(receipt.getByTestId('receipt-number')).toHaveText(`${drawer.code}-000001`);
    await expect(receipt.getByRole('table', { name: 'Tenders taken' })).toContainText('Visa ending 1111');
    await expect(receipt.getByTestId('change-due-amount')).toHaveText('$0.00');
    expect((await csr2.get(`/api/v1/obligations/${o.id}`)).balance).toBe('0.00');
    // The number went only to the terminal route (twice: the mistyped one, then the good one).
    expect(terminal).toHaveLength(2);
    expect(JSON.parse(terminal[1])).toEqual({ card_number: '4111 1111 1111 1111' });
    await expect(page.locator('body')).not.toContainText('4111111111111111');
  });

  test('a declined card is shown clearly and nothing is posted; cash then pays', async ({ page }) => {
    const party = await createParty(csr2, 'Cardy');
    await charge(csr2, party.id, 'license', '4000-GENERAL', 'Dog license 2031', '15.00');
    const drawer = await newDrawer(sup);
    await openSession(csr2, drawer.code);

    await signIn(page, 'csr2');
    await page.goto('/counter');
    await findCustomer(page, party.name);
    await page.getByRole('checkbox', { name: /Pay Dog license 2031/ }).check();
    await page.keyboard.press('Alt+KeyR');
    const card = page.getByTestId('tender-0');
    // The quick pick of named test cards sends the card's number to the terminal route.
    await card.getByLabel('Test card (quick pick)').selectOption('visa-0002');
    await card.getByRole('button', { name: 'Use the test card for tender 1' }).click();
    await expect(card).toContainText('Visa ending 0002 — ready');
    await page.keyboard.press('F9');
    await expect(page.getByTestId('card-declined')).toContainText('Visa ending 0002: the card was declined; nothing was posted');
    await expectAccessible(page, 'card declined');
    await card.getByRole('button', { name: /Remove tender 1/ }).click();
    await page.keyboard.press('Alt+KeyC');
    await page.keyboard.press('F9');
    await expect(page.getByTestId('receipt-number')).toHaveText(`${drawer.code}-000001`);
    await expect(page.getByTestId('change-due-amount')).toHaveText('$0.00');
  });

  test('a card whose answer is lost is shown as unknown, posts nothing, and posts once the gateway is asked again', async ({ page }) => {
    const party = await createParty(csr2, 'Lostcard');
    const o = await charge(csr2, party.id, 'fee', '4010-GENERAL', 'Copy fee', '12.00');
    const drawer = await newDrawer(sup);
    await openSession(csr2, drawer.code);

    await signIn(page, 'csr2');
    await page.goto('/counter');
    await findCustomer(page, party.name);
    await page.getByRole('checkbox', { name: /Pay Copy fee/ }).check();
    await page.keyboard.press('Alt+KeyR');
    await page.getByLabel('Test card (quick pick)').selectOption('visa-9995');
    await page.getByRole('button', { name: 'Use the test card for tender 1' }).click();
    await expect(page.getByTestId('tender-0')).toContainText('Visa ending 9995 — ready');
    await page.keyboard.press('F9');
    const unknown = page.getByTestId('card-unknown');
    await expect(unknown).toContainText('Nothing is posted yet and no receipt number was used');
    await expect(page.getByRole('button', { name: /^Post / })).toBeDisabled();
    expect((await csr2.get(`/api/v1/obligations/${o.id}`)).balance).toBe('12.00');
    await expectAccessible(page, 'card answer unknown');
    await unknown.getByRole('button', { name: 'Ask the gateway again' }).click();
    await expect(page.getByTestId('receipt-number')).toHaveText(`${drawer.code}-000001`);
    await expect(page.getByRole('table', { name: 'Tenders taken' })).toContainText('Visa ending 9995');
    expect((await csr2.get(`/api/v1/obligations/${o.id}`)).balance).toBe('0.00');
  });

  test('a cash-only customer’s check is refused with the server’s message; cash is taken', async ({ page }) => {
    const party = await createParty(csr2, 'Cashonly');
    const o = await charge(csr2, party.id, 'permit', '4010-GENERAL', 'Fence permit', '75.00');
    // Two returned payments make the customer cash-only.
    for (let i = 0; i < 2; i++) {
      const paid = await sup.post('/api/v1/payments', { party_id: party.id, amount: '10.00', tender: 'check', channel: 'mail', reference: `chk ${i}` }, 201);
      await sup.post(`/api/v1/payments/${paid.payment.id}/return`, { reason: 'nsf' });
    }
    const owed = (await csr2.get(`/api/v1/obligations/${o.id}`)).balance as string;
    const drawer = await newDrawer(sup);
    await openSession(csr2, drawer.code);

    await signIn(page, 'csr2');
    await page.goto('/counter');
    await findCustomer(page, party.name);
    await expect(page.getByTestId('counter-party')).toContainText('Cash only');
    await page.getByRole('checkbox', { name: /Pay Fence permit/ }).check();
    await page.keyboard.press('Alt+KeyK');
    await page.getByRole('textbox', { name: 'Check number' }).fill('501');
    await page.keyboard.press('F9');
    await expect(page.getByTestId('refusal')).toContainText('this customer is cash only after returned payments');
    await expect(page.getByTestId('tender-0')).toContainText('this customer is cash only after returned payments');
    await expectAccessible(page, 'cash-only refusal');
    await page.getByRole('button', { name: /Remove tender 1/ }).click();
    await page.keyboard.press('Alt+KeyC');
    await expect(page.getByRole('textbox', { name: 'Cash amount' })).toHaveValue(owed);
    await page.keyboard.press('F9');
    await expect(page.getByTestId('receipt-number')).toHaveText(`${drawer.code}-000001`);
  });

  test('a supervisor finds a cashier’s transactions in the session’s list (a declined card too) and voids one with a reason; voiding their own is refused', async ({ page, browser }) => {
    const party = await createParty(csr2, 'Voidy');
    const o = await charge(csr2, party.id, 'utility_bill', '4000-WATER', 'Water service June', '30.00');
    const drawer = await newDrawer(sup);
    await openSession(csr2, drawer.code);
    const txn = await csr2.post('/api/v1/counter/transactions', {
      items: [{ party_id: party.id, obligation_id: o.id, amount: '30.00' }],
      tenders: [{ kind: 'cash', amount: '40.00' }],
    }, 201);
    // A declined card in the same session: listed with its status, nothing to void.
    const declinedCard = await csr2.post('/api/v1/counter/card-terminal', { card_number: '4000000000000002' }, 200);
    const declined = await csr2.post('/api/v1/counter/transactions', {
      items: [{ party_id: party.id, amount: '5.00' }],
      tenders: [{ kind: 'card', amount: '5.00', card_token: declinedCard.card_token }],
    }, 422);
    const declinedId = declined.error.details.transaction.id as number;
    // The supervisor's own transaction, on a drawer of their own.
    await ensureNoSession(sup, sup, fin);
    const own = await newDrawer(sup);
    await openSession(sup, own.code, { '20': 1 });
    const mine = await sup.post('/api/v1/counter/transactions', {
      items: [{ party_id: party.id, amount: '5.00' }], tenders: [{ kind: 'cash', amount: '5.00' }],
    }, 201);

    // The session's transactions come from the session's own list, not the audit trail.
    const audit: string[] = [];
    page.on('request', (r) => { if (r.url().includes('/api/v1/audit')) audit.push(r.url()); });
    await signIn(page, 'supervisor');
    await nav(page).getByRole('link', { name: 'Drawers' }).click();
    const row = page.getByTestId(`drawer-${drawer.code}`);
    await expect(row).toContainText('Jordan Lee');
    // The supervisor sees the running total by tender: float 100 + 30 cash.
    await expect(row).toContainText('$130.00');
    await row.getByRole('button', { name: `Transactions of drawer ${drawer.code}` }).click();
    const txns = page.getByTestId('session-transactions');
    const txnRow = txns.getByTestId(`txn-${txn.receipt}`);
    await expect(txnRow).toContainText('$30.00');
    const declinedRow = txns.getByTestId(`txn-${declinedId}`);
    await expect(declinedRow).toContainText('declined');
    await expect(declinedRow).toContainText('Visa ending 0002');
    await expect(declinedRow).toContainText('Nothing was posted.');
    await expect(declinedRow.getByRole('button', { name: /Void/ })).toHaveCount(0);
    await expectAccessible(page, 'drawers with transactions');
    await txnRow.getByRole('button', { name: `Void receipt ${txn.receipt}` }).click();
    const dialog = page.getByRole('dialog', { name: `Void receipt ${txn.receipt}` });
    await dialog.getByRole('button', { name: 'Void receipt' }).click();
    await expect(dialog).toContainText('A void needs a reason');
    await dialog.getByRole('textbox', { name: 'Reason' }).fill('Customer paid the wrong bill');
    await expectAccessible(page, 'void dialog');
    await dialog.getByRole('button', { name: 'Void receipt' }).click();
    await expect(dialog.getByRole('status')).toContainText(`Receipt ${txn.receipt} is voided`);
    await dialog.getByRole('button', { name: 'Done' }).click();
    await expect(txnRow).toContainText('voided');
    await expect(txnRow).toContainText('Customer paid the wrong bill');
    expect(audit).toEqual([]);
    const reopened = await csr2.get(`/api/v1/obligations/${o.id}`);
    expect(reopened.balance).toBe('30.00');

    // Their own transaction: the API refuses, and the refusal is shown in the dialog.
    await page.getByTestId(`drawer-${own.code}`).getByRole('button', { name: `Transactions of drawer ${own.code}` }).click();
    const ownRow = page.getByTestId('session-transactions').getByTestId(`txn-${mine.receipt}`);
    await ownRow.getByRole('button', { name: `Void receipt ${mine.receipt}` }).click();
    const selfDialog = page.getByRole('dialog', { name: `Void receipt ${mine.receipt}` });
    await selfDialog.getByRole('textbox', { name: 'Reason' }).fill('My own mistake');
    await selfDialog.getByRole('button', { name: 'Void receipt' }).click();
    await expect(selfDialog.getByRole('alert')).toContainText('a void needs a supervisor who is not the cashier of the transaction');
    await selfDialog.getByRole('button', { name: 'Cancel' }).click();

    // The cashier, meanwhile, sees the obligation owed again at the counter (second browser context).
    const ctx = await browser.newContext();
    const cashier = await ctx.newPage();
    await signIn(cashier, 'csr2');
    await cashier.goto('/counter');
    await findCustomer(cashier, party.name);
    await expect(cashier.getByRole('checkbox', { name: /Pay Water service June \(\$30\.00\)/ })).toBeVisible();
    await ctx.close();
    await ensureNoSession(sup, sup, fin);
  });

  test('the blind close: the cashier counts without seeing the total and is shown the shortage, then gives the reason', async ({ page }) => {
    const party = await createParty(csr2, 'Blindy');
    const o = await charge(csr2, party.id, 'utility_bill', '4000-WATER', 'Water service July', '42.37');
    const drawer = await newDrawer(sup);
    await openSession(csr2, drawer.code, { '20': 5 });
    await csr2.post('/api/v1/counter/transactions', {
      items: [{ party_id: party.id, obligation_id: o.id, amount: '42.37' }],
      tenders: [{ kind: 'cash', amount: '50.00' }],
    }, 201);

    await signIn(page, 'csr2');
    await page.goto('/counter');
    await expect(page.getByTestId('counter-session')).toContainText(`Drawer ${drawer.code}`);
    await expect(page.locator('body')).not.toContainText('142.37');
    await page.keyboard.press('Alt+KeyL');
    const close = page.getByTestId('blind-close');
    await expect(close.getByRole('heading', { name: `Close drawer ${drawer.code}` })).toBeVisible();
    await expect(close.getByLabel('$100 bills')).toBeFocused();
    await expect(page.locator('body')).not.toContainText('142.37');
    await close.getByLabel('$20 bills').fill('7');
    await expect(page.getByTestId('blind-count-total')).toHaveText('$140.00');
    await expectAccessible(page, 'blind count');
    await close.getByRole('button', { name: 'Record count' }).click();
    await expect(close.getByRole('status')).toContainText('Short by $2.37');
    const figures = close.getByTestId('count-result');
    await expect(figures).toContainText('$140.00');
    await expect(figures).toContainText('$142.37');
    await close.getByRole('button', { name: 'Close drawer' }).click();
    await expect(close.getByText('Say why the drawer is over or short')).toBeVisible();
    await close.getByRole('textbox', { name: 'Reason for the difference' }).fill('Gave too much change to a customer');
    await close.getByRole('button', { name: 'Close drawer' }).click();
    await expect(close.getByRole('status')).toContainText(`Drawer ${drawer.code} is closed. Short by $2.37.`);
    await expect(close.getByTestId('over-short')).toHaveText('Short by $2.37');
    await expectAccessible(page, 'drawer closed');
    await close.getByRole('button', { name: 'Done' }).click();
    await expect(page.getByRole('heading', { name: 'Open a drawer' })).toBeVisible();

    // The supervisor's balancing report shows the shortage and its reason.
    const ctx = await page.context().browser()!.newContext();
    const boss = await ctx.newPage();
    await signIn(boss, 'supervisor');
    await boss.goto('/drawers');
    const bal = boss.getByTestId('balancing');
    await expect(bal).toContainText(drawer.code);
    await expect(bal).toContainText('Gave too much change to a customer');
    await expectAccessible(boss, 'balancing report');
    await ctx.close();
    await depositAll(fin, sup, drawer.bank);
  });

  test('a deposit is prepared by finance, refused to the same person, and closed by the supervisor', async ({ page, browser }) => {
    const party = await createParty(csr2, 'Deposity');
    const water = await charge(csr2, party.id, 'utility_bill', '4000-WATER', 'Water service August', '80.00');
    const drawer = await newDrawer(sup);
    const session = await openSession(csr2, drawer.code, { '20': 5 });
    const txn = await csr2.post('/api/v1/counter/transactions', {
      items: [{ party_id: party.id, obligation_id: water.id, amount: '80.00' }],
      tenders: [
        { kind: 'check', amount: '50.00', check_number: '2231', bank: 'Riverton Credit Union', payer: party.name },
        { kind: 'cash', amount: '30.00' },
      ],
    }, 201);
    await csr2.post(`/api/v1/sessions/${session.id}/count`, { count: { '20': 6, '10': 1 } });  // 130: balanced

    await signIn(page, 'finance');
    await nav(page).getByRole('link', { name: 'Deposits' }).click();
    const ready = page.getByTestId(`ready-${drawer.bank}`);
    await expect(ready).toContainText('2231');
    await expect(ready).toContainText('Riverton Credit Union');
    await expect(ready).toContainText(txn.receipt);
    await expect(ready).toContainText('$80.00');
    await expectAccessible(page, 'deposits ready');
    await ready.getByRole('button', { name: `Prepare deposit for ${drawer.bank}` }).click();
    const prepared = page.getByTestId('deposits-prepared').getByRole('article', { name: /Deposit no\. \d+/ }).filter({ hasText: drawer.bank });
    await expect(prepared).toContainText('by Taylor Chen (Finance)');
    await prepared.getByRole('textbox', { name: 'Bank reference' }).fill('DEP-SAME');
    await prepared.getByRole('button', { name: /Close deposit/ }).click();
    await expect(prepared.getByRole('alert')).toContainText('a deposit is closed by a second person; Taylor Chen (Finance) prepared this one');
    await expect(page.getByTestId('daily-receipts')).toContainText('Water');
    await expectAccessible(page, 'deposit refused to its preparer');

    const ctx = await browser.newContext();
    const boss = await ctx.newPage();
    await signIn(boss, 'supervisor');
    await boss.goto('/deposits');
    const same = boss.getByTestId('deposits-prepared').getByRole('article', { name: /Deposit no\. \d+/ }).filter({ hasText: drawer.bank });
    const reference = `DEP-${uniqueWord('').toUpperCase().slice(0, 6)}`;
    await same.getByRole('textbox', { name: 'Bank reference' }).fill(reference);
    await same.getByRole('button', { name: /Close deposit/ }).click();
    const closed = boss.getByTestId('deposits-closed').getByRole('row').filter({ hasText: reference });
    await expect(closed).toContainText(drawer.bank);
    await expect(closed).toContainText('Taylor Chen (Finance)');
    await expect(closed).toContainText('Alex Kim (Supervisor)');
    await expect(closed).toContainText('$80.00');
    await ctx.close();
  });

  test('the supervisor counts petty cash: cash and expense receipts reconcile to the authorized amount', async ({ page }) => {
    await signIn(page, 'supervisor');
    await nav(page).getByRole('link', { name: 'Revolving funds' }).click();
    const fund = page.getByTestId('fund-PETTY-CH');
    await expect(fund).toContainText('authorized $250.00');
    await fund.getByRole('button', { name: /Daily count of/ }).click();
    const dialog = page.getByRole('dialog', { name: /Daily count of/ });
    await dialog.getByLabel('$20 bills').fill('10');
    await dialog.getByRole('button', { name: 'Add receipt' }).click();
    await dialog.getByRole('textbox', { name: 'Receipt 1 description' }).fill('Postage');
    await dialog.getByRole('textbox', { name: 'Receipt 1 amount' }).fill('50.00');
    await expect(dialog.getByTestId('fund-reconciliation')).toContainText('Balanced');
    await expectAccessible(page, 'revolving fund count');
    await dialog.getByRole('button', { name: 'Record count' }).click();
    await expect(dialog.getByRole('status')).toContainText('Count recorded: Balanced');
    await dialog.getByRole('button', { name: 'Done' }).click();
    await expect(fund.getByTestId('fund-count')).toContainText('Postage');
  });
});
