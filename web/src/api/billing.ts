// Server state for utility billing: the account with its services, meters and reads, manual reads
// and the read checks' answer, the read exception queue's four resolutions, route export and
// handheld import, and the rate what-if. (Account search and the queue's pages: billingQueue.ts.)
// Shapes come from docs/api/openapi.yaml (schema.d.ts); src/http/routes_billing*.cc serve them.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { get, post } from './client';
import type { components, paths } from './schema';

type S = components['schemas'];
export type BillingAccountSummary = S['BillingAccountSummary'];
export type BillingAccount = S['BillingAccount'];
export type BillingRead = S['BillingRead'];
export type BillingReadException = S['BillingReadException'];
export type BillingReadImport = S['BillingReadImport'];
export type BillingWhatIf = S['BillingWhatIf'];
export type WhatIfBody = paths['/api/v1/billing/what-if']['post']['requestBody']['content']['application/json'];
export type ReadEntryResult = paths['/api/v1/billing/accounts/{number}/reads']['post']['responses'][201]['content']['application/json'];
export type ReadBody = paths['/api/v1/billing/accounts/{number}/reads']['post']['requestBody']['content']['application/json'];

export interface BillingCycle { code: string; name: string; read_day: number; period_months: number; next_read_on: string }
export interface BillingRoute { code: string; name: string; cycle: string }
export interface BillingRoutes { cycles: BillingCycle[]; routes: BillingRoute[] }

export function useBillingAccount(number: number) {
  return useQuery({
    queryKey: ['billing', 'account', number],
    queryFn: ({ signal }) => get<BillingAccount>(`/billing/accounts/${number}`, undefined, signal),
    enabled: Number.isFinite(number) && number > 0,
  });
}

export function useAccountReads(number: number, limit = 24) {
  return useQuery({
    queryKey: ['billing', 'reads', number, limit],
    queryFn: ({ signal }) => get<{ items: BillingRead[] }>(`/billing/accounts/${number}/reads`, { limit }, signal),
    enabled: Number.isFinite(number) && number > 0,
  });
}

function invalidateAccount(qc: ReturnType<typeof useQueryClient>, number?: number) {
  void qc.invalidateQueries({ queryKey: number ? ['billing', 'account', number] : ['billing', 'account'] });
  void qc.invalidateQueries({ queryKey: number ? ['billing', 'reads', number] : ['billing', 'reads'] });
  void qc.invalidateQueries({ queryKey: ['billing', 'exceptions'] });
}

export function useEnterRead(number: number) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: ReadBody) => post<ReadEntryResult>(`/billing/accounts/${number}/reads`, body),
    onSuccess: () => invalidateAccount(qc, number),
  });
}

export function useStopService(number: number) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, stopped_on }: { id: number; stopped_on?: string }) =>
      post<S['BillingService']>(`/billing/accounts/${number}/services/${id}/stop`, stopped_on ? { stopped_on } : {}),
    onSuccess: () => invalidateAccount(qc, number),
  });
}

export type ExchangeBody = paths['/api/v1/billing/accounts/{number}/meters/exchange']['post']['requestBody']['content']['application/json'];
export function useExchangeMeter(number: number) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: ExchangeBody) => post<S['BillingMeter']>(`/billing/accounts/${number}/meters/exchange`, body),
    onSuccess: () => invalidateAccount(qc, number),
  });
}

export type Resolution =
  | { action: 'accept'; note?: string }
  | { action: 'correct'; value: number; note?: string }
  | { action: 'reread'; note?: string }
  | { action: 'estimate'; method: 'average' | 'last_year'; note?: string };

export function useResolveException() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, r }: { id: number; r: Resolution }) => {
      const { action, ...body } = r;
      return post<BillingReadException>(`/billing/read-exceptions/${id}/${action}`, body);
    },
    onSuccess: () => invalidateAccount(qc),
  });
}

export function useBillingRoutes() {
  return useQuery({
    queryKey: ['billing', 'routes'],
    queryFn: ({ signal }) => get<BillingRoutes>('/billing/routes', undefined, signal),
    staleTime: 60_000,
  });
}

export function useImportReads() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (content: string) => post<BillingReadImport>('/billing/reads/imports', { content }),
    onSuccess: () => invalidateAccount(qc),
  });
}

export function useWhatIf() {
  return useMutation({ mutationFn: (body: WhatIfBody) => post<BillingWhatIf>('/billing/what-if', body) });
}

// --- Bill runs and bills (src/http/routes_billing_runs.cc) ---
export type BillRun = S['BillRun'];
export type Bill = S['Bill'];

export function useBillRuns() {
  return useQuery({
    queryKey: ['billing', 'runs'],
    queryFn: ({ signal }) => get<{ runs: BillRun[] }>('/billing/runs', undefined, signal),
  });
}

/** A run's counts; polled every 2 s while it is running. */
export function useBillRun(id: number | null) {
  return useQuery({
    queryKey: ['billing', 'run', id],
    queryFn: ({ signal }) => get<BillRun>(`/billing/runs/${id}`, undefined, signal),
    enabled: id !== null && id > 0,
    refetchInterval: (q) => (q.state.data?.status === 'running' ? 2000 : false),
  });
}

export function useStartRun() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ cycle, period_end, key }: { cycle: string; period_end: string; key: string }) =>
      post<BillRun>('/billing/runs', { cycle, period_end }, { idempotencyKey: key }),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ['billing', 'runs'] });
      void qc.invalidateQueries({ queryKey: ['billing', 'bills'] });
    },
  });
}

export function useAccountBills(number: number) {
  return useQuery({
    queryKey: ['billing', 'bills', 'account', number],
    queryFn: ({ signal }) => get<{ bills: Bill[] }>(`/billing/accounts/${number}/bills`, undefined, signal),
    enabled: Number.isFinite(number) && number > 0,
  });
}

export function useBill(id: number) {
  return useQuery({
    queryKey: ['billing', 'bills', 'one', id],
    queryFn: ({ signal }) => get<Bill>(`/billing/bills/${id}`, undefined, signal),
    enabled: Number.isFinite(id) && id > 0,
  });
}

export function useCancelBill() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, reason, key }: { id: number; reason: string; key: string }) =>
      post<Bill>(`/billing/bills/${id}/cancel`, { reason }, { idempotencyKey: key }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['billing', 'bills'] }),
  });
}

export function useRebill() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, reason, key }: { id: number; reason: string; key: string }) =>
      post<{ bills: Bill[] }>(`/billing/bills/${id}/rebill`, { reason }, { idempotencyKey: key }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['billing', 'bills'] }),
  });
}
