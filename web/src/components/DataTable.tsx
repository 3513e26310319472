import { Alert, Group, Loader, NativeSelect, Pagination, Table, Text } from '@mantine/core';
import { flexRender, getCoreRowModel, useReactTable, type ColumnDef } from '@tanstack/react-table';
import type { ReactNode } from 'react';

export interface ServerPaging {
  page: number; // 1-based
  pageSize: number;
  total: number;
  onPage: (page: number) => void;
  onPageSize: (size: number) => void;
}

interface Props<T> {
  caption: string;
  columns: ColumnDef<T, any>[]; // eslint-disable-line @typescript-eslint/no-explicit-any
  data: T[];
  paging?: ServerPaging;
  loading?: boolean;
  error?: unknown;
  empty?: ReactNode;
  getRowId?: (row: T) => string;
  renderSubRow?: (row: T) => ReactNode;
}

/** A dense, server-paged grid (TanStack Table for the model, Mantine for the markup). */
export function DataTable<T>({ caption, columns, data, paging, loading, error, empty, getRowId, renderSubRow }: Props<T>) {
  const table = useReactTable({
    data,
    columns,
    getCoreRowModel: getCoreRowModel(),
    manualPagination: true,
    pageCount: paging ? Math.max(1, Math.ceil(paging.total / paging.pageSize)) : 1,
    getRowId,
  });
  const pages = paging ? Math.max(1, Math.ceil(paging.total / paging.pageSize)) : 1;
  const first = paging && paging.total > 0 ? (paging.page - 1) * paging.pageSize + 1 : 0;
  const last = paging ? Math.min(paging.total, paging.page * paging.pageSize) : data.length;

  return (
    <div>
      {error ? (
        <Alert color="red" variant="light" role="alert" mb="sm" title="Could not load">
          {error instanceof Error ? error.message : String(error)}
        </Alert>
      ) : null}
      <Table.ScrollContainer minWidth={640}>
        <Table striped highlightOnHover withTableBorder stickyHeader aria-busy={loading || undefined}>
          <Table.Caption style={{ captionSide: 'top', textAlign: 'left' }}>
            <Group justify="space-between">
              <Text size="sm" c="dimmed" component="span">{caption}</Text>
              {loading && <Loader size="xs" aria-label="Loading" />}
            </Group>
          </Table.Caption>
          <Table.Thead>
            {table.getHeaderGroups().map((hg) => (
              <Table.Tr key={hg.id}>
                {hg.headers.map((h) => (
                  <Table.Th key={h.id} scope="col" style={(h.column.columnDef.meta as { style?: React.CSSProperties } | undefined)?.style}>
                    {h.isPlaceholder ? null : flexRender(h.column.columnDef.header, h.getContext())}
                  </Table.Th>
                ))}
              </Table.Tr>
            ))}
          </Table.Thead>
          <Table.Tbody>
            {table.getRowModel().rows.length === 0 && !loading ? (
              <Table.Tr>
                <Table.Td colSpan={columns.length}><Text size="sm" py="sm">{empty ?? 'Nothing to show.'}</Text></Table.Td>
              </Table.Tr>
            ) : (
              table.getRowModel().rows.map((row) => (
                <RowWithSub key={row.id} cells={row.getVisibleCells().map((c) => (
                  <Table.Td key={c.id} style={(c.column.columnDef.meta as { style?: React.CSSProperties } | undefined)?.style}>
                    {flexRender(c.column.columnDef.cell, c.getContext())}
                  </Table.Td>
                ))} sub={renderSubRow?.(row.original)} span={columns.length} />
              ))
            )}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {paging && (
        <Group justify="space-between" mt="sm" wrap="wrap">
          <Text size="sm" aria-live="polite">
            {paging.total === 0 ? 'No rows' : `${first.toLocaleString()}–${last.toLocaleString()} of ${paging.total.toLocaleString()}`}
          </Text>
          <Group gap="sm">
            <NativeSelect
              aria-label="Rows per page"
              size="xs"
              value={String(paging.pageSize)}
              data={['25', '50', '100']}
              onChange={(e) => paging.onPageSize(Number(e.currentTarget.value))}
            />
            <Pagination
              size="sm"
              total={pages}
              value={paging.page}
              onChange={paging.onPage}
              siblings={1}
              boundaries={1}
              getControlProps={(control) => ({ 'aria-label': `${control} page` })}
              getItemProps={(p) => ({ 'aria-label': `Page ${p}` })}
            />
          </Group>
        </Group>
      )}
    </div>
  );
}

function RowWithSub({ cells, sub, span }: { cells: ReactNode; sub: ReactNode; span: number }) {
  return (
    <>
      <Table.Tr>{cells}</Table.Tr>
      {sub ? (
        <Table.Tr>
          <Table.Td colSpan={span} style={{ background: 'var(--mantine-color-gray-0)' }}>{sub}</Table.Td>
        </Table.Tr>
      ) : null}
    </>
  );
}
