// Server state for delinquency notices and indigent payment plans (VC 40215, 40220): print the
// notice batch of a date and open its PDF; enrol a plate's citations in a plan; read the plans.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { get, post } from './client';
import type { components } from './schema';

export type NoticeBatch = components['schemas']['NoticeBatch'];
export type CitationNotice = components['schemas']['CitationNotice'];
export type CitationPlan = components['schemas']['CitationPlan'];

export const ntk = {
  batches: ['citations', 'notices', 'batches'] as const,
  plans: (status: string) => ['citations', 'plans', status] as const,
  plan: (id: number) => ['citations', 'plan', id] as const,
};

export function useNoticeBatches() {
  return useQuery({
    queryKey: ntk.batches,
    queryFn: ({ signal }) => get<{ items: NoticeBatch[] }>('/citations/notices/batches', undefined, signal),
    staleTime: 0,
  });
}

/** Prints the date's batch (the same batch again when the date was printed before). */
export function usePrintNotices() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (date: string) => post<NoticeBatch>('/citations/notices/batches', { date }),
    onSuccess: () => { void qc.invalidateQueries({ queryKey: ['citations'] }); },
  });
}

/** The batch's letters as one PDF (opened in a new tab). */
export function noticePdfUrl(id: number): string {
  return `/api/v1/citations/notices/batches/${id}/pdf`;
}

export function usePlans(status: string) {
  return useQuery({
    queryKey: ntk.plans(status),
    queryFn: ({ signal }) => get<{ items: CitationPlan[] }>('/citations/plans', status ? { status } : undefined, signal),
    staleTime: 0,
  });
}

export function usePlan(id: number) {
  return useQuery({
    queryKey: ntk.plan(id),
    queryFn: ({ signal }) => get<CitationPlan>(`/citations/plans/${id}`, undefined, signal),
    enabled: id > 0,
  });
}

export interface PlanEnrolment {
  citation_numbers: string[];
  months: number;
  proof: 'attested' | 'documented';
  attested_by: string;
  proof_note?: string;
}

export function useEnrolPlan() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ body, key }: { body: PlanEnrolment; key: string }) => post<CitationPlan>('/citations/plans', body, { idempotencyKey: key }),
    onSuccess: (p) => {
      if (p.id) qc.setQueryData(ntk.plan(p.id), p);
      void qc.invalidateQueries({ queryKey: ['citations'] });
      void qc.invalidateQueries({ queryKey: ['ledger'] });
    },
  });
}
