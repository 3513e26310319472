import { Anchor, Button, Group, Title } from '@mantine/core';
import { createColumnHelper } from '@tanstack/react-table';
import { Link } from 'react-router-dom';
import { useCity, useParties } from '../api/queries';
import type { Party } from '../api/types';
import { useUser } from '../auth/session';
import { DataTable } from '../components/DataTable';
import { formatDate } from '../lib/dates';
import { formatAddress, primaryAddress } from '../lib/party';
import { can } from '../lib/permissions';
import { usePageTitle } from '../lib/usePageTitle';
import { usePaging } from '../lib/usePaging';

const col = createColumnHelper<Party>();

export function PartiesListPage() {
  usePageTitle('Customers');
  const user = useUser();
  const paging = usePaging(50);
  const q = useParties(paging.page, paging.pageSize);
  const tz = useCity().data?.time_zone;

  const columns = [
    col.accessor('display_name', {
      header: 'Name',
      cell: (c) => <Anchor component={Link} to={`/parties/${c.row.original.id}`} fw={600} size="sm">{c.getValue()}</Anchor>,
    }),
    col.accessor('kind', { header: 'Kind', cell: (c) => (c.getValue() === 'business' ? 'Business' : 'Person') }),
    col.display({ id: 'address', header: 'Address', cell: (c) => { const a = primaryAddress(c.row.original); return a ? formatAddress(a) : '—'; } }),
    col.display({ id: 'phone', header: 'Phone', cell: (c) => <span className="nowrap">{c.row.original.phones[0]?.number ?? '—'}</span> }),
    col.display({ id: 'email', header: 'Email', cell: (c) => c.row.original.emails[0]?.address ?? '—' }),
    col.accessor('updated_at', { header: 'Updated', cell: (c) => <span className="nowrap">{formatDate(c.getValue(), tz)}</span> }),
  ];

  return (
    <div>
      <Group justify="space-between" mb="sm">
        <Title order={1} size="h2">Customers</Title>
        {can(user, 'party.write') && <Button component={Link} to="/parties/new">New customer</Button>}
      </Group>
      <DataTable
        caption="Customers (people and businesses)"
        columns={columns}
        data={q.data?.items ?? []}
        getRowId={(p) => String(p.id)}
        loading={q.isFetching}
        error={q.error}
        empty="No customers recorded yet."
        paging={{ page: paging.page, pageSize: paging.pageSize, total: q.data?.total ?? 0, onPage: paging.onPage, onPageSize: paging.onPageSize }}
      />
    </div>
  );
}
