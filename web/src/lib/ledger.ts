import { useCallback, useRef } from 'react';
import { isApiError, newIdempotencyKey } from '../api/client';
import type { LedgerSettings, ObligationStatus, Role } from '../api/types';
import { centsToDecimal, formatMoney, toCents } from './money';

export const STATUS_LABEL: Record<ObligationStatus, string> = {
  open: 'Open',
  paid: 'Paid',
  written_off: 'Written off',
  cancelled: 'Cancelled',
};
export const STATUS_COLOR: Record<ObligationStatus, string> = {
  open: 'blue',
  paid: 'green',
  written_off: 'gray',
  cancelled: 'gray',
};

export const TENDERS = [
  { value: 'cash', label: 'Cash' },
  { value: 'check', label: 'Check' },
  { value: 'money_order', label: 'Money order' },
  { value: 'card', label: 'Card' },
  { value: 'ach', label: 'Bank transfer (ACH)' },
] as const;

export const CHANNELS = [
  { value: 'counter', label: 'Counter' },
  { value: 'mail', label: 'Mail' },
  { value: 'online', label: 'Online' },
  { value: 'lockbox', label: 'Lockbox' },
] as const;

export const RETURN_REASONS = [
  { value: 'nsf', label: 'Not sufficient funds (NSF)' },
  { value: 'chargeback', label: 'Card chargeback' },
  { value: 'stop_payment', label: 'Stop payment' },
  { value: 'closed_account', label: 'Account closed' },
] as const;

export const PAYMENT_STATUS_LABEL: Record<string, string> = {
  posted: 'Posted',
  returned: 'Returned',
  transferred: 'Transferred away',
};

export const REFUND_STATUS_LABEL: Record<string, string> = {
  requested: 'Waiting for approval',
  approved: 'Approved — to issue',
  issued: 'Issued',
  denied: 'Denied',
};

export const REFUND_METHOD_LABEL: Record<string, string> = {
  check: 'Check',
  original_tender: 'Back to the original tender',
};

const ENTRY_KIND: Record<string, string> = {
  charge: 'Charge',
  payment: 'Payment',
  adjustment: 'Adjustment',
  return: 'Returned payment',
  transfer_out: 'Payment moved away',
  transfer_in: 'Payment moved here',
  transfer: 'Payment transfer',
  write_off: 'Write-off',
  writeoff: 'Write-off',
  recovery: 'Write-off recovered',
  cancel: 'Cancelled',
  cancellation: 'Cancelled',
  credit_application: 'Credit applied',
  refund: 'Refund',
  refund_issue: 'Refund issued',
};

export function labelOf(list: readonly { value: string; label: string }[], v: string): string {
  return list.find((x) => x.value === v)?.label ?? v;
}

/** An entry kind code in plain words ("credit_application" → "Credit applied"). */
export function entryKindWords(kind: string): string {
  if (ENTRY_KIND[kind]) return ENTRY_KIND[kind];
  const s = kind.replace(/[_-]+/g, ' ').trim();
  return s ? s[0].toUpperCase() + s.slice(1) : kind;
}

export function kindName(settings: LedgerSettings | undefined, code: string): string {
  return settings?.obligation_kinds.find((k) => k.code === code)?.name ?? code.replace(/_/g, ' ');
}

export function reasonName(settings: LedgerSettings | undefined, code: string): string {
  return settings?.adjustment_reasons.find((r) => r.code === code)?.name ?? code;
}

/** The effect of an entry on what is owed and on credit, in plain words. */
export function effectWords(receivable: string, credit: string): string {
  const r = toCents(receivable);
  const c = toCents(credit);
  const parts: string[] = [];
  if (r > 0n) parts.push(`owes ${formatMoney(r)} more`);
  if (r < 0n) parts.push(`owes ${formatMoney(-r)} less`);
  if (c > 0n) parts.push(`credit up ${formatMoney(c)}`);
  if (c < 0n) parts.push(`credit down ${formatMoney(-c)}`);
  return parts.length ? parts.join('; ') : 'no change to what is owed';
}

/**
 * A role's own adjustment authority from settings.adjustment_limits:
 * { kind: 'unlimited' } | { kind: 'limit', cents } | { kind: 'none' } (may only request).
 */
export type Authority = { kind: 'unlimited' } | { kind: 'limit'; cents: bigint } | { kind: 'none' };
export function adjustmentAuthority(settings: LedgerSettings | undefined, role: string): Authority {
  const limits = settings?.adjustment_limits ?? {};
  if (!(role in limits)) return { kind: 'none' };
  const v = limits[role];
  if (v === null || v === undefined) return { kind: 'unlimited' };
  return { kind: 'limit', cents: toCents(v) };
}

export function authorityWords(a: Authority): string {
  if (a.kind === 'unlimited') return 'no limit';
  if (a.kind === 'none') return 'none (every adjustment goes for approval)';
  return `up to ${formatMoney(a.cents)}`;
}

/** Titles of roles that may approve an adjustment of `cents` ("a CSR III or supervisor"). */
export function approverTitles(settings: LedgerSettings | undefined, roles: Role[] | undefined, cents: bigint): string[] {
  if (!settings || !roles) return [];
  return roles
    .filter((r) => r.permissions.includes('adjustment.approve'))
    .filter((r) => {
      const a = adjustmentAuthority(settings, r.name);
      return a.kind === 'unlimited' || (a.kind === 'limit' && a.cents >= cents);
    })
    .map((r) => r.title);
}

export function orList(items: string[]): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

/** "12.3" / "$1,234.5" → "1234.30"; undefined when it is not an amount. */
export function parseAmount(s: string): string | undefined {
  try {
    return centsToDecimal(toCents(s));
  } catch {
    return undefined;
  }
}

/** Form validation for a positive money amount (returns the error message or null). */
export function positiveAmountError(s: string, what = 'the amount'): string | null {
  const v = parseAmount(s);
  if (v === undefined) return `Enter ${what} in dollars and cents, e.g. 40.00`;
  if (toCents(v) <= 0n) return `Enter ${what} greater than $0.00`;
  return null;
}

/**
 * One Idempotency-Key per intended action: `reset()` when a form or dialog opens, `key()` on each
 * submit (a retry after a network failure, a 5xx or a 409 "still running" reuses it, so the server
 * replays the one result), `settle(err)` after an answer: a definite refusal (4xx other than 409)
 * is stored against the key by the server, so the corrected attempt is a new action with a new key.
 */
export function useIdempotencyKey() {
  const ref = useRef<string>(newIdempotencyKey());
  const reset = useCallback(() => { ref.current = newIdempotencyKey(); }, []);
  const key = useCallback(() => ref.current, []);
  const settle = useCallback((err: unknown) => {
    if (isApiError(err) && err.status >= 400 && err.status < 500 && err.status !== 409) {
      ref.current = newIdempotencyKey();
    }
  }, []);
  return { key, reset, settle };
}
