// Boots and tows of scofflaw plates (docs/api/openapi.yaml /api/v1/citations/scofflaws/boots):
// record one, list the active ones, release one. A release the server refuses (422) carries
// the count and amount still owed in its message; neither write moves money, so neither takes
// an Idempotency-Key.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { get, post } from './client';
import type { components, paths } from './schema';

export type Boot = components['schemas']['CitationBoot'];
export type BootBody = paths['/api/v1/citations/scofflaws/boots']['post']['requestBody']['content']['application/json'];

export const bootk = { all: ['citations', 'boots'] as const, list: (status: string) => ['citations', 'boots', status] as const };

export function useBoots(status: 'active' | 'released' | '' = 'active') {
  return useQuery({
    queryKey: bootk.list(status),
    queryFn: ({ signal }) => get<{ items: Boot[] }>('/citations/scofflaws/boots', status ? { status } : undefined, signal),
  });
}

export function usePlaceBoot() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: BootBody) => post<Boot>('/citations/scofflaws/boots', body),
    onSuccess: () => void qc.invalidateQueries({ queryKey: bootk.all }),
  });
}

export function useReleaseBoot() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: number) => post<Boot>(`/citations/scofflaws/boots/${id}/release`),
    onSuccess: () => void qc.invalidateQueries({ queryKey: bootk.all }),
  });
}
