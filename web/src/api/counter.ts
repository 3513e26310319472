// Server state for the counter (cashiering): drawers, cashier sessions and the blind count,
// counter transactions (a cart paid with tenders), voids, receipts, the end-of-day reports,
// deposits and revolving funds. Money-moving POSTs carry the Idempotency-Key of the intended
// action (useIdempotencyKey in lib/ledger.ts).
//
// The spec (docs/api/openapi.yaml) documents several of these answers as bare objects (a
// transaction's items and tenders, a drawer, the reports); the interfaces below are the UI's
// reading of what src/http/routes_counter.cc sends, built on the generated schema types where the
// spec has them (the session, the cart, the card terminal).
import { keepPreviousData, useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { get, isApiError, patch, post } from './client';
import { refreshAfterMoney } from './ledger';
import type { components, paths } from './schema';
import type { MoneyString, ObligationList } from './types';

type S = components['schemas'];

/** Pieces per denomination: "100", "50", "20", "10", "5", "2", "1" (bills), "1c" (dollar coins), "0.25" … "0.01". */
export type CashCount = Record<string, number>;

/** What an open session has taken so far; only for drawer.supervise / deposit.close. */
export interface SessionTotals {
  expected_cash: MoneyString;
  receipts: MoneyString;
  by_tender: Record<string, MoneyString>;
  by_fund: Record<string, MoneyString>;
  transactions: number;
  voided: number;
  card_unknown: number;
}

type SessionSchema = S['CashierSession'];
export type CashierSession = Required<Pick<SessionSchema, 'id' | 'drawer' | 'office' | 'cashier' | 'status' | 'business_date' | 'opened_at' | 'float' | 'float_count'>>
  & Omit<SessionSchema, 'totals'>
  & { counted_count?: CashCount; totals?: SessionTotals };

export interface Drawer {
  code: string;
  name: string;
  office: string;
  bank_account: string;
  printer: string;
  next_receipt: number;
  /** The session that is not closed, if any. */
  session: CashierSession | null;
  /** Running totals: only for drawer.supervise. */
  totals?: SessionTotals;
}
export interface DrawerInput { code?: string; name?: string; office?: string; bank_account?: string; printer?: string }

export interface CountResult { session: CashierSession; closed: boolean; needs_reason: boolean }

export type TenderKind = S['CounterCart']['tenders'][number]['kind'];
export type CounterCart = S['CounterCart'];
export type CartItemInput = CounterCart['items'][number];
export type TenderInput = CounterCart['tenders'][number];

export interface TxnItem {
  party_id: number;
  party_name: string;
  obligation_id: number | null;
  description: string;
  amount: MoneyString;
  balance_left: MoneyString | null;
}
export interface TxnTender {
  kind: TenderKind;
  amount: MoneyString;
  applied: MoneyString;
  check_number?: string;
  bank?: string;
  payer?: string;
  micr?: string;
  card_brand?: string;
  card_last4?: string;
  card_status?: string;
  card_authorization?: string;
  ach_last4?: string;
}
export type TxnStatus = NonNullable<S['CounterTransaction']['status']>;
/** The transaction as the server sends it; the spec leaves items and tenders as bare objects. */
export interface CounterTransaction {
  id: number;
  session_id: number;
  drawer: string;
  status: TxnStatus;
  receipt: string | null;
  total: MoneyString;
  change_due: MoneyString;
  tender: string;
  items: TxnItem[];
  tenders: TxnTender[];
  payment_ids: number[];
  void_reason?: string;
  voided_by?: string;
}

export interface ReceiptView {
  receipt: string;
  drawer: string;
  number: number;
  status: string;
  issued: string;
  cashier: string;
  items: { party_id: number; party_name: string; obligation_id: number | null; description: string; paid: MoneyString; balance_left: MoneyString }[];
  tenders: { label: string; amount: MoneyString }[];
  total: MoneyString;
  change_due: MoneyString;
  lines: string[];
}

export interface FundTotals {
  by_tender: Record<string, MoneyString>;
  by_fund: Record<string, MoneyString>;
  receipts: MoneyString;
  float: MoneyString;
  expected_cash: MoneyString;
  counted: MoneyString;
  over_short: MoneyString;
}
export interface BalancingReport {
  date: string;
  sessions: { session: CashierSession; totals: FundTotals }[];
  offices: { office: string; sessions: number; totals: FundTotals }[];
}
export interface DailyReceipts {
  date: string;
  funds: { fund: string; fund_name: string; by_channel: Record<string, MoneyString>; received: MoneyString; voided: MoneyString; net: MoneyString }[];
  received: MoneyString;
  voided: MoneyString;
  net: MoneyString;
}

export interface SlipCheck { kind: string; number: string; bank: string; payer: string; receipt: string; amount: MoneyString }
export type DepositSlip = Required<Pick<S['DepositSlip'], 'bank_account' | 'status' | 'currency' | 'coin' | 'checks_total' | 'electronic' | 'total' | 'by_fund' | 'sessions' | 'prepared_by' | 'closed_by' | 'bank_reference'>>
  & { id: number | null; checks: SlipCheck[]; entry_id: number | null };
export interface DepositList { ready: DepositSlip[]; items: DepositSlip[] }

export interface FundCount {
  id: number;
  date: string;
  counted_by: string;
  cash_count: CashCount;
  cash: MoneyString;
  receipts: { description: string; amount: MoneyString }[];
  receipts_total: MoneyString;
  authorized: MoneyString;
  difference: MoneyString;
  balanced: boolean;
  note: string;
}
export interface Replenishment { id: number; status: string; amount: MoneyString; note: string; requested_by: string }
export interface RevolvingFund {
  id: number;
  code: string;
  name: string;
  kind: 'change_fund' | 'petty_cash' | (string & {});
  /** username of the custodian */
  custodian: string;
  authorized: MoneyString;
  last_count: FundCount | null;
  replenishments: Replenishment[];
}
export interface RevolvingFundInput { code: string; name: string; kind: string; custodian: string; authorized_amount: MoneyString }

export const ck = {
  mySession: ['counter', 'my-session'] as const,
  drawers: ['counter', 'drawers'] as const,
  session: (id: number) => ['counter', 'session', id] as const,
  sessionTxns: (id: number) => ['counter', 'session', id, 'transactions'] as const,
  txn: (id: number) => ['counter', 'txn', id] as const,
  receipt: (n: string) => ['counter', 'receipt', n] as const,
  openObligations: (partyId: number) => ['ledger', 'party', partyId, 'obligations', 'open'] as const,
  balancing: (date: string) => ['reports', 'balancing', date] as const,
  dailyReceipts: (date: string) => ['reports', 'daily-receipts', date] as const,
  deposits: ['counter', 'deposits'] as const,
  funds: ['counter', 'funds'] as const,
};

function refreshCounter(qc: QueryClient) {
  void qc.invalidateQueries({ queryKey: ['counter'] });
  void qc.invalidateQueries({ queryKey: ['reports'] });
}

/** The signed-in cashier's session that is not closed; null when there is none (the API's 404). */
export function useMySession(enabled = true) {
  return useQuery({
    queryKey: ck.mySession,
    queryFn: async ({ signal }) => {
      try {
        return await get<CashierSession>('/counter/session', undefined, signal);
      } catch (e) {
        if (isApiError(e) && e.status === 404) return null;
        throw e;
      }
    },
    enabled,
    staleTime: 0,
  });
}

export function useDrawers(enabled = true) {
  return useQuery({
    queryKey: ck.drawers,
    queryFn: ({ signal }) => get<{ items: Drawer[] }>('/drawers', undefined, signal),
    enabled,
    staleTime: 0,
    // Supervisors watch running totals: keep them current while the page is open.
    refetchInterval: 30_000,
  });
}

export function useCashierSession(id: number | undefined) {
  return useQuery({
    queryKey: ck.session(id ?? 0),
    queryFn: ({ signal }) => get<CashierSession>(`/sessions/${id}`, undefined, signal),
    enabled: !!id,
  });
}

export function useOpenObligations(partyId: number) {
  return useQuery({
    queryKey: ck.openObligations(partyId),
    queryFn: ({ signal }) => get<ObligationList>(`/parties/${partyId}/obligations`, { status: 'open' }, signal),
    enabled: partyId > 0,
    staleTime: 0,
  });
}

export function useCreateDrawer() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (d: DrawerInput) => post<Drawer>('/drawers', d),
    onSuccess: () => refreshCounter(qc),
  });
}

export function useUpdateDrawer() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ code, ...d }: DrawerInput & { code: string }) => patch<Drawer>(`/drawers/${encodeURIComponent(code)}`, d),
    onSuccess: () => refreshCounter(qc),
  });
}

export function useOpenSession() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { drawer: string; float: CashCount }) => post<CashierSession>('/sessions', body),
    onSuccess: (s) => {
      qc.setQueryData(ck.mySession, s);
      refreshCounter(qc);
    },
  });
}

export function useCountSession() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ key, id, count, reason }: { key: string; id: number; count: CashCount; reason?: string }) =>
      post<CountResult>(`/sessions/${id}/count`, { count, reason: reason || undefined }, { idempotencyKey: key }),
    onSuccess: () => refreshCounter(qc),
  });
}

export function useCloseSession() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ key, id, reason }: { key: string; id: number; reason: string }) =>
      post<CashierSession>(`/sessions/${id}/close`, { reason }, { idempotencyKey: key }),
    onSuccess: () => refreshCounter(qc),
  });
}

export function usePostTransaction() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ key, cart }: { key: string; cart: CounterCart }) =>
      post<CounterTransaction>('/counter/transactions', cart, { idempotencyKey: key }),
    onSuccess: (t) => {
      refreshAfterMoney(qc, ...t.items.map((i) => i.party_id));
      refreshCounter(qc);
    },
  });
}

export function useTransaction(id: number | undefined) {
  return useQuery({
    queryKey: ck.txn(id ?? 0),
    queryFn: ({ signal }) => get<CounterTransaction>(`/counter/transactions/${id}`, undefined, signal),
    enabled: !!id,
  });
}

export function useVoidTransaction() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ key, id, reason }: { key: string; id: number; reason: string }) =>
      post<CounterTransaction>(`/counter/transactions/${id}/void`, { reason }, { idempotencyKey: key }),
    onSuccess: (t) => {
      qc.setQueryData(ck.txn(t.id), t);
      refreshAfterMoney(qc, ...t.items.map((i) => i.party_id));
      refreshCounter(qc);
    },
  });
}

export interface ReconcileResult { approved: number; declined: number; still_unknown: number; transactions: number[] }
export function useReconcileCards() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ key }: { key: string }) => post<ReconcileResult>('/counter/reconcile', undefined, { idempotencyKey: key }),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ['ledger'] });
      refreshCounter(qc);
    },
  });
}

export function receiptUrl(receipt: string, format: 'pdf' | 'escpos'): string {
  return `/api/v1/receipts/${encodeURIComponent(receipt)}?format=${format}`;
}

export function useReceipt(receipt: string | null | undefined) {
  return useQuery({
    queryKey: ck.receipt(receipt ?? ''),
    queryFn: ({ signal }) => get<ReceiptView>(`/receipts/${encodeURIComponent(receipt!)}`, undefined, signal),
    enabled: !!receipt,
  });
}

export function usePrintReceipt() {
  return useMutation({
    mutationFn: (receipt: string) => post<{ printed: boolean }>(`/receipts/${encodeURIComponent(receipt)}/print`, {}),
  });
}

/** Every transaction of one session, any status (posted, voided, declined, card unknown), newest first. */
export function useSessionTransactions(sessionId: number | undefined) {
  return useQuery({
    queryKey: ck.sessionTxns(sessionId ?? 0),
    queryFn: async ({ signal }) => {
      const r = await get<{ items: CounterTransaction[] }>(`/sessions/${sessionId}/transactions`, undefined, signal);
      return [...r.items].sort((a, b) => b.id - a.id);
    },
    enabled: !!sessionId,
    staleTime: 0,
  });
}

type CardTerminalPath = paths['/api/v1/counter/card-terminal']['post'];
export type CardTerminalRequest = CardTerminalPath['requestBody']['content']['application/json'];
export type CardTerminalResult = CardTerminalPath['responses'][200]['content']['application/json'];

/**
 * The sandbox card terminal: the card number goes to the server, which answers with the
 * gateway's token, the brand and the last four. A plain call, not a useMutation, so the number
 * is not kept as the mutation's variables in the query cache; the caller drops it once this
 * returns. Only the sandbox gateway answers (404 otherwise).
 */
export function cardTerminal(cardNumber: string): Promise<CardTerminalResult> {
  const body: CardTerminalRequest = { card_number: cardNumber };
  return post<CardTerminalResult>('/counter/card-terminal', body);
}

export function useBalancing(date: string, enabled = true) {
  return useQuery({
    queryKey: ck.balancing(date),
    queryFn: ({ signal }) => get<BalancingReport>('/reports/balancing', { date }, signal),
    enabled: enabled && !!date,
    placeholderData: keepPreviousData,
  });
}

export function useDailyReceipts(date: string) {
  return useQuery({
    queryKey: ck.dailyReceipts(date),
    queryFn: ({ signal }) => get<DailyReceipts>('/reports/daily-receipts', { date }, signal),
    enabled: !!date,
    placeholderData: keepPreviousData,
  });
}

export function useDeposits() {
  return useQuery({
    queryKey: ck.deposits,
    queryFn: ({ signal }) => get<DepositList>('/deposits', undefined, signal),
    staleTime: 0,
  });
}

export function usePrepareDeposit() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (bank_account: string) => post<DepositSlip>('/deposits', { bank_account }),
    onSettled: () => refreshCounter(qc),
  });
}

export function useCloseDeposit() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ key, id, bank_reference }: { key: string; id: number; bank_reference: string }) =>
      post<DepositSlip>(`/deposits/${id}/close`, { bank_reference }, { idempotencyKey: key }),
    onSuccess: () => {
      refreshCounter(qc);
      void qc.invalidateQueries({ queryKey: ['reports'] });
    },
  });
}

export function useRevolvingFunds() {
  return useQuery({
    queryKey: ck.funds,
    queryFn: ({ signal }) => get<{ items: RevolvingFund[] }>('/revolving-funds', undefined, signal),
  });
}

export function useCreateFund() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (f: RevolvingFundInput) => post<RevolvingFund>('/revolving-funds', f),
    onSuccess: () => qc.invalidateQueries({ queryKey: ck.funds }),
  });
}

export function useCountFund() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...body }: { id: number; count: CashCount; receipts: { description: string; amount: MoneyString }[]; note?: string }) =>
      post<FundCount>(`/revolving-funds/${id}/counts`, body),
    onSuccess: () => qc.invalidateQueries({ queryKey: ck.funds }),
  });
}

export function useReplenish() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...body }: { id: number; amount?: MoneyString; note?: string }) =>
      post<Replenishment>(`/revolving-funds/${id}/replenishments`, body),
    onSuccess: () => qc.invalidateQueries({ queryKey: ck.funds }),
  });
}
