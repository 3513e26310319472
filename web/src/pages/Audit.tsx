import { Anchor, Button, Grid, Group, Text, TextInput, Title } from '@mantine/core';
import { createColumnHelper } from '@tanstack/react-table';
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router-dom';
import { useAudit, useCity } from '../api/queries';
import type { AuditEntry } from '../api/types';
import { AuditDiff } from '../components/AuditDiff';
import { DataTable } from '../components/DataTable';
import { formatDateTime } from '../lib/dates';
import { usePageTitle } from '../lib/usePageTitle';
import { usePaging } from '../lib/usePaging';

const col = createColumnHelper<AuditEntry>();
const FILTERS = ['user', 'entity', 'entity_id', 'from', 'to'] as const;
type Filters = Record<(typeof FILTERS)[number], string>;

export function AuditPage() {
  usePageTitle('Audit');
  const paging = usePaging(50);
  const tz = useCity().data?.time_zone;
  const applied: Filters = Object.fromEntries(FILTERS.map((k) => [k, paging.params.get(k) ?? ''])) as Filters;
  const [draft, setDraft] = useState<Filters>(applied);
  const [open, setOpen] = useState<Set<number>>(new Set());
  const [dateError, setDateError] = useState<string | null>(null);

  const q = useAudit({ ...applied, page: paging.page, page_size: paging.pageSize });

  const apply = (e: FormEvent) => {
    e.preventDefault();
    if (draft.from && draft.to && draft.from > draft.to) { setDateError('“To” must be on or after “From”'); return; }
    setDateError(null);
    const next = new URLSearchParams();
    for (const k of FILTERS) if (draft[k].trim()) next.set(k, draft[k].trim());
    if (paging.pageSize !== 50) next.set('size', String(paging.pageSize));
    paging.setParams(next);
    setOpen(new Set());
  };
  const clear = () => {
    const empty = Object.fromEntries(FILTERS.map((k) => [k, ''])) as Filters;
    setDraft(empty);
    paging.setParams(new URLSearchParams());
  };
  const toggle = (seq: number) => setOpen((s) => { const n = new Set(s); if (n.has(seq)) n.delete(seq); else n.add(seq); return n; });
  const set = (k: keyof Filters) => (e: React.ChangeEvent<HTMLInputElement>) => setDraft({ ...draft, [k]: e.currentTarget.value });

  const columns = [
    col.accessor('seq', { header: 'No.', meta: { style: { textAlign: 'right' } }, cell: (c) => <span className="num">{c.getValue()}</span> }),
    col.accessor('at', { header: `When${tz ? '' : ' (local)'}`, cell: (c) => <span className="nowrap">{formatDateTime(c.getValue(), tz)}</span> }),
    col.accessor('username', { header: 'User', cell: (c) => <span>{c.getValue()} <Text span size="xs" c="dimmed">({c.row.original.role})</Text></span> }),
    col.accessor('action', { header: 'Action', cell: (c) => <Text size="sm" ff="monospace">{c.getValue()}</Text> }),
    col.display({
      id: 'entity', header: 'Record',
      cell: (c) => {
        const e = c.row.original;
        if (!e.entity) return '—';
        const label = `${e.entity} ${e.entity_id}`;
        return e.entity === 'party' && e.entity_id ? <Anchor component={Link} to={`/parties/${e.entity_id}`} size="sm">{label}</Anchor> : label;
      },
    }),
    col.accessor('client', { header: 'From' }),
    col.display({
      id: 'changes', header: 'Changes',
      cell: (c) => {
        const e = c.row.original;
        if (!e.before && !e.after) return <Text size="xs" c="dimmed">none recorded</Text>;
        const isOpen = open.has(e.seq);
        return (
          <Button size="compact-xs" variant="default" aria-expanded={isOpen} onClick={() => toggle(e.seq)} aria-label={`${isOpen ? 'Hide' : 'Show'} changes for entry ${e.seq}`}>
            {isOpen ? 'Hide' : 'Show'}
          </Button>
        );
      },
    }),
  ];

  return (
    <div>
      <Title order={1} size="h2" mb="sm">Audit</Title>
      <form onSubmit={apply} aria-label="Audit filters">
        <Grid gutter="xs" align="flex-end" mb="sm">
          <Grid.Col span={{ base: 6, md: 2 }}><TextInput size="xs" label="User name" value={draft.user} onChange={set('user')} /></Grid.Col>
          <Grid.Col span={{ base: 6, md: 2 }}><TextInput size="xs" label="Record kind" placeholder="party, user…" value={draft.entity} onChange={set('entity')} /></Grid.Col>
          <Grid.Col span={{ base: 6, md: 2 }}><TextInput size="xs" label="Record id" value={draft.entity_id} onChange={set('entity_id')} /></Grid.Col>
          <Grid.Col span={{ base: 6, md: 2 }}><TextInput size="xs" type="date" label="From (UTC day)" value={draft.from} onChange={set('from')} /></Grid.Col>
          <Grid.Col span={{ base: 6, md: 2 }}><TextInput size="xs" type="date" label="To (UTC day)" value={draft.to} onChange={set('to')} error={dateError} /></Grid.Col>
          <Grid.Col span={{ base: 6, md: 2 }}>
            <Group gap="xs" wrap="nowrap">
              <Button size="xs" type="submit">Apply</Button>
              <Button size="xs" variant="default" onClick={clear}>Clear</Button>
            </Group>
          </Grid.Col>
        </Grid>
      </form>
      <DataTable
        caption="Recorded actions"
        columns={columns}
        data={q.data?.items ?? []}
        getRowId={(e) => String(e.seq)}
        loading={q.isFetching}
        error={q.error}
        empty="No audit entries match these filters."
        renderSubRow={(e) => (open.has(e.seq) ? <AuditDiff entry={e} /> : null)}
        paging={{ page: paging.page, pageSize: paging.pageSize, total: q.data?.total ?? 0, onPage: paging.onPage, onPageSize: paging.onPageSize }}
      />
    </div>
  );
}
