// Server state for parking citations: lookup by plate and by number, manual entry, issuance
// imports, contests, decisions, hearings, void, the nightly escalation and the scofflaw list.
// Shapes come from docs/api/openapi.yaml (schema.d.ts); the fields the spec leaves open (events,
// steps) are read as the server sends them (src/http/routes_citations.cc).
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { get, post } from './client';
import type { components, paths } from './schema';

type S = components['schemas'];

export interface CitationEvent {
  event: string;
  from_status: string;
  to_status: string;
  dmv_hold: boolean;
  on: string;
  reason: string;
  by: string;
  approved_by: string | null;
}

export interface CitationStep {
  step: number;
  kind: string;
  name: string;
  due_on: string;
  posted_on: string;
  amount: string;
  obligation_id: number | null;
  without_effect: boolean;
  note: string;
}

export type Citation = Omit<S['CitationSummary'], 'events' | 'steps'> & {
  make?: string;
  color?: string;
  vin?: string | null;
  officer_id?: string | null;
  device_id?: string | null;
  notes?: string;
  owner_party_id?: number | null;
  notice_mailed_on?: string | null;
  decision_on?: string | null;
  hearing_on?: string | null;
  source?: string;
  events?: CitationEvent[];
  steps?: CitationStep[];
};

export interface CitationList { items: Citation[]; total_due: string }
/** A page of a queue (GET /citations without a plate): next_offset null on the last page. */
export interface CitationQueuePage { items: (Citation & { contest_requested_on?: string | null })[]; next_offset?: number | null }
/** The queues' filters (docs/api/openapi.yaml GET /api/v1/citations). */
export interface CitationQueueQuery { status?: string; hearing_from?: string; hearing_to?: string; owner?: number; limit?: number; offset?: number }
export type CitationImport = S['CitationImport'];
export type EscalationResult = paths['/api/v1/citations/escalations']['post']['responses'][200]['content']['application/json'];
export type Scofflaw = NonNullable<paths['/api/v1/citations/scofflaws']['get']['responses'][200]['content']['application/json']['items'][number]>;
export type DecisionBody = paths['/api/v1/citations/{number}/decision']['post']['requestBody']['content']['application/json'];
export type HearingBody = paths['/api/v1/citations/{number}/hearing']['post']['requestBody']['content']['application/json'];

export const citk = {
  all: ['citations'] as const,
  plate: (plate: string, state: string) => ['citations', 'plate', plate, state] as const,
  one: (number: string) => ['citations', 'one', number] as const,
  scofflaws: ['citations', 'scofflaws'] as const,
  queue: (q: CitationQueueQuery) => ['citations', 'queue', q] as const,
};

export const STATUS_WORDS: Record<string, string> = {
  issued: 'Issued',
  notice_sent: 'Notice sent',
  delinquent: 'Delinquent',
  review_requested: 'Review requested',
  review_decided: 'Review decided',
  hearing_requested: 'Hearing requested',
  hearing_scheduled: 'Hearing scheduled',
  hearing_decided: 'Hearing decided',
  court_appeal: 'Court appeal noted',
  court_decided: 'Court decided',
  on_plan: 'On a payment plan',
  plan_defaulted: 'Plan defaulted',
  collections: 'Sent to collections',
  paid: 'Paid',
  dismissed: 'Dismissed',
  written_off: 'Written off',
  void: 'Void',
};

export function statusWords(s: string): string {
  return STATUS_WORDS[s] ?? s.replace(/_/g, ' ');
}

export function statusColor(s: string): string {
  if (s === 'paid' || s === 'dismissed') return 'green';
  if (s === 'void' || s === 'written_off') return 'gray';
  if (s === 'delinquent' || s === 'collections' || s === 'plan_defaulted') return 'red';
  if (s.startsWith('review') || s.startsWith('hearing') || s.startsWith('court')) return 'violet';
  return 'blue';
}

export function usePlateCitations(plate: string, state: string) {
  return useQuery({
    queryKey: citk.plate(plate, state),
    queryFn: ({ signal }) => get<CitationList>('/citations', { plate, state }, signal),
    enabled: plate.trim().length > 0,
    staleTime: 0,
  });
}

export function useCitation(number: string) {
  return useQuery({
    queryKey: citk.one(number),
    queryFn: ({ signal }) => get<Citation>(`/citations/${encodeURIComponent(number)}`, undefined, signal),
    enabled: number.length > 0,
    retry: (n, err) => (err as { status?: number }).status !== 404 && n < 2,
  });
}

/** A queue: the contest reviews (status=review_requested), the hearing calendar (hearing_from/to), … */
export function useCitationQueue(q: CitationQueueQuery, enabled = true) {
  return useQuery({
    queryKey: citk.queue(q),
    queryFn: ({ signal }) => {
      const query: Record<string, string> = {};
      for (const [k, v] of Object.entries(q)) if (v !== undefined && v !== '') query[k] = String(v);
      return get<CitationQueuePage>('/citations', query, signal);
    },
    enabled,
    staleTime: 0,
  });
}

export function useScofflaws() {
  return useQuery({
    queryKey: citk.scofflaws,
    queryFn: ({ signal }) => get<{ items: Scofflaw[] }>('/citations/scofflaws', undefined, signal),
  });
}

/** One action on a citation (contest, decision, hearing, void); the answer is the citation. */
export function useCitationAction(number: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ path, body, key }: { path: 'contest' | 'decision' | 'hearing' | 'void'; body: unknown; key?: string }) =>
      post<Citation>(`/citations/${encodeURIComponent(number)}/${path}`, body, key ? { idempotencyKey: key } : {}),
    onSuccess: (c) => {
      qc.setQueryData(citk.one(number), c);
      void qc.invalidateQueries({ queryKey: ['citations', 'plate'] });
      void qc.invalidateQueries({ queryKey: ['citations', 'queue'] });
      void qc.invalidateQueries({ queryKey: citk.scofflaws });
      void qc.invalidateQueries({ queryKey: ['ledger'] });
    },
  });
}

export function useCreateCitation() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ body, key }: { body: Record<string, string>; key: string }) => post<Citation>('/citations', body, { idempotencyKey: key }),
    onSuccess: (c) => {
      if (c.number) qc.setQueryData(citk.one(c.number), c);
      void qc.invalidateQueries({ queryKey: ['citations', 'plate'] });
    },
  });
}

export function useImportCitations() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ content, format, key }: { content: string; format: string; key: string }) =>
      post<CitationImport>('/citations/imports', { content, format }, { idempotencyKey: key }),
    onSuccess: () => { void qc.invalidateQueries({ queryKey: citk.all }); },
  });
}

export function useEscalate() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ asOf, key }: { asOf: string; key: string }) =>
      post<EscalationResult>('/citations/escalations', { as_of: asOf }, { idempotencyKey: key }),
    onSuccess: () => { void qc.invalidateQueries({ queryKey: citk.all }); void qc.invalidateQueries({ queryKey: ['ledger'] }); },
  });
}

/** The obligations a citation's amount due sits on: the fine and each posted penalty. */
export function citationObligationIds(c: Citation): number[] {
  const ids = [c.obligation_id];
  for (const s of c.steps ?? []) if (s.obligation_id && !ids.includes(s.obligation_id)) ids.push(s.obligation_id);
  return ids.filter((x): x is number => typeof x === 'number' && x > 0);
}
