import { expect, test } from '@playwright/test';
import { expectAccessible, signIn, uniqueWord } from './helpers';
import { apiAs } from './counterApi';

// Boots and tows on the scofflaw page, against a real server with the demo City. The test
// enters its own delinquent citations (issued 50 days ago, escalated as of today) on a plate no
// other run uses, so it passes on a fresh database, in any order, and twice in a row.

function citationNumber(): string {
  const n = 10_000_000 + Math.floor(Math.random() * 89_999_999);
  return `${n}${n % 7}`;
}

function uniquePlate(): string {
  return `B${uniqueWord('').toUpperCase().slice(0, 5)}${Math.floor(Math.random() * 90 + 10)}`;
}

function daysAgo(n: number): string {
  return new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);
}

test.describe('boots and tows', () => {
  test.describe.configure({ timeout: 120_000 });

  test('a boot is recorded, its release refused with the amount owed, then released on a payment plan', async ({ page, playwright }) => {
    const csr2 = await apiAs(playwright, 'csr2');
    const sup = await apiAs(playwright, 'supervisor');
    const csr1 = await apiAs(playwright, 'csr1');
    try {
      const plate = uniquePlate();
      await csr2.post('/api/v1/citations', {
        number: citationNumber(), issued_at: `${daysAgo(50)} 09:30`, location: '706 CHESTNUT ST', violation_code: 'V5204A',
        plate, plate_state: 'CA', make: 'TOYT', color: 'BLU', officer_id: 'PCO 123',
      }, 201);
      // Yesterday in UTC is never in the City's future: 49 days unpaid makes it delinquent.
      await sup.post('/api/v1/citations/escalations', { as_of: daysAgo(1) }, 200);

      // A CSR I may read but not record a boot.
      const refused = await csr1.ctx.post('/api/v1/citations/scofflaws/boots', { data: { plate_state: 'CA', plate, kind: 'boot' } });
      expect(refused.status()).toBe(403);

      await signIn(page, 'csr2');
      await page.goto('/citations/scofflaws');
      await expect(page.getByRole('heading', { name: 'Record boot/tow' })).toBeVisible();
      await page.getByLabel('Plate', { exact: true }).fill(plate);
      await page.getByLabel('Note').fill('rear left wheel');
      await page.getByRole('button', { name: 'Record boot/tow' }).click();
      await expect(page.getByText(`Recorded: boot on ${plate} CA.`)).toBeVisible();
      const row = page.getByTestId(`boot-CA-${plate}`);
      await expect(row).toContainText('rear left wheel');
      await expectAccessible(page, 'scofflaw page with a boot');

      await row.getByRole('button', { name: `Release boot on ${plate} CA` }).click();
      await expect(row.getByRole('alert')).toContainText(/1 citation unpaid: \$\d+\.\d{2} due; pay or enrol in a payment plan/);

      await csr2.post('/api/v1/citations/plans', { plate, plate_state: 'CA', months: 10, attested_by: 'Ana Ruiz' }, 201);
      await row.getByRole('button', { name: `Release boot on ${plate} CA` }).click();
      await expect(page.getByTestId(`boot-CA-${plate}`)).toHaveCount(0);
      const released = await csr2.get('/api/v1/citations/scofflaws/boots?status=released');
      const mine = (released.items as { plate: string; release_reason: string; released_by: string }[]).find((b) => b.plate === plate);
      expect(mine?.release_reason).toBe('payment plan');
      expect(mine?.released_by).toBe('csr2');
    } finally {
      await Promise.all([csr2.dispose(), sup.dispose(), csr1.dispose()]);
    }
  });
});
