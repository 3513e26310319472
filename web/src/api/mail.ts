// Server state for the mail room: the mail log, department work queues, remittance batches, the
// remittance exception queue and lockbox imports (docs/api/openapi.yaml, "/api/v1/mail" onwards).
// Posting a batch, resolving an exception and importing a lockbox file move money: they take the
// Idempotency-Key of the intended action (lib/ledger.ts useIdempotencyKey).
import { keepPreviousData, useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { get, post } from './client';
import type { components, paths } from './schema';

type S = components['schemas'];

export type MailPiece = S['MailPiece'];
export type MailInput = S['MailInput'];
export type MailKind = S['MailPiece']['kind'];
export type QueueItem = S['QueueItem'];
export type BatchItem = S['BatchItem'];
export type RemittanceBatch = S['RemittanceBatch'];
export type RemittanceException = S['RemittanceException'];
export type LockboxImport = S['LockboxImport'];

export type MailLog = paths['/api/v1/mail']['get']['responses'][200]['content']['application/json'];
export type QueueStatus = 'open' | 'done' | 'all';
export type BatchStatus = 'open' | 'posting' | 'posted' | 'all';
export type ExceptionStatus = 'open' | 'resolved' | 'all';
export type BatchInput = paths['/api/v1/batches']['post']['requestBody']['content']['application/json'];
export type ItemInput = paths['/api/v1/batches/{id}/items']['post']['requestBody']['content']['application/json'];
export type ItemAdded = paths['/api/v1/batches/{id}/items']['post']['responses'][201]['content']['application/json'];
export type PostBatchResult = paths['/api/v1/batches/{id}/post']['post']['responses'][200]['content']['application/json'];
export type ResolveInput = paths['/api/v1/remittance/exceptions/{id}/resolve']['post']['requestBody']['content']['application/json'];
export type ResolveAction = ResolveInput['action'];

interface Items<T> { items?: T[] }

export const mk = {
  all: ['mail'] as const,
  log: (date: string) => ['mail', 'log', date] as const,
  queue: (department: string, status: QueueStatus) => ['mail', 'queue', department, status] as const,
  batches: (status: BatchStatus) => ['mail', 'batches', status] as const,
  batch: (id: number) => ['mail', 'batch', id] as const,
  exceptions: (status: ExceptionStatus) => ['mail', 'exceptions', status] as const,
  lockbox: (id: number) => ['mail', 'lockbox', id] as const,
  lockboxImports: (limit: number) => ['mail', 'lockbox', 'list', limit] as const,
};

/** Anything the mail room shows may have changed: batches, exceptions, queues, the log. */
function refreshMail(qc: QueryClient) {
  void qc.invalidateQueries({ queryKey: mk.all });
}

/** Money posted to customers: their ledgers, statements and the reports are stale too. */
function refreshMoney(qc: QueryClient) {
  refreshMail(qc);
  void qc.invalidateQueries({ queryKey: ['ledger'] });
  void qc.invalidateQueries({ queryKey: ['statement'] });
  void qc.invalidateQueries({ queryKey: ['reports'] });
}

// ---- mail log and work queues -------------------------------------------------------------------

/** The mail log of one day ('' = today in City time). */
export function useMailLog(date: string) {
  return useQuery({
    queryKey: mk.log(date),
    queryFn: ({ signal }) => get<MailLog>('/mail', { date: date || undefined }, signal),
    placeholderData: keepPreviousData,
  });
}

export function useLogMail() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (m: MailInput) => post<MailPiece>('/mail', m),
    onSuccess: () => refreshMail(qc),
  });
}

export function useQueue(department: string, status: QueueStatus) {
  return useQuery({
    queryKey: mk.queue(department, status),
    queryFn: ({ signal }) => get<Items<QueueItem>>('/queues', { department: department || undefined, status }, signal),
    placeholderData: keepPreviousData,
    staleTime: 0,
  });
}

export function useCompleteQueueItem() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, resolution }: { id: number; resolution: string }) =>
      post<QueueItem>(`/queues/items/${id}/complete`, { resolution }),
    onSuccess: () => refreshMail(qc),
  });
}

// ---- remittance batches -------------------------------------------------------------------------

export function useBatches(status: BatchStatus, enabled = true) {
  return useQuery({
    queryKey: mk.batches(status),
    queryFn: ({ signal }) => get<Items<RemittanceBatch>>('/batches', { status }, signal),
    placeholderData: keepPreviousData,
    staleTime: 0,
    enabled,
  });
}

export function useBatch(id: number) {
  return useQuery({
    queryKey: mk.batch(id),
    queryFn: ({ signal }) => get<RemittanceBatch>(`/batches/${id}`, undefined, signal),
    enabled: Number.isFinite(id) && id > 0,
    staleTime: 0,
  });
}

export function useOpenBatch() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (b: BatchInput) => post<RemittanceBatch>('/batches', b),
    onSuccess: (b) => {
      qc.setQueryData(mk.batch(b.id!), b);
      void qc.invalidateQueries({ queryKey: ['mail', 'batches'] });
    },
  });
}

export function useAddItem(batchId: number) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ item, key }: { item: ItemInput; key: string }) =>
      post<ItemAdded>(`/batches/${batchId}/items`, item, { idempotencyKey: key }),
    onSuccess: (r) => {
      // Show the new running difference at once, the item with it; then reload to be exact.
      qc.setQueryData<RemittanceBatch>(mk.batch(batchId), (old) =>
        old && r.batch && r.item ? { ...old, ...r.batch, items: [...(old.items ?? []), r.item] } : old);
      refreshMail(qc);
    },
  });
}

export function useRemoveItem(batchId: number) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (itemId: number) => post<RemittanceBatch>(`/batches/${batchId}/items/${itemId}/remove`),
    onSuccess: (b) => {
      qc.setQueryData(mk.batch(batchId), b);
      refreshMail(qc);
    },
  });
}

export function usePostBatch(batchId: number) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (key: string) => post<PostBatchResult>(`/batches/${batchId}/post`, undefined, { idempotencyKey: key }),
    onSettled: () => refreshMoney(qc),
  });
}

// ---- remittance exceptions ----------------------------------------------------------------------

export function useExceptions(status: ExceptionStatus) {
  return useQuery({
    queryKey: mk.exceptions(status),
    queryFn: ({ signal }) => get<Items<RemittanceException>>('/remittance/exceptions', { status }, signal),
    placeholderData: keepPreviousData,
    staleTime: 0,
  });
}

export function useResolveException() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, key, ...body }: ResolveInput & { id: number; key: string }) =>
      post<RemittanceException>(`/remittance/exceptions/${id}/resolve`, body, { idempotencyKey: key }),
    onSettled: () => refreshMoney(qc),
  });
}

// ---- lockbox ------------------------------------------------------------------------------------

/**
 * The file goes as JSON {"content": "<the file>"}; the server also takes it as text/plain, but
 * JSON keeps the one request path (api/client.ts) and the same 1 MiB body limit applies to both.
 */
export function useImportLockbox() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ key, content }: { key: string; content: string }) =>
      post<LockboxImport>('/lockbox/imports', { content }, { idempotencyKey: key }),
    onSuccess: (i) => {
      qc.setQueryData(mk.lockbox(i.id!), i);
    },
    onSettled: () => refreshMoney(qc),
  });
}

export function useLockboxImport(id: number) {
  return useQuery({
    queryKey: mk.lockbox(id),
    queryFn: ({ signal }) => get<LockboxImport>(`/lockbox/imports/${id}`, undefined, signal),
    enabled: Number.isFinite(id) && id > 0,
    // An import still running (or stopped half-way) is watched until it completes.
    refetchInterval: (q) => (q.state.data?.status === 'importing' ? 2000 : false),
  });
}

export type LockboxImportList = paths['/api/v1/lockbox/imports']['get']['responses'][200]['content']['application/json'];

/** Past lockbox imports, newest first (GET /lockbox/imports; the server's limit is 1 to 200). */
export function useLockboxImports(limit = 50) {
  return useQuery({
    queryKey: mk.lockboxImports(limit),
    queryFn: ({ signal }) => get<LockboxImportList>('/lockbox/imports', { limit }, signal),
    placeholderData: keepPreviousData,
    staleTime: 0,
    // An import still running (or stopped half-way) is followed until it completes.
    refetchInterval: (q) => (q.state.data?.items.some((i) => i.status === 'importing') ? 5000 : false),
  });
}
