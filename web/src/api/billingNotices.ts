// Server state for utility late and shut-off notices: run the notices of a mailing date, the
// batches with their PDF, an account's notice history and the field crews' shut-off list.
// Shapes come from docs/api/openapi.yaml (schema.d.ts); src/http/routes_billing_notices.cc
// serves them.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { get, post } from './client';
import type { components } from './schema';

type S = components['schemas'];
export type NoticeBatch = S['UtilityNoticeBatch'];
export type BillNotice = S['UtilityNotice'];
export type ShutoffListRow = S['ShutoffListRow'];

export function useNoticeBatches() {
  return useQuery({
    queryKey: ['billing', 'notices', 'runs'],
    queryFn: ({ signal }) => get<{ runs: NoticeBatch[] }>('/billing/notices/runs', undefined, signal),
  });
}

export function useRunNotices() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ date, key }: { date: string; key: string }) =>
      post<NoticeBatch>('/billing/notices/runs', { date }, { idempotencyKey: key }),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ['billing', 'notices'] });
    },
  });
}

export function useAccountNotices(number: number) {
  return useQuery({
    queryKey: ['billing', 'notices', 'account', number],
    queryFn: ({ signal }) => get<{ notices: BillNotice[] }>(`/billing/accounts/${number}/notices`, undefined, signal),
    enabled: Number.isFinite(number) && number > 0,
  });
}

export function useShutoffList(date: string) {
  return useQuery({
    queryKey: ['billing', 'notices', 'shutoff-list', date],
    queryFn: ({ signal }) =>
      get<{ date: string; accounts: ShutoffListRow[] }>('/billing/shutoff-list', date ? { date } : undefined, signal),
  });
}

export const noticeBatchPdfUrl = (id: number) => `/api/v1/billing/notices/runs/${id}/pdf`;
export const shutoffListCsvUrl = (date: string) =>
  `/api/v1/billing/shutoff-list?format=csv${date ? `&date=${encodeURIComponent(date)}` : ''}`;
