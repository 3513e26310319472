// Reports: statement of account, aging, trial balance, journal export.
//
// These shapes are the UI's reading of src/http/routes_reports.cc (being written while this was):
// docs/api/openapi.yaml did not document the report endpoints yet. When it does, replace each
// interface below by the generated one (S['…'] from ./schema, as types.ts does) so a renamed
// field breaks the build; the pages only use the names below.
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { get } from './client';
import type { MoneyString } from './types';

export const AGING_BUCKETS = [
  { key: 'current', label: 'Current' },
  { key: 'days_1_30', label: '1–30 days' },
  { key: 'days_31_60', label: '31–60 days' },
  { key: 'days_61_90', label: '61–90 days' },
  { key: 'days_over_90', label: 'Over 90 days' },
] as const;
export type AgingBucketKey = (typeof AGING_BUCKETS)[number]['key'];

export type AgingBuckets = Record<AgingBucketKey | 'total', MoneyString>;

export interface StatementEntry {
  date: string;
  entry_id: number;
  kind: string;
  /** the kind in plain words, e.g. "Credit applied" */
  description: string;
  memo: string;
  /** what the entry added to the balance (>= 0) */
  charges: MoneyString;
  /** what it took off (>= 0) */
  payments: MoneyString;
  /** the running balance after the entry */
  balance: MoneyString;
}

export interface Statement {
  city: string;
  party: { id: number; name: string; address: string[] };
  from: string;
  to: string;
  opening_balance: MoneyString;
  entries: StatementEntry[];
  total_charges: MoneyString;
  total_payments: MoneyString;
  /** what is owed at the end of `to`, less credit */
  closing_balance: MoneyString;
  closing_credit: MoneyString;
  aging: AgingBuckets;
}

export type AgingRow = AgingBuckets & {
  fund: string;
  fund_name: string;
  /** absent on a fund's total row */
  kind?: string;
  kind_name?: string;
};

export interface AgingReport {
  as_of: string;
  rows: AgingRow[];
  fund_totals: AgingRow[];
  total: AgingBuckets;
}

export interface TrialBalanceAccount {
  account: string;
  name: string;
  type: string;
  debits: MoneyString;
  credits: MoneyString;
  /** debits − credits: positive is a debit balance */
  net: MoneyString;
}

export interface FundTrialBalance {
  fund: string;
  name: string;
  accounts: TrialBalanceAccount[];
  debits: MoneyString;
  credits: MoneyString;
  balanced: boolean;
}

export interface TrialBalance {
  as_of: string;
  funds: FundTrialBalance[];
  debits: MoneyString;
  credits: MoneyString;
}

export const statementUrl = (partyId: number, from: string, to: string, format?: 'pdf') => {
  const qs = new URLSearchParams({ from, to });
  if (format) qs.set('format', format);
  return `/api/v1/parties/${partyId}/statement?${qs}`;
};
export const journalUrl = (date: string) => `/api/v1/reports/journal?${new URLSearchParams({ date })}`;

export function useStatement(partyId: number, from: string, to: string) {
  return useQuery({
    queryKey: ['statement', partyId, from, to],
    queryFn: ({ signal }) => get<Statement>(`/parties/${partyId}/statement`, { from, to }, signal),
    enabled: partyId > 0 && !!from && !!to,
    placeholderData: keepPreviousData,
  });
}

export function useAging(date: string) {
  return useQuery({
    queryKey: ['reports', 'aging', date],
    queryFn: ({ signal }) => get<AgingReport>('/reports/aging', { date }, signal),
    enabled: !!date,
    placeholderData: keepPreviousData,
  });
}

export function useTrialBalance(date: string) {
  return useQuery({
    queryKey: ['reports', 'trial-balance', date],
    queryFn: ({ signal }) => get<TrialBalance>('/reports/trial-balance', { date }, signal),
    enabled: !!date,
    placeholderData: keepPreviousData,
  });
}
