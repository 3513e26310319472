import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';
import { expectAccessible, signIn, uniqueWord } from './helpers';
import { apiAs, type Api } from './counterApi';

// The citation queues against a real server with the demo City: the contest-review queue (a
// contested citation appears, oldest request first, is decided from the citation page and
// leaves the queue) and the hearing calendar (a requested hearing is scheduled onto a business
// day and shown on that day). Each test enters its own citations through the API (unique
// numbers with the City's mod-7 check digit, unique plates), so it passes on a fresh database,
// in any order, and twice in a row.

function citationNumber(): string {
  const n = 10_000_000 + Math.floor(Math.random() * 89_999_999);
  return `${n}${n % 7}`;
}

function uniquePlate(): string {
  return `R${uniqueWord('').toUpperCase().slice(0, 5)}${Math.floor(Math.random() * 90 + 10)}`;
}

/** A calendar date some days from today (UTC; the City is behind UTC, so "today" is never its future). */
function daysFrom(n: number, from = new Date()): string {
  return new Date(from.getTime() + n * 86_400_000).toISOString().slice(0, 10);
}

function usDate(iso: string): string {
  const [y, m, d] = iso.split('-');
  return `${m}/${d}/${y}`;
}

// The demo City's holidays (config/demo-city.yaml), so the test picks a business day for a hearing.
const HOLIDAYS = new Set(
  [...readFileSync(fileURLToPath(new URL('../../config/demo-city.yaml', import.meta.url)), 'utf8').matchAll(/\{date: (\d{4}-\d\d-\d\d), name:/g)].map((m) => m[1]),
);

function isBusinessDay(iso: string): boolean {
  const wd = new Date(`${iso}T00:00:00Z`).getUTCDay();
  return wd !== 0 && wd !== 6 && !HOLIDAYS.has(iso);
}

/** A business day at least `n` days ahead, and a Saturday near it. */
function businessDayAhead(n: number): string {
  let d = daysFrom(n);
  while (!isBusinessDay(d)) d = daysFrom(1, new Date(`${d}T00:00:00Z`));
  return d;
}

async function enterCitation(api: Api, plate: string, issuedOn: string) {
  return api.post('/api/v1/citations', {
    number: citationNumber(), issued_at: `${issuedOn} 09:30`, location: '1 SOUTH VAN NESS AVE', violation_code: 'V5204A',
    plate, plate_state: 'CA', make: 'FORD', color: 'WHT', officer_id: 'PCO 42',
  }, 201);
}

test.describe('citation queues', () => {
  test.describe.configure({ timeout: 120_000 });

  let csr2: Api;
  let csr3: Api;
  test.beforeEach(async ({ playwright }) => {
    csr2 = await apiAs(playwright, 'csr2');
    csr3 = await apiAs(playwright, 'csr3');
  });
  test.afterEach(async () => {
    await Promise.all([csr2.dispose(), csr3.dispose()]);
  });

  test('a contested citation waits in the review queue, oldest first, until csr3 decides it', async ({ page }) => {
    // Requested on its issue day, 20 days back: older than any request made today.
    const issued = daysFrom(-20);
    const c = await enterCitation(csr2, uniquePlate(), issued);
    await csr2.post(`/api/v1/citations/${c.number}/contest`, { reason: 'The meter was broken', requested_on: issued }, 200);
    const newer = await enterCitation(csr2, uniquePlate(), daysFrom(-2));
    await csr2.post(`/api/v1/citations/${newer.number}/contest`, { reason: 'Permit displayed' }, 200);

    // The API: oldest request first, with the day it was requested.
    const queue = await csr3.get('/api/v1/citations?status=review_requested&limit=200');
    const numbers = (queue.items as { number: string }[]).map((x) => x.number);
    expect(numbers.indexOf(c.number)).toBeGreaterThanOrEqual(0);
    expect(numbers.indexOf(c.number)).toBeLessThan(numbers.indexOf(newer.number));
    expect(queue.items[numbers.indexOf(c.number)].contest_requested_on).toBe(issued);

    await signIn(page, 'csr3');
    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Contest reviews' }).click();
    await expect(page.getByRole('heading', { name: 'Contest reviews', level: 1 })).toBeVisible();
    const row = page.getByTestId(`review-row-${c.number}`);
    await expect(row).toContainText(usDate(issued));
    await expect(row).toContainText(/\d+ days/);
    await expect(row).toContainText('$121.00');
    await expect(page.getByTestId(`review-row-${newer.number}`)).toBeVisible();
    await expectAccessible(page, 'the contest-review queue');

    await row.getByRole('link', { name: `Open citation ${c.number} to decide` }).click();
    await expect(page.getByRole('heading', { name: `Citation ${c.number}`, level: 1 })).toBeVisible();
    await page.getByRole('button', { name: 'Decide the review' }).click();
    const decide = page.getByRole('form', { name: 'Decide the review' });
    await decide.getByRole('combobox', { name: 'Outcome' }).selectOption('upheld');
    await decide.getByRole('textbox', { name: 'Reason for the decision' }).fill('Meter tested and working');
    await decide.getByRole('button', { name: 'Record the decision' }).click();
    await expect(page.getByTestId('citation-status')).toHaveText('Review decided');

    await page.getByRole('navigation', { name: 'Citations pages' }).getByRole('link', { name: 'Contest reviews' }).click();
    await expect(page.getByTestId(`review-row-${newer.number}`)).toBeVisible();
    await expect(page.getByTestId(`review-row-${c.number}`)).toHaveCount(0);

    // Leave nothing waiting for the next run.
    await csr3.post(`/api/v1/citations/${newer.number}/decision`, { outcome: 'dismissed', reason: 'e2e clean-up' }, 200);
  });

  test('a requested hearing is scheduled onto a business day and shown on that day of the calendar', async ({ page }) => {
    const c = await enterCitation(csr2, uniquePlate(), daysFrom(-3));
    await csr2.post(`/api/v1/citations/${c.number}/contest`, { reason: 'Sign hidden by a tree' }, 200);
    await csr3.post(`/api/v1/citations/${c.number}/decision`, { outcome: 'upheld', reason: 'Sign visible in the photo' }, 200);
    await csr2.post(`/api/v1/citations/${c.number}/hearing`, { action: 'request', reason: 'Wants to be heard' }, 200);
    const day = businessDayAhead(9);
    let saturday = daysFrom(1);
    while (new Date(`${saturday}T00:00:00Z`).getUTCDay() !== 6) saturday = daysFrom(1, new Date(`${saturday}T00:00:00Z`));

    await signIn(page, 'supervisor');
    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Hearing calendar' }).click();
    await expect(page.getByRole('heading', { name: 'Hearing calendar', level: 1 })).toBeVisible();
    const waiting = page.getByTestId(`hearing-waiting-${c.number}`);
    await expect(waiting).toBeVisible();
    await expectAccessible(page, 'the hearing calendar');

    // A Saturday is refused by the server; its message is shown on the date.
    const form = page.getByRole('form', { name: `Schedule the hearing of citation ${c.number}` });
    await form.getByLabel(`Hearing date for citation ${c.number}`).fill(saturday);
    await form.getByRole('button', { name: 'Schedule' }).click();
    await expect(form.getByText('is not a business day')).toBeVisible();

    await form.getByLabel(`Hearing date for citation ${c.number}`).fill(day);
    await form.getByRole('button', { name: 'Schedule' }).click();
    await expect(page.getByTestId(`hearing-waiting-${c.number}`)).toHaveCount(0);
    // The calendar shows the week of the hearing, the citation on its day.
    const onDay = page.getByTestId(`hearing-day-${day}`);
    await expect(onDay.getByTestId(`hearing-row-${c.number}`)).toBeVisible();
    await expect(onDay.getByTestId(`hearing-row-${c.number}`)).toContainText('Hearing scheduled');
    await expectAccessible(page, 'the hearing calendar with a hearing');

    // The week before does not hold it; back to its week by the date field, then to the citation.
    await page.getByRole('button', { name: 'Previous week' }).click();
    await expect(page.getByTestId(`hearing-row-${c.number}`)).toHaveCount(0);
    await page.getByRole('textbox', { name: 'Week of' }).fill(day);
    await page.getByRole('button', { name: 'Show the week' }).click();
    await page.getByTestId(`hearing-row-${c.number}`).getByRole('link', { name: c.number }).click();
    await expect(page.getByRole('heading', { name: `Citation ${c.number}`, level: 1 })).toBeVisible();
    await expect(page.getByText(`Hearing on ${usDate(day)}`)).toBeVisible();
  });
});
