// Server state for route administration and refuse carts: billing cycles and their read
// schedule, read routes and their walk (add a stop by account number, reorder, remove), and a
// refuse cart's add and stop. src/http/routes_billing_routes.cc serves them (docs/api/openapi.yaml).
import { useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { api, del, get, post } from './client';
import type { BillingCycle } from './billing';

export interface RouteStop {
  position: number;
  sequence: number;
  premise_id: number;
  service_address: string;
  account_number: number | null;
  party_name: string | null;
}
export interface RouteDetail { code: string; name: string; cycle: string; stops: RouteStop[] }
export interface RefuseCart {
  id: number;
  size_gallons: number;
  count: number;
  pickups_per_week: number;
  started_on: string;
  stopped_on: string | null;
}
export interface CycleBody { code: string; name: string; read_day: number; period_months: number }

function invalidateRoutes(qc: QueryClient) {
  void qc.invalidateQueries({ queryKey: ['billing', 'routes'] });
  void qc.invalidateQueries({ queryKey: ['billing', 'route'] });
  void qc.invalidateQueries({ queryKey: ['billing', 'cycles'] });
}

export function useCreateCycle() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: CycleBody) => post<BillingCycle>('/billing/cycles', body),
    onSuccess: () => invalidateRoutes(qc),
  });
}

export function useUpdateCycle() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ code, ...body }: CycleBody) =>
      api<BillingCycle>('PUT', `/billing/cycles/${encodeURIComponent(code)}`, { body }),
    onSuccess: () => invalidateRoutes(qc),
  });
}

export function useCreateRoute() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { code: string; name: string; cycle: string }) => post<RouteDetail>('/billing/routes', body),
    onSuccess: () => invalidateRoutes(qc),
  });
}

export function useRoute(code: string | null) {
  return useQuery({
    queryKey: ['billing', 'route', code],
    queryFn: ({ signal }) => get<RouteDetail>(`/billing/routes/${encodeURIComponent(code!)}`, undefined, signal),
    enabled: !!code,
  });
}

function useRouteChange<V>(code: string, fn: (v: V) => Promise<RouteDetail>) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: (data) => {
      qc.setQueryData(['billing', 'route', code], data);
      void qc.invalidateQueries({ queryKey: ['billing', 'account'] });
    },
  });
}

export function useAddStop(code: string) {
  return useRouteChange(code, (v: { account_number: number; position?: number }) =>
    post<RouteDetail>(`/billing/routes/${encodeURIComponent(code)}/stops`, v));
}

export function useReorderStops(code: string) {
  return useRouteChange(code, (premise_ids: number[]) =>
    api<RouteDetail>('PUT', `/billing/routes/${encodeURIComponent(code)}/stops`, { body: { premise_ids } }));
}

export function useRemoveStop(code: string) {
  return useRouteChange(code, (premise_id: number) =>
    del<RouteDetail>(`/billing/routes/${encodeURIComponent(code)}/stops/${premise_id}`));
}

function invalidateAccount(qc: QueryClient, number: number) {
  void qc.invalidateQueries({ queryKey: ['billing', 'account', number] });
}

export function useAddCart(number: number) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { size_gallons: number; count: number; pickups_per_week: number; started_on?: string }) =>
      post<RefuseCart>(`/billing/accounts/${number}/refuse-carts`, body),
    onSuccess: () => invalidateAccount(qc, number),
  });
}

export function useStopCart(number: number) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, stopped_on }: { id: number; stopped_on?: string }) =>
      post<RefuseCart>(`/billing/accounts/${number}/refuse-carts/${id}/stop`, stopped_on ? { stopped_on } : {}),
    onSuccess: () => invalidateAccount(qc, number),
  });
}
