// Server state for the read exception queue's pages and filters, account lookup by name, and the
// what-if form's choices (meter sizes, rate versions). The rest of billing is in billing.ts; the
// resolutions there invalidate ['billing', 'exceptions'], which these queries sit under.
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { get } from './client';
import type { components, paths } from './schema';

type S = components['schemas'];
export type BillingReadException = S['BillingReadException'];
export type BillingExpectedRange = S['BillingExpectedRange'];
export type BillingAccountSummary = S['BillingAccountSummary'];
export type ExceptionPage = paths['/api/v1/billing/read-exceptions']['get']['responses'][200]['content']['application/json'];
export type WhatIfOptions = paths['/api/v1/billing/what-if/options']['get']['responses'][200]['content']['application/json'];

export const REASONS = ['negative', 'zero_usage', 'implausible_jump', 'high_usage', 'low_usage'] as const;
export type Reason = (typeof REASONS)[number];

export interface ExceptionFilter {
  status: 'open' | 'reread' | 'all';
  code: Reason | '';
  route: string; // a read route code, or '' for every route
  account: string; // digits, or '' for every account
  page: number; // 1-based
  pageSize: number;
}

export function useExceptionPage(f: ExceptionFilter) {
  const params: Record<string, string | number> = { status: f.status, limit: f.pageSize, offset: (f.page - 1) * f.pageSize };
  if (f.code) params.code = f.code;
  if (f.route) params.route = f.route;
  if (/^\d+$/.test(f.account.trim())) params.account = f.account.trim();
  return useQuery({
    queryKey: ['billing', 'exceptions', 'page', params],
    queryFn: ({ signal }) => get<ExceptionPage>('/billing/read-exceptions', params, signal),
    placeholderData: keepPreviousData,
  });
}

/**
 * One box, three ways in: digits are an account number (else the start of an address), text
 * starting with a digit the start of a service address, other text the customer's name — and,
 * when no name matches, the start of an address ("Oak St").
 */
export async function lookupAccounts(raw: string, signal?: AbortSignal): Promise<BillingAccountSummary[]> {
  const q = raw.trim();
  if (!q) return [];
  const list = async (params: Record<string, string>) =>
    (await get<{ items: BillingAccountSummary[] }>('/billing/accounts', params, signal)).items;
  if (/^\d+$/.test(q)) {
    const byNumber = await list({ number: q });
    if (byNumber.length > 0) return byNumber;
  }
  if (/^\d/.test(q)) return list({ address: q });
  const byName = await list({ name: q });
  return byName.length > 0 ? byName : list({ address: q });
}

export function useAccountLookup(q: string) {
  return useQuery({
    queryKey: ['billing', 'lookup', q.trim()],
    queryFn: ({ signal }) => lookupAccounts(q, signal),
    enabled: q.trim().length > 0,
  });
}

export function useWhatIfOptions() {
  return useQuery({
    queryKey: ['billing', 'what-if-options'],
    queryFn: ({ signal }) => get<WhatIfOptions>('/billing/what-if/options', undefined, signal),
    staleTime: 5 * 60_000,
  });
}
