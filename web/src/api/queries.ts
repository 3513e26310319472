import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo } from 'react';
import { get, patch, post } from './client';
import type {
  AdminUser, AuditFilter, AuditPage, City, ListResponse, Page, Party, PartyInput, PartyPatch,
  Role, SearchResponse, UserCreate, UserPatch,
} from './types';

export const qk = {
  city: ['city'] as const,
  search: (q: string) => ['search', q] as const,
  parties: (page: number, pageSize: number) => ['parties', 'list', page, pageSize] as const,
  party: (id: number) => ['parties', 'one', id] as const,
  users: ['users'] as const,
  roles: ['roles'] as const,
  audit: (f: AuditFilter) => ['audit', f] as const,
};

export function useCity() {
  return useQuery({ queryKey: qk.city, queryFn: () => get<City>('/city'), staleTime: Infinity });
}

export type Department = City['departments'][number];

/** "Customer Service (CS)"; a code the City does not list is shown as the code, none as a dash. */
export function departmentLabel(departments: readonly Department[], code: string | null | undefined): string {
  if (!code) return '—';
  const d = departments.find((x) => x.code === code);
  return d ? `${d.name} (${d.code})` : code;
}

/**
 * The City's departments (GET /city: where correspondence is routed, whose work queues exist),
 * with their labels and select options. While the City loads the list is empty and codes show
 * as themselves.
 */
export function useDepartments() {
  const city = useCity();
  const departments = city.data?.departments;
  return useMemo(() => {
    const list = departments ?? [];
    return {
      departments: list,
      isLoading: city.isLoading,
      error: city.error,
      name: (code: string | null | undefined) => departmentLabel(list, code),
      /** Select options, keeping `current` when the City no longer lists it. */
      options: (current = '') => {
        const o = list.map((d) => ({ value: d.code, label: `${d.name} (${d.code})` }));
        if (current && !list.some((d) => d.code === current)) o.push({ value: current, label: current });
        return o;
      },
    };
  }, [departments, city.isLoading, city.error]);
}

export function useSearch(q: string) {
  const trimmed = q.trim();
  return useQuery({
    queryKey: qk.search(trimmed),
    queryFn: ({ signal }) => get<SearchResponse>('/search', { q: trimmed, limit: 20 }, signal),
    enabled: trimmed.length > 0,
    // Always ask again: a customer created a moment ago must be findable at once.
    staleTime: 0,
    gcTime: 30_000,
    placeholderData: keepPreviousData,
  });
}

export function useParties(page: number, pageSize: number) {
  return useQuery({
    queryKey: qk.parties(page, pageSize),
    queryFn: ({ signal }) => get<Page<Party>>('/parties', { page, page_size: pageSize }, signal),
    placeholderData: keepPreviousData,
  });
}

export function useParty(id: number) {
  return useQuery({
    queryKey: qk.party(id),
    queryFn: ({ signal }) => get<Party>(`/parties/${id}`, undefined, signal),
    enabled: Number.isFinite(id) && id > 0,
  });
}

export function useCreateParty() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: PartyInput) => post<Party>('/parties', input),
    onSuccess: (p) => {
      qc.setQueryData(qk.party(p.id), p);
      void qc.invalidateQueries({ queryKey: ['parties', 'list'] });
      void qc.invalidateQueries({ queryKey: ['search'] });
    },
  });
}

export function useUpdateParty(id: number) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: PartyPatch) => patch<Party>(`/parties/${id}`, input),
    onSuccess: (p) => {
      qc.setQueryData(qk.party(p.id), p);
      void qc.invalidateQueries({ queryKey: ['parties', 'list'] });
      void qc.invalidateQueries({ queryKey: ['search'] });
    },
  });
}

export function useUsers() {
  return useQuery({ queryKey: qk.users, queryFn: () => get<ListResponse<AdminUser>>('/users') });
}

export function useRoles() {
  return useQuery({ queryKey: qk.roles, queryFn: () => get<ListResponse<Role>>('/roles'), staleTime: 60_000 });
}

export function useCreateUser() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (u: UserCreate) => post<AdminUser>('/users', u),
    onSuccess: () => qc.invalidateQueries({ queryKey: qk.users }),
  });
}

export function useUpdateUser() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...body }: UserPatch & { id: number }) => patch<AdminUser>(`/users/${id}`, body),
    onSettled: () => qc.invalidateQueries({ queryKey: qk.users }),
  });
}

export function useResetPassword() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, password }: { id: number; password: string }) => post<void>(`/users/${id}/password`, { password }),
    onSuccess: () => qc.invalidateQueries({ queryKey: qk.users }),
  });
}

export function useAudit(f: AuditFilter) {
  return useQuery({
    queryKey: qk.audit(f),
    queryFn: ({ signal }) =>
      get<AuditPage>('/audit', {
        user: f.user, entity: f.entity, entity_id: f.entity_id, from: f.from, to: f.to,
        page: f.page, page_size: f.page_size,
      }, signal),
    placeholderData: keepPreviousData,
  });
}
