import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';

export const DEMO_PASSWORD = process.env.CIVICDESK_DEMO_PASSWORD ?? 'civicdesk-demo';

/** Sign in through the UI and wait for the frame to show the user. */
export async function signIn(page: Page, username: string, password = DEMO_PASSWORD) {
  await page.goto('/sign-in');
  await page.getByLabel('User name').fill(username);
  await page.getByRole('textbox', { name: 'Password', exact: true }).fill(password);
  await page.getByRole('textbox', { name: 'Password', exact: true }).press('Enter');
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
}

/** Fail on serious or critical accessibility violations on the page as it stands. */
export async function expectAccessible(page: Page, what: string) {
  // Let transitions (Mantine fades, notifications) settle so axe sees final colours.
  await page.waitForTimeout(250);
  const result = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'])
    .analyze();
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const report = bad.map((v) => `${v.impact} ${v.id}: ${v.help}\n  ${v.nodes.slice(0, 5).map((n) => `${n.target.join(' ')} — ${(n.any[0] ?? n.all[0] ?? n.none[0])?.message ?? ''}`).join('\n  ')}`).join('\n');
  expect(report, `accessibility violations on ${what}`).toBe('');
}

/** Letters only (search indexes may tokenise digits differently), unique enough per run. */
export function uniqueWord(prefix: string): string {
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  let s = '';
  for (let i = 0; i < 8; i++) s += letters[Math.floor(Math.random() * letters.length)];
  return prefix + s;
}

export function uniquePhone(): string {
  const n = () => Math.floor(Math.random() * 10);
  return `(555) ${2 + (n() % 8)}${n()}${n()}-${n()}${n()}${n()}${n()}`;
}
