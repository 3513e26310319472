import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { expectAccessible, signIn, uniqueWord } from './helpers';
import { SANDBOX_BIN, sandboxAnswer } from './dmvSandbox';
import { apiAs, type Api } from './counterApi';

// Delinquency notices and indigent payment plans against a real server with the demo City. Each
// test enters its own citations (unique numbers and plates) through the API. The notice test
// needs a registered owner, so it runs the DMV exchange for its plate first (the sandbox DMV,
// `civicdesk citations dmv-sandbox`), then the nightly run records the notice and the supervisor
// prints the day's batch; printing a date twice gives the same batch, so a second run on the
// same day opens that batch's PDF again.


function citationNumber(): string {
  const n = 10_000_000 + Math.floor(Math.random() * 89_999_999);
  return `${n}${n % 7}`;
}

function daysAgo(n: number): string {
  return new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);
}

function randomPlate(prefix: string): string {
  return `${prefix}${uniqueWord('').toUpperCase().slice(0, 5)}${Math.floor(Math.random() * 90 + 10)}`;
}

async function enter(api: Api, plate: string, issuedOn: string) {
  return api.post('/api/v1/citations', {
    number: citationNumber(), issued_at: `${issuedOn} 10:15`, location: '1 DR CARLTON B GOODLETT PL', violation_code: 'V5204A',
    plate, plate_state: 'CA', officer_id: 'PCO 8',
  }, 201);
}

const dir = mkdtempSync(join(tmpdir(), 'cd-notices-'));

/** A plate the sandbox DMV finds an owner for (it answers by plate, the same way every time). */
function foundPlate(): string {
  for (;;) {
    const plate = randomPlate('N');
    const req = join(dir, `probe-${plate}.txt`);
    writeFileSync(req, `H,DMVRQ,RIVERTON-PK,CA,2026-01-05,1\nD,1,${plate},CA,100000000,2026-01-02\nT,1\n`);
    const answer = sandboxAnswer(req);
    if (answer.split('\n').some((l) => l.startsWith('D,') && l.split(',')[4] === 'F')) return plate;
  }
}

test.describe('notices and payment plans', () => {
  test.describe.configure({ timeout: 150_000 });

  let sup: Api;
  let csr2: Api;
  test.beforeEach(async ({ playwright }) => {
    sup = await apiAs(playwright, 'supervisor');
    csr2 = await apiAs(playwright, 'csr2');
  });
  test.afterEach(async () => {
    await Promise.all([sup.dispose(), csr2.dispose()]);
  });

  test('a delinquency notice: recorded by the nightly run, printed in the day\'s batch, its PDF opens, shown on the citation', async ({ page }) => {
    test.skip(!SANDBOX_BIN, 'no civicdesk binary with `citations dmv-sandbox` (set CIVICDESK_BIN)');
    // A citation 30 days old (its notice step is at 21 days) on a plate the DMV knows.
    const plate = foundPlate();
    const issued = daysAgo(30);
    const c = await enter(csr2, plate, issued);
    // The owner: a request file for a date no earlier run used, answered by the sandbox DMV.
    const used = new Set(((await sup.get('/api/v1/citations/dmv/files')).items as { kind: string; date: string }[]).filter((f) => f.kind === 'request').map((f) => f.date));
    const asOf = Array.from({ length: 31 }, (_, i) => daysAgo(30 - i)).find((d) => !used.has(d));
    test.skip(!asOf, 'every request date since the issue was used');
    const request = await sup.post('/api/v1/citations/dmv/requests', { as_of: asOf }, 200);
    expect(request.content).toContain(`,${plate},CA,`);
    const requestPath = join(dir, `request-${plate}.txt`);
    writeFileSync(requestPath, request.content);
    const answer = sandboxAnswer(requestPath);
    await sup.post('/api/v1/citations/dmv/responses', { content: answer });
    // The nightly run for today records the notice (and the first late penalty).
    const today = daysAgo(0);
    await sup.post('/api/v1/citations/escalations', { as_of: today }, 200);
    const after = await sup.get(`/api/v1/citations/${c.number}`);
    expect(after.owner?.name, JSON.stringify(after)).toBeTruthy();
    expect((after.notices as unknown[]).length).toBe(1);

    await signIn(page, 'supervisor');
    await page.goto('/citations');
    await page.getByRole('navigation', { name: 'Citations pages' }).getByRole('link', { name: 'Notices' }).click();
    await expect(page.getByRole('heading', { name: 'Delinquency notices', level: 1 })).toBeVisible();
    await expectAccessible(page, 'the notices page');
    const form = page.getByRole('form', { name: 'Print the notices' });
    await form.getByRole('button', { name: 'Print the notices' }).click();
    const result = page.getByTestId('notice-print-result');
    // "1 notice printed" or "N notices printed": how many depends on what the other specs left.
    await expect(result).toContainText(/\d+ notices? printed/);
    const pdfLink = result.getByRole('link', { name: /Open the letters of .* \(PDF\)/ });
    await expect(pdfLink).toBeVisible();
    // The PDF opens: the link's address answers 200 with application/pdf.
    const href = await pdfLink.getAttribute('href');
    const pdf = await page.request.get(href!);
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()['content-type']).toContain('application/pdf');
    expect((await pdf.body()).subarray(0, 5).toString()).toBe('%PDF-');
    await expect(page.getByRole('table', { name: 'Notice batches printed' })).toBeVisible();

    // The citation's notice history.
    await page.goto(`/citations/${c.number}`);
    const notices = page.getByTestId('citation-notices');
    await expect(notices).toBeVisible();
    await expect(notices).toContainText(after.owner.name.split(' ')[0]);
    await expect(page.getByTestId('citation-owner')).toBeVisible();
    await expectAccessible(page, 'a citation with its notice');
  });

  test('an indigent payment plan: enrolled from the plate lookup with the schedule shown before saving, then its plan page', async ({ page }) => {
    const plate = randomPlate('P');
    const a = await enter(csr2, plate, daysAgo(3));
    const b = await enter(csr2, plate, daysAgo(2));

    await signIn(page, 'csr2');
    await page.goto(`/citations?plate=${plate}&state=CA`);
    await page.getByRole('button', { name: 'Payment plan for the plate' }).click();
    await expect(page.getByRole('heading', { name: `Payment plan for plate ${plate} (CA)`, level: 1 })).toBeVisible();
    const form = page.getByRole('form', { name: 'Enrol in a payment plan' });
    await expect(form.getByRole('checkbox', { name: new RegExp(a.number) })).toBeChecked();
    await expect(form.getByRole('checkbox', { name: new RegExp(b.number) })).toBeChecked();
    // $242.00 of fines over 12 months: 20.16 × 4 then 20.17 × 8 (the extra cents last).
    await expect(page.getByTestId('plan-preview-fines')).toHaveText('$242.00');
    const months = form.getByRole('textbox', { name: 'Months' });
    await months.fill('12');
    const preview = page.getByRole('table', { name: 'Installments before saving' });
    await expect(preview.getByRole('row')).toHaveCount(13);
    await expect(preview.getByRole('row').nth(1)).toContainText('$20.16');
    await expect(preview.getByRole('row').nth(12)).toContainText('$20.17');
    await expectAccessible(page, 'plan enrolment');

    // Too few months for the monthly cap: the server's refusal is shown on the field.
    await months.fill('3');
    await form.getByRole('textbox', { name: 'Attested by' }).fill('Pat Doe');
    await form.getByRole('button', { name: 'Enrol in the plan' }).click();
    await expect(form.getByText('$247.00 in 3 months is more than $25.00 a month; choose at least 10 months')).toBeVisible();
    await months.fill('12');
    await form.getByRole('button', { name: 'Enrol in the plan' }).click();

    await expect(page.getByRole('heading', { name: /^Payment plan \d+$/, level: 1 })).toBeVisible();
    await expect(page.getByTestId('plan-status')).toHaveText('Active');
    const installments = page.getByRole('table', { name: 'Installments' });
    await expect(installments.getByRole('row')).toHaveCount(13);
    await expect(page.getByRole('table', { name: 'Plan totals' })).toContainText('$242.00');
    await expect(page.getByTestId('plan-next-due')).toContainText('no. 1');
    await expectAccessible(page, 'a payment plan');
    await page.getByRole('link', { name: a.number }).click();
    await expect(page.getByTestId('citation-status')).toHaveText('On a payment plan');
  });
});
