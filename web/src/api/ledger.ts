// Server state for the ledger: a party's obligations, entries, payments and refunds, the approval
// queue, and the money-moving actions. Every action takes the Idempotency-Key of the intended
// action (see useIdempotencyKey in lib/ledger.ts) and, once answered, refreshes what it changed.
import { useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { get, post } from './client';
import { qk as baseQk } from './queries';
import type {
  AdjustmentInput, AdjustmentResult, Approval, ApprovalList, ApprovalStatus, ChargeInput, DecisionInput,
  LedgerSettings, Obligation, ObligationList, PartyLedger, PaymentInput, PaymentList, PaymentResult,
  Refund, RefundInput, RefundList, ReturnReason, ReturnResult, TransferInput,
} from './types';

export const lk = {
  settings: ['ledger', 'settings'] as const,
  party: (partyId: number) => ['ledger', 'party', partyId] as const,
  obligations: (partyId: number) => ['ledger', 'party', partyId, 'obligations'] as const,
  entries: (partyId: number) => ['ledger', 'party', partyId, 'entries'] as const,
  payments: (partyId: number) => ['ledger', 'party', partyId, 'payments'] as const,
  refunds: (partyId: number) => ['ledger', 'party', partyId, 'refunds'] as const,
  obligation: (id: number) => ['ledger', 'obligation', id] as const,
  approvals: (status: ApprovalStatus) => ['approvals', status] as const,
};

export function useLedgerSettings() {
  return useQuery({ queryKey: lk.settings, queryFn: ({ signal }) => get<LedgerSettings>('/ledger/settings', undefined, signal), staleTime: 10 * 60_000 });
}

export function usePartyObligations(partyId: number) {
  return useQuery({
    queryKey: lk.obligations(partyId),
    queryFn: ({ signal }) => get<ObligationList>(`/parties/${partyId}/obligations`, { status: 'all' }, signal),
    enabled: partyId > 0,
  });
}

export function usePartyLedger(partyId: number, limit = 200) {
  return useQuery({
    queryKey: [...lk.entries(partyId), limit],
    queryFn: ({ signal }) => get<PartyLedger>(`/parties/${partyId}/ledger`, { limit }, signal),
    enabled: partyId > 0,
  });
}

export function usePartyPayments(partyId: number) {
  return useQuery({
    queryKey: lk.payments(partyId),
    queryFn: ({ signal }) => get<PaymentList>(`/parties/${partyId}/payments`, undefined, signal),
    enabled: partyId > 0,
  });
}

export function usePartyRefunds(partyId: number) {
  return useQuery({
    queryKey: lk.refunds(partyId),
    queryFn: ({ signal }) => get<RefundList>(`/parties/${partyId}/refunds`, undefined, signal),
    enabled: partyId > 0,
  });
}

export function useObligation(id: number | undefined) {
  return useQuery({
    queryKey: lk.obligation(id ?? 0),
    queryFn: ({ signal }) => get<Obligation>(`/obligations/${id}`, undefined, signal),
    enabled: !!id && id > 0,
  });
}

export function useApprovals(status: ApprovalStatus) {
  return useQuery({
    queryKey: lk.approvals(status),
    queryFn: ({ signal }) => get<ApprovalList>('/approvals', { status }, signal),
    staleTime: 0,
  });
}

/** After money moved: everything shown about these parties (and the queue, the reports) is stale. */
export function refreshAfterMoney(qc: QueryClient, ...partyIds: (number | undefined)[]) {
  for (const id of partyIds) {
    if (!id) continue;
    void qc.invalidateQueries({ queryKey: lk.party(id) });
    // Flags (cash-only) live on the party itself.
    void qc.invalidateQueries({ queryKey: baseQk.party(id) });
    void qc.invalidateQueries({ queryKey: ['statement', id] });
  }
  void qc.invalidateQueries({ queryKey: ['approvals'] });
  void qc.invalidateQueries({ queryKey: ['reports'] });
}

type Keyed<T> = T & { key: string };

export function useCharge() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ key, ...body }: Keyed<ChargeInput>) => post<Obligation>('/obligations', body, { idempotencyKey: key }),
    onSuccess: (o) => refreshAfterMoney(qc, o.party_id),
  });
}

export function usePayment() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ key, ...body }: Keyed<PaymentInput>) => post<PaymentResult>('/payments', body, { idempotencyKey: key }),
    onSuccess: (r) => refreshAfterMoney(qc, r.payment.party_id),
  });
}

export function useAdjustment(partyId: number) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ key, ...body }: Keyed<AdjustmentInput>) => post<AdjustmentResult>('/adjustments', body, { idempotencyKey: key }),
    onSuccess: () => refreshAfterMoney(qc, partyId),
  });
}

export type ObligationAction = 'write-off' | 'recovery' | 'cancel';

export function useObligationAction() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ key, id, action, reason }: { key: string; id: number; action: ObligationAction; reason: string }) =>
      post<Obligation>(`/obligations/${id}/${action}`, { reason }, { idempotencyKey: key }),
    onSuccess: (o) => refreshAfterMoney(qc, o.party_id),
  });
}

export function useReturnPayment(partyId: number) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ key, id, reason }: { key: string; id: number; reason: ReturnReason }) =>
      post<ReturnResult>(`/payments/${id}/return`, { reason }, { idempotencyKey: key }),
    onSuccess: () => refreshAfterMoney(qc, partyId),
  });
}

export function useTransfer(fromPartyId: number) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ key, ...body }: Keyed<TransferInput>) => post<PaymentResult>('/transfers', body, { idempotencyKey: key }),
    onSuccess: (r) => refreshAfterMoney(qc, fromPartyId, r.payment.party_id),
  });
}

export function useRequestRefund() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ key, ...body }: Keyed<RefundInput>) => post<Refund>('/refunds', body, { idempotencyKey: key }),
    onSuccess: (r) => refreshAfterMoney(qc, r.party_id),
  });
}

export function useIssueRefund() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ key, id, check_number }: { key: string; id: number; check_number: string }) =>
      post<Refund>(`/refunds/${id}/issue`, { check_number }, { idempotencyKey: key }),
    onSuccess: (r) => refreshAfterMoney(qc, r.party_id),
  });
}

export function useDecide() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...body }: DecisionInput & { id: number }) => post<Approval>(`/approvals/${id}/decision`, body),
    onSuccess: (a) => refreshAfterMoney(qc, a.party_id),
  });
}
