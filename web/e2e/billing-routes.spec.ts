// Route administration and refuse carts: a supervisor creates a billing cycle and changes its read
// schedule, creates a read route in it, adds three accounts' premises as stops by account number,
// moves one up from the keyboard, saves the walk and downloads the route file in the new order,
// removes a stop; then adds a refuse cart on an account page and stops it. Every code, name and
// address is new on each run, so the test passes on a fresh demo City, in any order and twice on
// the same database.
import { expect, test, type Page } from '@playwright/test';
import { apiAs, type Api } from './counterApi';
import { expectAccessible, signIn, uniqueWord } from './helpers';

function daysAgo(n: number): string {
  // A day's margin behind UTC: the City's today (Pacific) may be yesterday in UTC terms.
  const d = new Date(Date.now() - (n + 1) * 86_400_000);
  return d.toISOString().slice(0, 10);
}

interface Stop { number: number; street: string; serial: string }

/** A household account in `cycle` with a meter (so the route file has a line for it). */
async function newAccount(api: Api, cycle: string, i: number): Promise<Stop> {
  const tag = uniqueWord('');
  const party = await api.post('/api/v1/parties', { kind: 'business', business_name: `Rt ${tag} Bakery`, confirm_duplicates: true }, 201);
  const street = `${8000 + i * 100 + Math.floor(Math.random() * 90)} ${tag.charAt(0).toUpperCase()}${tag.slice(1)} Ln`;
  const premise = await api.post('/api/v1/billing/premises', { line1: street, city: 'Riverton', state: 'CA', postal_code: '95502', premise_type: 'single_family' }, 201);
  const acct = await api.post('/api/v1/billing/accounts', {
    party_id: party.id, premise_id: premise.id, cycle, opened_on: daysAgo(60),
    services: [{ kind: 'water', rate_class: 'RES' }, { kind: 'refuse', rate_class: 'RES' }],
  }, 201);
  const serial = `RT${tag.slice(0, 6).toUpperCase()}`;
  await api.post(`/api/v1/billing/accounts/${acct.number}/meters`, { serial, dials: 5, unit: 'ccf', size: '5/8"', installed_on: daysAgo(60), initial_read: 500 }, 201);
  return { number: acct.number, street, serial };
}

async function chooseOption(page: Page, label: string, option: string | RegExp, scope = page.locator('body')) {
  await scope.getByRole('textbox', { name: label }).click();
  await page.getByRole('option', { name: option }).click();
}

test.describe('route administration and refuse carts', () => {
  test.setTimeout(150_000);

  test('create a cycle and a route, add stops, reorder from the keyboard, the download follows; remove a stop', async ({ page, playwright }) => {
    const word = uniqueWord('').toUpperCase();
    const cycle = `Y${word.slice(0, 7)}`;
    const route = `W${word.slice(0, 7)}`;

    await signIn(page, 'supervisor');
    await page.goto('/billing/routes');
    await expect(page.getByRole('heading', { name: 'Routes and read imports' })).toBeVisible();
    await expectAccessible(page, 'routes page');

    // A cycle: created, then its schedule changed in the dialog.
    const cycles = page.getByRole('region', { name: 'Billing cycles' });
    await cycles.getByLabel('Cycle code').fill(cycle);
    await cycles.getByLabel('Cycle name').fill(`Cycle ${cycle}: test walk`);
    await cycles.getByLabel('Read day (1–28)').fill('9');
    await cycles.getByRole('button', { name: 'Create cycle' }).click();
    const cycleRow = page.getByRole('table', { name: 'Billing cycles' }).getByRole('row').filter({ hasText: `${cycle} ·` });
    await expect(cycleRow).toContainText('Every month');
    await cycleRow.getByRole('button', { name: `Change schedule of ${cycle}` }).click();
    const dialog = page.getByRole('dialog', { name: `Read schedule of cycle ${cycle}` });
    await dialog.getByLabel('Read day (1–28)').fill('12');
    await chooseOption(page, 'Read every', 'Every 2 months', dialog);
    await expectAccessible(page, 'cycle schedule dialog');
    await dialog.getByRole('button', { name: 'Save schedule' }).click();
    await expect(dialog).toBeHidden();
    await expect(cycleRow).toContainText('Every 2 months');
    await expect(cycleRow.getByRole('cell').nth(1)).toHaveText('12');

    // A route in it: created, and its (empty) walk shown.
    await page.getByLabel('Route code').fill(route);
    await page.getByLabel('Route name').fill(`Walk ${route}`);
    await chooseOption(page, 'Route cycle', new RegExp(`^${cycle} ·`));
    await page.getByRole('button', { name: 'Create route' }).click();
    const walk = page.getByRole('region', { name: new RegExp(`^Walk of route ${route}`) });
    await expect(walk.getByText('No stops on this route yet.')).toBeVisible();

    // Three accounts in the cycle (through the API), added as stops by account number.
    const api = await apiAs(playwright, 'supervisor');
    const a = await newAccount(api, cycle, 1);
    const b = await newAccount(api, cycle, 2);
    const c = await newAccount(api, cycle, 3);
    await api.dispose();
    for (const s of [a, b, c]) {
      await walk.getByLabel('Account number').fill(String(s.number));
      await walk.getByRole('button', { name: 'Add stop' }).click();
      await expect(walk.getByTestId('walk-status')).toHaveText(`Added account ${s.number} to route ${route}.`);
    }
    const stops = walk.getByRole('table', { name: `Stops of route ${route} in walk order` });
    await expect(stops.getByRole('row')).toHaveCount(4);
    await expect(stops.getByRole('row').nth(1)).toContainText(a.street);
    // An account of another cycle is refused, naming the field.
    await walk.getByLabel('Account number').fill('1001');
    await walk.getByRole('button', { name: 'Add stop' }).click();
    await expect(walk.getByRole('alert')).toContainText('field: account_number');
    await walk.getByLabel('Account number').fill('');
    await expectAccessible(page, 'route walk');

    // c up twice from the keyboard: the focus stays on c's button as the row moves.
    const up = walk.getByRole('button', { name: `Move ${c.street}, RIVERTON, CA 95502 (account ${c.number}) up` });
    await up.focus();
    await page.keyboard.press('Enter');
    await expect(up).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(stops.getByRole('row').nth(1)).toContainText(c.street);
    await expect(walk.getByText('The walk order has unsaved changes.')).toBeVisible();
    await walk.getByRole('button', { name: 'Save walk order' }).click();
    await expect(walk.getByTestId('walk-status')).toHaveText(`Walk order of route ${route} saved.`);

    // The download is the saved walk: c, a, b.
    const csv = await (await page.request.get(`/api/v1/billing/routes/${route}/export`)).text();
    const serials = csv.trim().split('\n').slice(1).map((l) => [a, b, c].find((s) => l.includes(s.serial))?.serial);
    expect(serials).toEqual([c.serial, a.serial, b.serial]);
    // … and the page, after a reload, shows it too.
    await page.reload();
    await page.getByRole('button', { name: `Stops of route ${route}` }).click();
    await expect(stops.getByRole('row').nth(1)).toContainText(c.street);
    await expect(stops.getByRole('row').nth(2)).toContainText(a.street);

    // Remove a: two stops left, and the file follows.
    await walk.getByRole('button', { name: `Remove ${a.street}, RIVERTON, CA 95502 (account ${a.number}) from the route` }).click();
    await expect(stops.getByRole('row')).toHaveCount(3);
    // The focus lands on the next stop's Remove, not lost with the removed row.
    await expect(walk.getByRole('button', { name: `Remove ${b.street}, RIVERTON, CA 95502 (account ${b.number}) from the route` })).toBeFocused();
    const after = await (await page.request.get(`/api/v1/billing/routes/${route}/export`)).text();
    expect(after).not.toContain(a.serial);
    expect(after.indexOf(c.serial)).toBeLessThan(after.indexOf(b.serial));
    await expectAccessible(page, 'route walk after a removal');
  });

  test('add a refuse cart on the account page and stop it', async ({ page, playwright }) => {
    const api = await apiAs(playwright, 'supervisor');
    const a = await newAccount(api, 'C1', 4);
    await api.dispose();

    await signIn(page, 'csr2');
    await page.goto(`/billing/accounts/${a.number}`);
    await expect(page.getByRole('heading', { name: `Utility account ${a.number}` })).toBeVisible();
    await expect(page.getByText('No refuse carts.')).toBeVisible();
    await page.getByRole('button', { name: 'Add cart' }).click();
    const add = page.getByRole('dialog', { name: 'Add a refuse cart' });
    await chooseOption(page, 'Cart size', '96 gallons', add);
    await add.getByLabel('First day collected (YYYY-MM-DD)').fill(daysAgo(30));
    await expectAccessible(page, 'add cart dialog');
    await add.getByRole('button', { name: 'Add the cart' }).click();
    await expect(add).toBeHidden();
    const carts = page.getByRole('table', { name: 'Refuse carts' });
    await expect(carts.getByRole('row')).toHaveCount(2);
    await expect(carts.getByRole('row').nth(1)).toContainText('96 gal');

    await carts.getByRole('button', { name: 'Stop cart: 1 × 96 gallon, 1 pickup a week' }).click();
    const stop = page.getByRole('dialog', { name: 'Stop a refuse cart' });
    // Before the cart started: refused, naming the field.
    await stop.getByLabel('First day not collected (YYYY-MM-DD)').fill(daysAgo(40));
    await stop.getByRole('button', { name: 'Stop the cart' }).click();
    await expect(stop.getByRole('alert')).toContainText('field: stopped_on');
    await stop.getByLabel('First day not collected (YYYY-MM-DD)').fill(daysAgo(5));
    await stop.getByRole('button', { name: 'Stop the cart' }).click();
    await expect(stop).toBeHidden();
    await expect(page.getByTestId('cart-status')).toContainText('Cart stopped');
    await expect(carts.getByRole('button', { name: /^Stop cart/ })).toHaveCount(0);
    await expectAccessible(page, 'account page with a stopped cart');
  });
});
