import { expect, test, type Page } from '@playwright/test';
import { expectAccessible, signIn, uniquePhone, uniqueWord } from './helpers';

// The mail room against a real server with the demo City. Every test makes its own customers,
// bills (with random account numbers), batches and files, so it passes on a fresh demo database,
// alongside the other specs, and when run again on the same one.

// ---- helpers ------------------------------------------------------------------------------------

/** Luhn check digit over the 20 digits of account and amount (docs/formats/scanline.md). */
function luhn(twenty: string): number {
  let sum = 0;
  for (let i = twenty.length - 1, dbl = true; i >= 0; i--, dbl = !dbl) {
    let d = Number(twenty[i]);
    if (dbl) { d *= 2; if (d > 9) d -= 9; }
    sum += d;
  }
  return (10 - (sum % 10)) % 10;
}

/** A bill stub's scanline as the scanner types it: "0000001001 0000004250 4". */
function scanline(account: string, cents: number): string {
  const a = account.padStart(10, '0');
  const m = String(cents).padStart(10, '0');
  return `${a} ${m} ${luhn(a + m)}`;
}

/** A 9-digit account number no demo bill has (the demo's start at 1001). */
function randomAccount(): string {
  return String(100_000_000 + Math.floor(Math.random() * 899_999_999));
}

async function csrf(page: Page): Promise<string> {
  const res = await page.request.get('/api/v1/session');
  expect(res.ok()).toBeTruthy();
  return (await res.json()).csrf_token as string;
}

async function apiPost(page: Page, path: string, data: unknown, idempotent = false): Promise<Record<string, unknown>> {
  const headers: Record<string, string> = { 'X-CSRF-Token': await csrf(page) };
  if (idempotent) headers['Idempotency-Key'] = crypto.randomUUID();
  const res = await page.request.post(path, { headers, data });
  expect(res.status(), await res.text()).toBeLessThan(300);
  return res.json();
}

async function createParty(page: Page, prefix: string): Promise<{ id: number; name: string }> {
  const first = uniqueWord(prefix);
  const last = uniqueWord('Mail');
  const p = await apiPost(page, '/api/v1/parties', {
    kind: 'person',
    first_name: first,
    last_name: last,
    addresses: [{ kind: 'mailing', line1: `${100 + Math.floor(Math.random() * 800)} ${uniqueWord('L')} St`, city: 'Riverton', state: 'CA', postal_code: '95501' }],
    phones: [{ kind: 'mobile', number: uniquePhone() }],
    confirm_duplicates: true,
  });
  return { id: p.id as number, name: `${first} ${last}` };
}

/** A utility bill on account `utility:<account>` (what a scanline's account number maps to). */
async function billAccount(page: Page, prefix: string, account: string, amount: string) {
  const party = await createParty(page, prefix);
  await apiPost(page, '/api/v1/obligations', {
    party_id: party.id, account_ref: `utility:${account}`, kind: 'utility_bill',
    description: `Water service account ${account}`, due_date: '2030-01-31',
    lines: [{ description: 'Water service', revenue_account: '4000-WATER', amount }],
  }, true);
  return party;
}

const nav = (page: Page) => page.getByRole('navigation', { name: 'Main navigation' });
const tabs = (page: Page) => page.getByRole('navigation', { name: 'Mail room pages' });

// ---- tests --------------------------------------------------------------------------------------

test('csr2 logs a payment into a batch and a correspondence routed to a work queue, then completes it', async ({ page }) => {
  test.setTimeout(90_000);
  await signIn(page, 'csr2');
  const batch = await apiPost(page, '/api/v1/batches', { control_count: 1, control_total: '10.00', note: uniqueWord('Mailtest') });
  const payer = uniqueWord('Payer');
  const writer = uniqueWord('Writer');
  const subject = `Leak on ${uniqueWord('Elm')} St`;

  await nav(page).getByRole('link', { name: 'Mail room' }).click();
  await expect(page.getByRole('heading', { name: 'Mail log', level: 1 })).toBeVisible();
  await expect(page.getByRole('textbox', { name: 'From' })).toBeFocused();

  // A payment: to the open batch.
  await page.getByLabel('Kind').selectOption('payment');
  await page.getByLabel('Remittance batch').selectOption(String(batch.id));
  await page.getByRole('textbox', { name: 'From' }).fill(payer);
  await page.getByRole('textbox', { name: 'From' }).press('Enter');
  const logged = page.getByTestId('last-logged');
  await expect(logged).toContainText(`payment from ${payer}`);
  await expect(logged).toContainText(`batch no. ${batch.id}`);
  // Ready for the next piece: From is empty and has the focus again.
  await expect(page.getByRole('textbox', { name: 'From' })).toBeFocused();
  await expect(page.getByRole('textbox', { name: 'From' })).toHaveValue('');

  // A correspondence: to Customer Service's queue (csr2's department), due in 10 business days.
  await page.getByLabel('Kind').selectOption('correspondence');
  await page.getByLabel('Department queue').selectOption('CS');
  await page.getByRole('textbox', { name: 'From' }).fill(writer);
  await page.getByRole('textbox', { name: 'Subject' }).fill(subject);
  await page.getByRole('button', { name: 'Log piece' }).click();
  await expect(logged).toContainText(`correspondence from ${writer}`);
  await expect(logged).toContainText(/Customer Service \(CS\) queue, due \d\d\/\d\d\/\d{4}/);

  const log = page.getByTestId('mail-log');
  await expect(log.getByRole('row').filter({ hasText: payer })).toContainText(`Batch no. ${batch.id}`);
  await expect(log.getByRole('row').filter({ hasText: writer })).toContainText('Customer Service (CS) queue');
  await expectAccessible(page, 'mail log');

  // The work queue: the item is there with its due date; complete it.
  await nav(page).getByRole('link', { name: 'Work queues' }).click();
  await expect(page.getByRole('heading', { name: 'Work queues' })).toBeVisible();
  const row = page.getByTestId('queue').getByRole('row').filter({ hasText: subject });
  await expect(row).toContainText(writer);
  await expect(row).toContainText(/\d\d\/\d\d\/\d{4}/);
  await expectAccessible(page, 'work queue');
  await row.getByRole('button', { name: `Complete: ${subject}` }).click();
  const dialog = page.getByRole('dialog', { name: `Complete: ${subject}` });
  await dialog.getByRole('button', { name: 'Mark done' }).click();
  await expect(dialog.getByText('Say what was done')).toBeVisible();
  await dialog.getByRole('textbox', { name: 'What was done' }).fill('Sent to Utilities field crew');
  await expectAccessible(page, 'complete dialog');
  await dialog.getByRole('button', { name: 'Mark done' }).click();
  await expect(dialog).toBeHidden();
  await expect(row).toHaveCount(0);
  await page.getByRole('radiogroup', { name: 'Which items' }).getByText('Done', { exact: true }).click();
  const doneRow = page.getByTestId('queue').getByRole('row').filter({ hasText: subject });
  await expect(doneRow).toContainText('Done');
  await expect(doneRow).toContainText('Sent to Utilities field crew');
});

test('csr2 keys a batch from scanlines like a scanner, a csr3 resolves its exception, and the batch posts', async ({ page, browser }) => {
  test.setTimeout(150_000);
  await signIn(page, 'csr2');
  const acctA = randomAccount();
  const acctB = randomAccount();
  const acctUnknown = randomAccount();
  const partyA = await billAccount(page, 'Scana', acctA, '42.50');
  await billAccount(page, 'Scanb', acctB, '60.00');

  await nav(page).getByRole('link', { name: 'Mail room' }).click();
  await tabs(page).getByRole('link', { name: 'Remittance batches' }).click();
  await expect(page.getByRole('heading', { name: 'Remittance batches', level: 1 })).toBeVisible();

  // Control count and total first (from the adding-machine tape).
  await page.getByRole('textbox', { name: 'Control count' }).fill('3');
  await page.getByRole('textbox', { name: 'Control total' }).fill('132.50');
  await page.getByRole('button', { name: 'Open batch' }).click();
  await expect(page).toHaveURL(/\/batches\/\d+$/);
  const batchId = page.url().match(/\/batches\/(\d+)$/)![1];
  await expect(page.getByRole('heading', { name: `Batch no. ${batchId}` })).toBeVisible();

  const countDiff = page.getByTestId('count-difference');
  const totalDiff = page.getByTestId('total-difference');
  await expect(countDiff).toHaveText('3 to go');
  await expect(totalDiff).toHaveText('$132.50 to go');
  const post = page.getByRole('button', { name: 'Post batch' });
  await expect(post).toBeDisabled();

  const scan = page.getByRole('textbox', { name: 'Scanline' });
  const amount = page.getByRole('textbox', { name: 'Check amount' });
  await expect(scan).toBeFocused();

  // 1. A scanner types the stub's line and Enter: the focus moves to the check amount, which
  //    offers the stub's amount; Enter adds the item and the focus is back on the scanline.
  await page.keyboard.type(scanline(acctA, 4250), { delay: 5 });
  await page.keyboard.press('Enter');
  await expect(amount).toBeFocused();
  await expect(amount).toHaveValue('42.50');
  await page.keyboard.press('Enter');
  await expect(scan).toBeFocused();
  await expect(countDiff).toHaveText('2 to go');
  await expect(totalDiff).toHaveText('$90.00 to go');
  await expect(page.getByTestId('item-1')).toContainText('Ready');

  // A misread character is caught before anything is added: scan again.
  await page.keyboard.type('0000001001 00000O2000 5', { delay: 5 });
  await page.keyboard.press('Enter');
  await expect(page.getByText(/“O” at position 16 is not a digit/)).toBeVisible();
  await expect(scan).toBeFocused();

  // 2. A mistyped check amount (6.00 for 60.00) is an amount-mismatch exception; remove it.
  await page.keyboard.type(scanline(acctB, 6000), { delay: 5 });
  await page.keyboard.press('Enter');
  await expect(amount).toBeFocused();
  await page.keyboard.type('6.00');
  await page.keyboard.press('Enter');
  await expect(scan).toBeFocused();
  await expect(page.getByTestId('item-2')).toContainText('Amount mismatch');
  await expect(totalDiff).toHaveText('$84.00 to go');
  await page.getByRole('button', { name: 'Remove item 2' }).click();
  await page.getByRole('dialog', { name: 'Remove item 2?' }).getByRole('button', { name: 'Remove item' }).click();
  await expect(page.getByTestId('item-2')).toContainText('Removed');
  await expect(totalDiff).toHaveText('$90.00 to go');

  // 3. Keyed again, right this time.
  await scan.focus();
  await page.keyboard.type(scanline(acctB, 6000), { delay: 5 });
  await page.keyboard.press('Enter');
  await page.keyboard.press('Enter');
  await expect(scan).toBeFocused();
  await expect(countDiff).toHaveText('1 to go');
  await expect(totalDiff).toHaveText('$30.00 to go');

  // 4. A stub whose account has no bill: an exception, and the batch now balances.
  await page.keyboard.type(scanline(acctUnknown, 3000), { delay: 5 });
  await page.keyboard.press('Enter');
  await page.getByRole('textbox', { name: 'Check no.' }).fill('1201');
  await page.getByRole('textbox', { name: 'Payer' }).fill('Pat Payer');
  await page.getByRole('textbox', { name: 'Payer' }).press('Enter');
  await expect(scan).toBeFocused();
  await expect(countDiff).toHaveText('matches');
  await expect(totalDiff).toHaveText('matches');
  await expect(page.getByTestId('balance-state')).toHaveText('✓ Balanced');
  await expect(page.getByTestId('item-4')).toContainText('Unknown account');
  await expect(page.getByTestId('batch-exceptions')).toContainText('item 4: Unknown account');
  await expect(post).toBeEnabled();
  await expectAccessible(page, 'batch screen');

  // A CSR III resolves the exception: the customer wrote an old account number; it goes to acctA.
  const ctx3 = await browser.newContext();
  const page3 = await ctx3.newPage();
  await signIn(page3, 'csr3');
  await page3.goto('/remittance/exceptions');
  await expect(page3.getByRole('heading', { name: 'Exception queue' })).toBeVisible();
  const exRow = page3.getByTestId('exceptions').getByRole('row').filter({ hasText: `Account ${Number(acctUnknown)}` });
  await expect(exRow).toContainText('Unknown account');
  await expect(exRow).toContainText(`Batch no. ${batchId}`);
  await expect(exRow).toContainText('$30.00');
  await expectAccessible(page3, 'exception queue');
  await exRow.getByRole('button', { name: /Resolve exception no\. \d+/ }).click();
  const dialog = page3.getByRole('dialog', { name: /Resolve exception no\. \d+/ });
  await expect(dialog.getByRole('radio', { name: /Accept .* not possible/ })).toBeDisabled();
  await dialog.getByRole('radio', { name: 'Assign to an account or a customer' }).check();
  await dialog.getByRole('textbox', { name: 'Account number' }).fill(acctA);
  await dialog.getByRole('textbox', { name: 'Note' }).fill('Customer wrote an old account number');
  await expectAccessible(page3, 'resolve dialog');
  await dialog.getByRole('button', { name: 'Assign' }).click();
  await expect(dialog.getByTestId('action-result')).toContainText(`posts with batch no. ${batchId}`);
  await dialog.getByRole('button', { name: 'Done' }).click();
  await ctx3.close();

  // Back at the batch: the item is ready; post.
  await page.reload();
  await expect(page.getByTestId('item-4')).toContainText('Ready');
  await expect(page.getByTestId('item-4')).toContainText(`Account ${Number(acctA)}`);
  await post.click();
  const result = page.getByTestId('post-result');
  await expect(result).toContainText('Posted 3 payments now, $132.50');
  await expect(page.getByTestId('batch-status')).toHaveText('Posted');
  await expect(page.getByTestId('item-1')).toContainText('Posted');
  await expect(page.getByTestId('item-4')).toContainText('Posted');
  await expect(page.getByTestId('item-entry')).toHaveCount(0);
  await expectAccessible(page, 'posted batch');

  // The payment reached the customer: $42.50 bill paid, $30.00 more as credit.
  const ledger = await page.request.get(`/api/v1/parties/${partyA.id}/ledger`);
  const body = await ledger.json();
  expect(body.balance.receivable).toBe('0.00');
  expect(body.balance.credit).toBe('30.00');
});

test('csr2 imports a lockbox file: posted and queued counts, the past imports, and the same file again posts nothing', async ({ page }) => {
  test.setTimeout(90_000);
  await signIn(page, 'csr2');
  const acct = randomAccount();
  await billAccount(page, 'Lockboxa', acct, '25.00');

  const pad = (s: string | number, n: number, right = false) => (right ? String(s).padEnd(n, ' ') : String(s).padStart(n, '0'));
  const fileId = uniqueWord('F').slice(0, 10).toUpperCase();
  const details = [
    { cents: 2500, check: '5001', scan: scanline(acct, 2500).replace(/ /g, ''), who: 'LOCKBOX PAYER' },
    { cents: 1000, check: '5002', scan: '', who: 'NO STUB PAYER' },
  ];
  const total = details.reduce((s, d) => s + d.cents, 0);
  const lines = [
    `1${pad('RIVERTON', 10, true)}${pad('E2EBANK', 10, true)}202611200615${pad(fileId, 10, true)}`.padEnd(80),
    `50001${pad(1234567, 7)}20261120`.padEnd(80),
    ...details.map((d, i) => `60001${pad(i + 1, 6)}${pad(d.cents, 10)}${pad(d.check, 15, true)}${pad(d.scan, 21, true)}${pad(d.who, 23, true)}`),
    `70001${pad(details.length, 6)}${pad(total, 12)}`.padEnd(80),
    `90001${pad(details.length, 8)}${pad(total, 14)}`.padEnd(80),
  ];
  const file = { name: `${fileId}.txt`, mimeType: 'text/plain', buffer: Buffer.from(lines.join('\n') + '\n') };

  await nav(page).getByRole('link', { name: 'Mail room' }).click();
  await tabs(page).getByRole('link', { name: 'Lockbox imports' }).click();
  await expect(page.getByRole('heading', { name: 'Lockbox imports', level: 1 })).toBeVisible();
  await page.getByLabel('Lockbox file', { exact: true }).setInputFiles(file);
  await page.getByRole('button', { name: 'Import file' }).click();
  const summary = page.getByTestId('import-summary');
  await expect(summary.getByRole('status')).toContainText(`file ${fileId} from E2EBANK`);
  await expect(summary.getByTestId('posted-count')).toHaveText('1 payment');
  await expect(summary.getByTestId('posted-total')).toHaveText('$25.00');
  await expect(summary.getByTestId('exception-count')).toHaveText('1 check');
  await expect(summary.getByTestId('exception-total')).toHaveText('$10.00');
  await expect(page.getByTestId('lockbox-imports').getByRole('row').filter({ hasText: fileId })).toContainText('Complete');
  await expectAccessible(page, 'lockbox import');

  // Past imports come from the list of imports (GET /lockbox/imports), newest first, after a reload too.
  const listed = page.waitForResponse((r) => r.url().includes('/api/v1/lockbox/imports?limit=') && r.request().method() === 'GET');
  await page.reload();
  expect((await listed).status()).toBe(200);
  const pastRow = page.getByTestId('lockbox-imports').getByRole('row').filter({ hasText: fileId });
  await expect(pastRow).toContainText('Complete');
  await expect(pastRow).toContainText('E2EBANK');
  await expect(pastRow).toContainText('$35.00');
  await expect(pastRow).toContainText('1 exception');
  await expect(page.getByTestId('lockbox-imports').getByRole('row').nth(1)).toContainText(fileId);

  // The same file again: nothing posts twice.
  await page.getByLabel('Lockbox file', { exact: true }).setInputFiles(file);
  await page.getByRole('button', { name: 'Import file' }).click();
  await expect(summary.getByRole('status')).toContainText('already imported');
  await expect(summary.getByTestId('posted-count')).toHaveText('1 payment');
});

test('the users page shows and changes a user’s department', async ({ page }) => {
  test.setTimeout(60_000);
  await signIn(page, 'admin');
  const username = uniqueWord('dept');
  await apiPost(page, '/api/v1/users', { username, display_name: 'Department Test', role: 'csr1', password: 'correct-horse-battery', department: 'CS' });
  await nav(page).getByRole('link', { name: 'Users' }).click();
  await expect(page.getByRole('heading', { name: 'Users' })).toBeVisible();
  await expect(page.getByRole('columnheader', { name: 'Department' })).toBeVisible();
  await expect(page.getByLabel('Department for csr2')).toHaveValue('CS');
  await expect(page.getByLabel('Department for finance')).toHaveValue('FIN');
  await expect(page.getByLabel(`Department for ${username}`)).toHaveValue('CS');
  await page.getByLabel(`Department for ${username}`).selectOption('UTIL');
  await expect(page.getByText(`${username} now works the Utilities (UTIL) queue`)).toBeVisible();
  await page.reload();
  await expect(page.getByLabel(`Department for ${username}`)).toHaveValue('UTIL');
  await expectAccessible(page, 'users with departments');
});
