// Reports: statement of account, aging, trial balance, journal export.
// Shapes come from docs/api/openapi.yaml through `npm run gen:api` (src/api/schema.d.ts).
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { get } from './client';
import type { components } from './schema';

type S = components['schemas'];

export const AGING_BUCKETS = [
  { key: 'current', label: 'Current' },
  { key: 'days_1_30', label: '1–30 days' },
  { key: 'days_31_60', label: '31–60 days' },
  { key: 'days_61_90', label: '61–90 days' },
  { key: 'days_over_90', label: 'Over 90 days' },
] as const satisfies readonly { key: keyof S['AgingBuckets']; label: string }[];
export type AgingBucketKey = (typeof AGING_BUCKETS)[number]['key'];

export type AgingBuckets = S['AgingBuckets'];
export type StatementEntry = S['StatementEntry'];
export type Statement = S['Statement'];
/** A fund-and-kind row, or (without kind) a fund's total row. */
export type AgingRow = S['AgingRow'];
export type AgingReport = S['AgingReport'];
export type TrialBalance = S['TrialBalance'];
export type FundTrialBalance = TrialBalance['funds'][number];
export type TrialBalanceAccount = FundTrialBalance['accounts'][number];

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
