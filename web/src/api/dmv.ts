// Server state for the DMV exchange (docs/formats/dmv-exchange.md): the registered-owner request
// file, the DMV's response file, the nightly registration-hold file, and the history of files.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { get, post } from './client';
import type { components } from './schema';

export type DmvFile = components['schemas']['DmvFile'];
export type DmvResponseRead = components['schemas']['DmvResponseRead'];

export const dmvk = {
  files: ['citations', 'dmv', 'files'] as const,
};

export function useDmvFiles() {
  return useQuery({
    queryKey: dmvk.files,
    queryFn: ({ signal }) => get<{ items: DmvFile[] }>('/citations/dmv/files', undefined, signal),
    staleTime: 0,
  });
}

/** Writes the date's request or hold file (a second call for the date returns the same file). */
export function useWriteDmvFile(kind: 'requests' | 'holds') {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (asOf: string) => post<DmvFile>(`/citations/dmv/${kind}`, { as_of: asOf }),
    onSuccess: () => { void qc.invalidateQueries({ queryKey: dmvk.files }); },
  });
}

/** Reads a response file: owners named, their citations' money moved (Idempotency-Key per file chosen). */
export function useReadDmvResponse() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ content, key }: { content: string; key: string }) =>
      post<DmvResponseRead>('/citations/dmv/responses', { content }, { idempotencyKey: key }),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: dmvk.files });
      void qc.invalidateQueries({ queryKey: ['citations'] });
      void qc.invalidateQueries({ queryKey: ['ledger'] });
    },
  });
}

export async function fetchDmvFile(id: number): Promise<DmvFile> {
  return get<DmvFile>(`/citations/dmv/files/${id}`);
}

/** The file name a downloaded DMV file gets: dmv-request-2026-11-26-12.txt. */
export function dmvFileName(f: DmvFile): string {
  return `dmv-${f.kind}-${f.date}-${f.id}.txt`;
}

/** Offers `content` as a file download in the browser. */
export function downloadText(name: string, content: string) {
  const url = URL.createObjectURL(new Blob([content], { type: 'text/plain' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
