// The counter's cart and tenders as the cashier builds them, and the sums shown while building
// (integer cents, never floats). The server decides; these sums only guide the cashier.
import type { CounterCart, TenderKind } from '../../api/counter';
import { normalizeField } from '../../lib/formErrors';
import { parseAmount } from '../../lib/ledger';
import { formatMoney, toCents } from '../../lib/money';

export interface CartLine {
  key: string;
  partyId: number;
  partyName: string;
  /** null: an amount applied by the City's allocation rules (by kind priority, oldest first). */
  obligationId: number | null;
  description: string;
  /** What the obligation (or, for a rules line, everything open of the customer) owes now. */
  owes: string;
  /** As typed. */
  amount: string;
}

export interface TenderDraft {
  key: string;
  kind: TenderKind;
  amount: string;
  checkNumber: string;
  bank: string;
  payer: string;
  micr: string;
  /** The named test card picked on the sandbox terminal (its number is sent only when used). */
  cardChoice: string;
  card: { token: string; brand: string; last4: string } | null;
  achLast4: string;
}

export const TENDER_KINDS: { kind: TenderKind; label: string; shortcut: string; code: string }[] = [
  { kind: 'cash', label: 'Cash', shortcut: 'Alt+C', code: 'KeyC' },
  { kind: 'check', label: 'Check', shortcut: 'Alt+K', code: 'KeyK' },
  { kind: 'money_order', label: 'Money order', shortcut: 'Alt+M', code: 'KeyM' },
  { kind: 'card', label: 'Card', shortcut: 'Alt+R', code: 'KeyR' },
  { kind: 'ach', label: 'Bank transfer (ACH)', shortcut: 'Alt+A', code: 'KeyA' },
];

export function tenderLabel(kind: string): string {
  return TENDER_KINDS.find((t) => t.kind === kind)?.label ?? kind;
}

let seq = 0;
export function newKey(prefix: string): string {
  seq += 1;
  return `${prefix}-${seq}`;
}

export function newTender(kind: TenderKind, amount: string): TenderDraft {
  return { key: newKey('t'), kind, amount, checkNumber: '', bank: '', payer: '', micr: '', cardChoice: 'visa-1111', card: null, achLast4: '' };
}

/** Cents of a typed amount, 0 when empty or unreadable. */
export function centsOf(s: string): bigint {
  const v = parseAmount(s);
  return v === undefined ? 0n : toCents(v);
}

export interface Sums {
  due: bigint;
  tendered: bigint;
  cash: bigint;
  nonCash: bigint;
  /** What is still to be tendered (0 when covered). */
  remaining: bigint;
  /** Change to hand back: what cash covers beyond what is due. */
  change: bigint;
}

export function sums(lines: CartLine[], tenders: TenderDraft[]): Sums {
  const due = lines.reduce((a, l) => a + centsOf(l.amount), 0n);
  const cash = tenders.filter((t) => t.kind === 'cash').reduce((a, t) => a + centsOf(t.amount), 0n);
  const nonCash = tenders.filter((t) => t.kind !== 'cash').reduce((a, t) => a + centsOf(t.amount), 0n);
  const tendered = cash + nonCash;
  const remaining = due > tendered ? due - tendered : 0n;
  const over = tendered > due ? tendered - due : 0n;
  const change = over < cash ? over : cash;
  return { due, tendered, cash, nonCash, remaining, change };
}

export type DraftErrors = Record<string, string>;

/** Client-side checks before posting; keys like "items.0.amount", "tenders.1.check_number", "cart", "tenders". */
export function validate(lines: CartLine[], tenders: TenderDraft[]): DraftErrors {
  const e: DraftErrors = {};
  if (lines.length === 0) e.cart = 'Add what the customer is paying: tick an obligation, or add an amount by the City’s rules';
  lines.forEach((l, i) => {
    const v = parseAmount(l.amount);
    if (v === undefined) e[`items.${i}.amount`] = 'Enter the amount in dollars and cents, e.g. 40.00';
    else if (toCents(v) <= 0n) e[`items.${i}.amount`] = 'Enter an amount greater than $0.00';
  });
  if (tenders.length === 0) e.tenders = 'Add how the customer pays (cash, check, money order, card or ACH)';
  tenders.forEach((t, i) => {
    const v = parseAmount(t.amount);
    if (v === undefined) e[`tenders.${i}.amount`] = 'Enter the amount in dollars and cents, e.g. 40.00';
    else if (toCents(v) <= 0n) e[`tenders.${i}.amount`] = 'Enter an amount greater than $0.00';
    if ((t.kind === 'check' || t.kind === 'money_order') && !t.checkNumber.trim()) e[`tenders.${i}.check_number`] = `Enter the ${t.kind === 'check' ? 'check' : 'money order'} number`;
    if (t.kind === 'card' && !t.card) e[`tenders.${i}.card_token`] = 'Read the card on the terminal first: type or swipe its number, or use a test card';
    if (t.kind === 'ach' && t.achLast4.trim() && !/^\d{4}$/.test(t.achLast4.trim())) e[`tenders.${i}.ach_last4`] = 'The last 4 digits of the account';
  });
  if (tenders.filter((t) => t.kind === 'card').length > 1) e.tenders = 'One card per transaction: take the rest by another tender';
  if (Object.keys(e).length === 0) {
    const s = sums(lines, tenders);
    if (s.remaining > 0n) e.tenders = `Still to pay: ${formatMoney(s.remaining)} — add a tender or raise an amount`;
    else if (s.nonCash > s.due) e.tenders = 'Checks, money orders, cards and ACH may not be more than what is due: only cash makes change';
  }
  return e;
}

export function toCart(lines: CartLine[], tenders: TenderDraft[], note?: string): CounterCart {
  return {
    items: lines.map((l) => ({
      party_id: l.partyId,
      ...(l.obligationId ? { obligation_id: l.obligationId } : {}),
      amount: parseAmount(l.amount)!,
    })),
    tenders: tenders.map((t) => {
      const base = { kind: t.kind, amount: parseAmount(t.amount)! };
      switch (t.kind) {
        case 'check':
        case 'money_order':
          return {
            ...base,
            check_number: t.checkNumber.trim(),
            ...(t.bank.trim() ? { bank: t.bank.trim() } : {}),
            ...(t.payer.trim() ? { payer: t.payer.trim() } : {}),
            ...(t.micr.trim() ? { micr: t.micr.trim() } : {}),
          };
        case 'card':
          return { ...base, card_token: t.card!.token };
        case 'ach':
          return { ...base, ...(t.achLast4.trim() ? { ach_last4: t.achLast4.trim() } : {}) };
        default:
          return base;
      }
    }),
    ...(note?.trim() ? { note: note.trim() } : {}),
  };
}

/** The server's field ("tenders[0].kind", "items[1].obligation_id") as a draft error key. */
export function draftKey(field: string): string {
  return normalizeField(field);
}
