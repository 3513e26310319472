// What the counter-related browser tests share: an API client signed in as a demo user, and the
// drawer set-up and clean-up that lets each test open its own session and leave none behind.
import { expect, type APIRequestContext, type PlaywrightWorkerArgs } from '@playwright/test';
import { DEMO_PASSWORD, uniqueWord } from './helpers';

type Playwright = PlaywrightWorkerArgs['playwright'];

export interface Api {
  ctx: APIRequestContext;
  get: (path: string) => Promise<any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  post: (path: string, data?: unknown, expectStatus?: number) => Promise<any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  dispose: () => Promise<void>;
}

export const BASE = process.env.CIVICDESK_URL ?? 'http://127.0.0.1:8080';

/** An API client signed in as `username` (its own cookie jar). Money-moving POSTs get a fresh Idempotency-Key. */
export async function apiAs(playwright: Playwright, username: string): Promise<Api> {
  const ctx = await playwright.request.newContext({ baseURL: BASE });
  const res = await ctx.post('/api/v1/session', { data: { username, password: DEMO_PASSWORD } });
  expect(res.status(), await res.text()).toBe(200);
  const csrf = (await res.json()).csrf_token as string;
  return {
    ctx,
    get: async (path) => {
      const r = await ctx.get(path);
      expect(r.status(), `${path}: ${await r.text()}`).toBe(200);
      return r.json();
    },
    post: async (path, data, expectStatus) => {
      const r = await ctx.post(path, { headers: { 'X-CSRF-Token': csrf, 'Idempotency-Key': crypto.randomUUID() }, data: data ?? {} });
      const text = await r.text();
      if (expectStatus !== undefined) expect(r.status(), `${path}: ${text}`).toBe(expectStatus);
      else expect(r.status(), `${path}: ${text}`).toBeLessThan(300);
      return text ? JSON.parse(text) : undefined;
    },
    dispose: () => ctx.dispose(),
  };
}

const CENTS: [string, number][] = [['100', 10000], ['50', 5000], ['20', 2000], ['10', 1000], ['5', 500], ['1', 100], ['0.25', 25], ['0.10', 10], ['0.05', 5], ['0.01', 1]];
/** A count by denomination that adds up to `amount` exactly. */
export function countOf(amount: string): Record<string, number> {
  let cents = Math.round(Number(amount) * 100);
  const out: Record<string, number> = {};
  for (const [k, v] of CENTS) {
    const n = Math.floor(cents / v);
    if (n > 0) { out[k] = n; cents -= n * v; }
  }
  return out;
}

/** A new drawer with its own bank account (supervisor). */
export async function newDrawer(sup: Api): Promise<{ code: string; bank: string }> {
  const tag = uniqueWord('').toUpperCase().slice(0, 6);
  const code = `E2E-${tag}`;
  const bank = `E2E-BANK-${tag}`;
  await sup.post('/api/v1/drawers', { code, name: `Test window ${tag}`, office: 'E2E Annex', bank_account: bank }, 201);
  return { code, bank };
}

/**
 * Leaves `cashier` without a session: a leftover one is counted by the supervisor at exactly
 * what it should hold (so it balances and closes), then deposited by finance and the supervisor.
 */
export async function ensureNoSession(cashier: Api, sup: Api, fin: Api) {
  const r = await cashier.ctx.get('/api/v1/counter/session');
  if (r.status() === 404) return;
  expect(r.status(), await r.text()).toBe(200);
  const s = await r.json();
  if (s.status === 'open') {
    const full = await sup.get(`/api/v1/sessions/${s.id}`);
    if (full.totals?.card_unknown) await sup.post('/api/v1/counter/reconcile');
    const again = await sup.get(`/api/v1/sessions/${s.id}`);
    const counted = await sup.post(`/api/v1/sessions/${s.id}/count`, { count: countOf(again.totals.expected_cash), reason: 'e2e clean-up' });
    if (!counted.closed) await sup.post(`/api/v1/sessions/${s.id}/close`, { reason: 'e2e clean-up' });
  } else if (s.status === 'counted') {
    await sup.post(`/api/v1/sessions/${s.id}/close`, { reason: 'e2e clean-up' });
  }
  const drawers = await sup.get('/api/v1/drawers');
  const bank = (drawers.items as { code: string; bank_account: string }[]).find((d) => d.code === s.drawer)?.bank_account;
  if (bank && bank.startsWith('E2E-')) await depositAll(fin, sup, bank);
}

export async function depositAll(preparer: Api, closer: Api, bank: string) {
  const list = await preparer.get('/api/v1/deposits');
  if (!(list.ready as { bank_account: string }[]).some((d) => d.bank_account === bank)) return;
  const d = await preparer.post('/api/v1/deposits', { bank_account: bank }, 201);
  await closer.post(`/api/v1/deposits/${d.id}/close`, { bank_reference: `E2E-${d.id}` });
}
