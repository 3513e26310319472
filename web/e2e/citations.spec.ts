import { expect, test, type Browser, type Page } from '@playwright/test';
import { expectAccessible, signIn, uniqueWord } from './helpers';
import { BASE, apiAs, ensureNoSession, newDrawer, type Api } from './counterApi';

// Parking citations against a real server with the demo City. Every test enters its own
// citations (unique numbers with the City's mod-7 check digit, a unique plate) through the API,
// so it passes on a fresh database, in any order, and twice in a row. The counter test opens its
// own drawer and leaves the cashier without a session, as counter.spec.ts does.

/** A citation number the demo City accepts: 8 random digits and their mod-7 check digit. */
function citationNumber(): string {
  const n = 10_000_000 + Math.floor(Math.random() * 89_999_999);
  return `${n}${n % 7}`;
}

/** A plate no other run uses (letters and digits, at most 10). */
function uniquePlate(): string {
  return `Q${uniqueWord('').toUpperCase().slice(0, 5)}${Math.floor(Math.random() * 90 + 10)}`;
}

/** A calendar date some days back (UTC; the City is behind UTC, so it is never in its future). */
function daysAgo(n: number): string {
  return new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);
}

async function enterCitation(api: Api, plate: string, violation: string, number = citationNumber()) {
  return api.post('/api/v1/citations', {
    number, issued_at: `${daysAgo(2)} 09:30`, location: '706 CHESTNUT ST', violation_code: violation,
    plate, plate_state: 'CA', make: 'TOYT', color: 'BLU', officer_id: 'PCO 123',
  }, 201);
}

async function pageAs(browser: Browser, username: string): Promise<Page> {
  const ctx = await browser.newContext({ baseURL: BASE, viewport: { width: 1366, height: 800 } });
  const page = await ctx.newPage();
  await signIn(page, username);
  return page;
}

test.describe('parking citations', () => {
  test.describe.configure({ timeout: 120_000 });

  let sup: Api;
  let fin: Api;
  let csr2: Api;
  test.beforeEach(async ({ playwright }) => {
    sup = await apiAs(playwright, 'supervisor');
    fin = await apiAs(playwright, 'finance');
    csr2 = await apiAs(playwright, 'csr2');
  });
  test.afterEach(async () => {
    await ensureNoSession(csr2, sup, fin);
    await Promise.all([sup.dispose(), fin.dispose(), csr2.dispose()]);
  });

  test('a plate lookup shows every citation with the total due; two are paid together at the counter', async ({ page }) => {
    await ensureNoSession(csr2, sup, fin);
    const plate = uniquePlate();
    const a = await enterCitation(csr2, plate, 'V5204A');
    const b = await enterCitation(csr2, plate, 'TRC7.2.20');
    const total = (Number(a.amount_due) + Number(b.amount_due)).toFixed(2);
    const drawer = await newDrawer(sup);
    await csr2.post('/api/v1/sessions', { drawer: drawer.code, float: { '20': 5 } }, 201);

    await signIn(page, 'csr2');
    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Citations' }).click();
    await expect(page.getByRole('heading', { name: 'Parking citations', level: 1 })).toBeVisible();
    await page.getByRole('textbox', { name: 'Plate' }).fill(plate.toLowerCase());
    await page.getByRole('textbox', { name: 'State' }).fill('ca');
    await page.getByRole('button', { name: 'Find by plate' }).click();
    const results = page.getByRole('table', { name: `Citations of plate ${plate}` });
    await expect(results.getByRole('row')).toHaveCount(3);
    await expect(page.getByTestId(`citation-row-${a.number}`)).toContainText('Issued');
    await expect(page.getByTestId(`citation-row-${a.number}`)).toContainText('$121.00');
    await expect(page.getByTestId('plate-total')).toContainText(`$${total}`);
    await expectAccessible(page, 'citation lookup by plate');

    await page.getByRole('checkbox', { name: new RegExp(`Select citation ${a.number}`) }).check();
    await page.getByRole('checkbox', { name: new RegExp(`Select citation ${b.number}`) }).check();
    await page.getByRole('button', { name: 'Pay selected at the counter' }).click();

    await expect(page).toHaveURL(/\/counter$/);
    await expect(page.getByTestId('cart-total')).toHaveText(`$${total}`);
    const cart = page.getByRole('table', { name: 'Cart' });
    await expect(cart).toContainText(`Parking citation ${a.number}`);
    await expect(cart).toContainText(`Parking citation ${b.number}`);
    await page.keyboard.press('Alt+KeyC');
    const cash = page.getByRole('textbox', { name: 'Cash amount' });
    await expect(cash).toHaveValue(total);
    await cash.fill('300');
    await page.getByRole('button', { name: new RegExp(`^Post \\$${total.replace('.', '\\.')}`) }).click();
    const receipt = page.getByTestId('receipt-panel');
    await expect(receipt.getByTestId('receipt-number')).toHaveText(`${drawer.code}-000001`);
    await expect(receipt.getByTestId('change-due-amount')).toHaveText(`$${(300 - Number(total)).toFixed(2)}`);

    // Back at the lookup, nothing is due for the plate.
    await page.goto(`/citations?plate=${plate}&state=CA`);
    await expect(page.getByTestId('plate-total')).toContainText('$0.00');
    await page.getByRole('link', { name: a.number }).click();
    await expect(page.getByTestId('citation-amount-due')).toHaveText('$0.00');
    await expect(page.getByRole('button', { name: 'Pay at the counter' })).toHaveCount(0);
  });

  test('a contest: csr2 records the review request, csr3 dismisses it and nothing is due', async ({ page, browser }) => {
    const plate = uniquePlate();
    const c = await enterCitation(csr2, plate, 'V5204A');

    await signIn(page, 'csr2');
    await page.goto('/citations');
    await page.getByRole('textbox', { name: 'Citation number' }).fill(c.number);
    await page.getByRole('button', { name: 'Open citation' }).click();
    await expect(page.getByRole('heading', { name: `Citation ${c.number}`, level: 1 })).toBeVisible();
    await expect(page.getByTestId('citation-amount-due')).toHaveText('$121.00');
    await expect(page.getByTestId('citation-deadlines')).toContainText('Request an initial review by');
    await expect(page.getByTestId('citation-deadlines')).toContainText('VC 40215(a)');
    await expectAccessible(page, 'citation page');

    await page.getByRole('button', { name: 'Request initial review' }).click();
    const form = page.getByRole('form', { name: 'Request initial review' });
    // A date the server refuses (before the citation was issued): its message is shown in place.
    await form.getByRole('textbox', { name: 'Requested on' }).fill('2001-01-02');
    await form.getByRole('textbox', { name: /What the person says/ }).fill('The no-parking sign was missing');
    await form.getByRole('button', { name: 'Request initial review' }).click();
    await expect(form.getByText(/requested_on 2001-01-02 is before the period began/)).toBeVisible();
    await expect(page.getByTestId('citation-status')).toHaveText('Issued');
    await form.getByRole('textbox', { name: 'Requested on' }).fill('');
    await form.getByRole('button', { name: 'Request initial review' }).click();
    await expect(page.getByTestId('citation-status')).toHaveText('Review requested');
    await expect(page.getByRole('table', { name: 'Contest history' })).toContainText('The no-parking sign was missing');
    // A CSR II records contests but does not decide them.
    await expect(page.getByRole('button', { name: 'Decide the review' })).toHaveCount(0);
    await expect(page.getByText('Deciding a contest needs a CSR III or a supervisor.')).toBeVisible();

    const lead = await pageAs(browser, 'csr3');
    await lead.goto(`/citations/${c.number}`);
    await lead.getByRole('button', { name: 'Decide the review' }).click();
    const decide = lead.getByRole('form', { name: 'Decide the review' });
    await decide.getByRole('button', { name: 'Record the decision' }).click();
    await expect(decide.getByText('Give the reason')).toBeVisible();
    await decide.getByRole('combobox', { name: 'Outcome' }).selectOption('dismissed');
    await decide.getByRole('textbox', { name: 'Reason for the decision' }).fill('Signage missing at the location');
    await expectAccessible(lead, 'deciding a review');
    await decide.getByRole('button', { name: 'Record the decision' }).click();
    await expect(lead.getByTestId('citation-status')).toHaveText('Dismissed');
    await expect(lead.getByTestId('citation-amount-due')).toHaveText('$0.00');
    await expect(lead.getByRole('table', { name: 'Contest history' })).toContainText('Review: dismissed');
    await expect(lead.getByRole('table', { name: 'Contest history' })).toContainText('Signage missing at the location');
    await expectAccessible(lead, 'a dismissed citation');
    // The decision has its letter: a PDF with the outcome and the reason.
    const letter = lead.getByRole('table', { name: 'Contest history' }).getByRole('link', { name: /Decision letter \(PDF\)/ });
    await expect(letter).toHaveCount(1);
    const href = await letter.getAttribute('href');
    expect(href).toMatch(/\/decision-letter\?event=\d+$/);
    const pdf = await lead.request.get(new URL(href ?? '', lead.url()).toString());
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()['content-type']).toBe('application/pdf');
    const text = (await pdf.body()).toString('latin1');
    expect(text).toContain('Signage missing at the location');
    expect(text).toContain('Decision: DISMISSED');
    await lead.context().close();
  });

  test('an issuance file: the good line is imported, the bad one refused with its line and column', async ({ page }) => {
    const plate = uniquePlate();
    const good = citationNumber();
    const goodN = Number(good.slice(0, -1));
    const bad = `${goodN + 1}${(goodN + 2) % 7}`; // a wrong check digit
    const file = [
      'citation_number,issued_at,location,violation_code,fine,plate,plate_state,make,color,vin,officer_id,device_id,notes',
      `${good},${daysAgo(1)}T08:15,293 BRANNAN ST,V5204A,121.00,${plate},CA,HOND,RED,,PCO 7,HH-07,`,
      `${bad},${daysAgo(1)}T08:20,295 BRANNAN ST,V5204A,121.00,${plate},CA,HOND,RED,,PCO 7,HH-07,`,
    ].join('\n') + '\n';

    await signIn(page, 'csr2');
    await page.goto('/citations');
    await page.getByRole('navigation', { name: 'Citations pages' }).getByRole('link', { name: 'Entry, imports and nightly run' }).click();
    await expect(page.getByRole('heading', { name: 'Import an issuance file' })).toBeVisible();
    // The nightly run is a supervisor's.
    await expect(page.getByRole('heading', { name: 'Nightly escalation' })).toHaveCount(0);
    await page.getByLabel('Issuance file', { exact: true }).setInputFiles({ name: `handheld-${plate}.csv`, mimeType: 'text/csv', buffer: Buffer.from(file) });
    await page.getByRole('button', { name: 'Import file' }).click();
    const result = page.getByTestId('import-result');
    await expect(result.getByTestId('import-accepted')).toContainText('1');
    await expect(result.getByTestId('import-refused')).toContainText('1');
    const refused = page.getByRole('table', { name: 'Refused lines' });
    await expect(refused.getByRole('row')).toHaveCount(2);
    await expect(refused.getByRole('row').nth(1)).toContainText('3');
    await expect(refused.getByRole('row').nth(1)).toContainText('citation_number');
    await expect(refused.getByRole('row').nth(1)).toContainText('check digit');
    await expectAccessible(page, 'citation import result');

    // A citation entered by hand: the server's refusal of a wrong check digit is shown on the field.
    const entry = page.getByRole('form', { name: 'Enter a citation by hand' });
    const typed = citationNumber();
    const wrong = `${typed.slice(0, -1)}${(Number(typed.slice(-1)) + 1) % 7}`;
    await entry.getByRole('textbox', { name: 'Citation number' }).fill(wrong);
    await entry.getByRole('textbox', { name: 'Issued at' }).fill(`${daysAgo(1)} 10:05`);
    await entry.getByRole('textbox', { name: 'Violation code' }).fill('V5204A');
    await entry.getByRole('textbox', { name: 'Location' }).fill('1 MAIN ST');
    await entry.getByRole('textbox', { name: 'Officer' }).fill('PCO 9');
    await entry.getByRole('textbox', { name: 'Plate', exact: true }).fill(plate);
    await entry.getByRole('textbox', { name: 'Plate state' }).fill('CA');
    await entry.getByRole('button', { name: 'Enter the citation' }).click();
    await expect(entry.getByText(/fails its check digit/)).toBeVisible();
    await entry.getByRole('textbox', { name: 'Citation number' }).fill(typed);
    await entry.getByRole('button', { name: 'Enter the citation' }).click();
    await expect(page.getByRole('heading', { name: `Citation ${typed}`, level: 1 })).toBeVisible();
    await expect(page.getByTestId('citation-amount-due')).toHaveText('$121.00');

    // Both are found by the plate.
    await page.goto(`/citations?plate=${plate}`);
    await expect(page.getByTestId(`citation-row-${good}`)).toBeVisible();
    await expect(page.getByTestId(`citation-row-${typed}`)).toBeVisible();
  });

  test('a supervisor sees the scofflaw list and runs the nightly escalation', async ({ page }) => {
    await signIn(page, 'supervisor');
    await page.goto('/citations');
    await page.getByRole('navigation', { name: 'Citations pages' }).getByRole('link', { name: 'Scofflaw list' }).click();
    await expect(page.getByTestId('scofflaws')).toBeVisible();
    await expect(page.getByTestId('scofflaws')).toContainText(/plates?/);
    await expectAccessible(page, 'scofflaw list');

    await page.goto('/citations/import');
    await expect(page.getByRole('heading', { name: 'Import an issuance file' })).toBeVisible();
    const panel = page.getByRole('region', { name: 'Nightly escalation' });
    test.skip(await panel.count() === 0, 'this server predates the citation.escalate permission');
    await panel.getByRole('button', { name: 'Run the escalation' }).click();
    await expect(page.getByTestId('escalation-result')).toContainText('Steps posted');
    await expectAccessible(page, 'escalation result');
  });
});
