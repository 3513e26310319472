import { Badge, Switch, Table, Text } from '@mantine/core';
import { useState } from 'react';
import type { AuditEntry } from '../api/types';
import { diff, show } from '../lib/diff';

const LABEL = { added: 'added', removed: 'removed', changed: 'changed', same: '' } as const;
const COLOR = { added: 'green', removed: 'red', changed: 'yellow', same: 'gray' } as const;

export function AuditDiff({ entry }: { entry: AuditEntry }) {
  const [all, setAll] = useState(false);
  const rows = diff(entry.before, entry.after);
  const shown = all ? rows : rows.filter((r) => r.change !== 'same');
  if (rows.length === 0) return <Text size="sm">No recorded values for this action.</Text>;
  return (
    <div>
      <Switch size="xs" mb={6} label={`Show unchanged fields too (${rows.length - rows.filter((r) => r.change !== 'same').length})`} checked={all} onChange={(e) => setAll(e.currentTarget.checked)} />
      <Table withTableBorder withColumnBorders fz="xs" verticalSpacing={2} aria-label={`Changes recorded in audit entry ${entry.seq}`}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col" w="22%">Field</Table.Th>
            <Table.Th scope="col" w="34%">Before</Table.Th>
            <Table.Th scope="col" w="34%">After</Table.Th>
            <Table.Th scope="col">Change</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {shown.length === 0 && (
            <Table.Tr><Table.Td colSpan={4}>No field changed.</Table.Td></Table.Tr>
          )}
          {shown.map((r) => (
            <Table.Tr key={r.path} className={r.change === 'changed' ? 'diff-changed' : undefined}>
              <Table.Td className="diff-val">{r.path}</Table.Td>
              <Table.Td className="diff-val">{r.change === 'added' ? <Text span size="xs" c="dimmed">(none)</Text> : show(r.before)}</Table.Td>
              <Table.Td className="diff-val">{r.change === 'removed' ? <Text span size="xs" c="dimmed">(none)</Text> : show(r.after)}</Table.Td>
              <Table.Td>{r.change !== 'same' && <Badge size="xs" variant="light" color={COLOR[r.change]}>{LABEL[r.change]}</Badge>}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </div>
  );
}
