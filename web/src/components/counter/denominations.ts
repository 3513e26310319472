// The denominations the API counts (src/cashiering/denominations.cc), with their value in cents.
import type { CashCount } from '../../api/counter';
import { formatMoney } from '../../lib/money';

export interface Denomination {
  /** The key the API takes in a CashCount. */
  key: string;
  label: string;
  cents: bigint;
  coin: boolean;
}

export const DENOMINATIONS: Denomination[] = [
  { key: '100', label: '$100 bills', cents: 10000n, coin: false },
  { key: '50', label: '$50 bills', cents: 5000n, coin: false },
  { key: '20', label: '$20 bills', cents: 2000n, coin: false },
  { key: '10', label: '$10 bills', cents: 1000n, coin: false },
  { key: '5', label: '$5 bills', cents: 500n, coin: false },
  { key: '2', label: '$2 bills', cents: 200n, coin: false },
  { key: '1', label: '$1 bills', cents: 100n, coin: false },
  { key: '1c', label: '$1 coins', cents: 100n, coin: true },
  { key: '0.25', label: 'Quarters', cents: 25n, coin: true },
  { key: '0.10', label: 'Dimes', cents: 10n, coin: true },
  { key: '0.05', label: 'Nickels', cents: 5n, coin: true },
  { key: '0.01', label: 'Pennies', cents: 1n, coin: true },
];

/** Pieces as typed (strings, possibly empty) per denomination key. */
export type CountDraft = Record<string, string>;

export function emptyDraft(): CountDraft {
  return Object.fromEntries(DENOMINATIONS.map((d) => [d.key, '']));
}

export function draftFromCount(c: CashCount | undefined): CountDraft {
  const d = emptyDraft();
  for (const [k, v] of Object.entries(c ?? {})) d[k] = String(v);
  return d;
}

/** The error for a typed piece count, or null. */
export function piecesError(s: string): string | null {
  const t = s.trim();
  if (t === '') return null;
  if (!/^\d{1,7}$/.test(t)) return 'Whole pieces, e.g. 12';
  if (Number(t) > 1_000_000) return 'At most 1,000,000';
  return null;
}

/** The draft as the API's CashCount (empty and zero counts left out); undefined when a count is not a whole number. */
export function toCashCount(d: CountDraft): CashCount | undefined {
  const out: CashCount = {};
  for (const den of DENOMINATIONS) {
    const t = (d[den.key] ?? '').trim();
    if (t === '') continue;
    if (piecesError(t)) return undefined;
    const n = Number(t);
    if (n > 0) out[den.key] = n;
  }
  return out;
}

export function countCents(c: CashCount | CountDraft | undefined): bigint {
  let total = 0n;
  for (const den of DENOMINATIONS) {
    const raw = c?.[den.key];
    const n = typeof raw === 'number' ? raw : Number((raw ?? '').trim() || '0');
    if (Number.isSafeInteger(n) && n > 0) total += den.cents * BigInt(n);
  }
  return total;
}

/** "5 × $20, 40 × quarters" */
export function countWords(c: CashCount | undefined): string {
  const parts = DENOMINATIONS.filter((d) => (c?.[d.key] ?? 0) > 0).map((d) => `${c![d.key]} × ${d.label.toLowerCase()}`);
  return parts.length ? parts.join(', ') : 'nothing';
}

export function denominationLabel(key: string): string {
  return DENOMINATIONS.find((d) => d.key === key)?.label ?? key;
}

export function formatCount(c: CashCount | CountDraft | undefined): string {
  return formatMoney(countCents(c));
}
