// Server state for account maintenance (src/http/routes_billing_accounts.cc): the penalty holds,
// the flags / mailing address / deposit record, the close at move-out with its final bill, adding
// a service and installing a meter (routes_billing.cc), and the late penalties assessed.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, get, patch, post } from './client';
import type { components, paths } from './schema';

type S = components['schemas'];
export type AccountHolds = S['BillingAccountHolds'];
export type AccountDetails = S['BillingAccountDetails'];
export type AccountClose = S['BillingAccountClose'];
export type BillingPenalty = S['BillingPenalty'];
export type BillingPenaltyList = S['BillingPenaltyList'];
export type AccountChangesBody = paths['/api/v1/billing/accounts/{number}']['patch']['requestBody']['content']['application/json'];
export type InstallMeterBody = paths['/api/v1/billing/accounts/{number}/meters']['post']['requestBody']['content']['application/json'];
export type PenaltyResult = paths['/api/v1/billing/penalties']['post']['responses'][200]['content']['application/json'];

/** Everything the account page shows about the account: refetched after each change. */
function invalidate(qc: ReturnType<typeof useQueryClient>, number: number) {
  void qc.invalidateQueries({ queryKey: ['billing', 'account', number] });
  void qc.invalidateQueries({ queryKey: ['billing', 'reads', number] });
  void qc.invalidateQueries({ queryKey: ['billing', 'bills'] });
}

export function useSetHolds(number: number) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { in_dispute: boolean; payment_arrangement: boolean; reason: string }) =>
      api<AccountHolds>('PUT', `/billing/accounts/${number}/holds`, { body }),
    onSuccess: () => invalidate(qc, number),
  });
}

export function useUpdateAccount(number: number) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: AccountChangesBody) => patch<AccountDetails>(`/billing/accounts/${number}`, body),
    onSuccess: () => invalidate(qc, number),
  });
}

export function useCloseAccount(number: number) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ closed_on, final_bill, key }: { closed_on: string; final_bill: boolean; key: string }) =>
      post<AccountClose>(`/billing/accounts/${number}/close`, { closed_on, final_bill }, { idempotencyKey: key }),
    onSuccess: () => invalidate(qc, number),
  });
}

export function useAddService(number: number) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { kind: string; rate_class: string; started_on?: string }) =>
      post<S['BillingService']>(`/billing/accounts/${number}/services`, body),
    onSuccess: () => invalidate(qc, number),
  });
}

export function useInstallMeter(number: number) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: InstallMeterBody) => post<S['BillingMeter']>(`/billing/accounts/${number}/meters`, body),
    onSuccess: () => invalidate(qc, number),
  });
}

export function usePenalties(asOf: string) {
  return useQuery({
    queryKey: ['billing', 'penalties', asOf],
    queryFn: ({ signal }) => get<BillingPenaltyList>('/billing/penalties', { as_of: asOf }, signal),
    enabled: /^\d{4}-\d{2}-\d{2}$/.test(asOf),
  });
}

export function useAssessPenalties() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ date, key }: { date: string; key: string }) => post<PenaltyResult>('/billing/penalties', { date }, { idempotencyKey: key }),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ['billing', 'penalties'] });
      void qc.invalidateQueries({ queryKey: ['billing', 'bills'] });
    },
  });
}
