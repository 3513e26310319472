import { Group, SimpleGrid, Table, Text } from '@mantine/core';
import type { DepositSlip } from '../../api/counter';
import { Money } from '../Money';
import { fundWords } from './BalancingReport';

const right = { textAlign: 'right' } as const;

/** A deposit slip: currency, coin, each check or money order, what went electronically, by fund. */
export function DepositSlipView({ slip, label }: { slip: DepositSlip; label: string }) {
  return (
    <div>
      <SimpleGrid cols={{ base: 2, md: 5 }} spacing="xs" mb="xs">
        <Figure label="Currency" value={slip.currency} />
        <Figure label="Coin" value={slip.coin} />
        <Figure label="Checks and money orders" value={slip.checks_total} />
        <Figure label="Card and ACH (electronic)" value={slip.electronic} />
        <Figure label="Total" value={slip.total} strong />
      </SimpleGrid>
      {slip.checks.length > 0 ? (
        <Table withTableBorder aria-label={`Checks on ${label}`}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">Kind</Table.Th>
              <Table.Th scope="col">Number</Table.Th>
              <Table.Th scope="col">Bank</Table.Th>
              <Table.Th scope="col">Payer</Table.Th>
              <Table.Th scope="col">Receipt</Table.Th>
              <Table.Th scope="col" style={right}>Amount</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {slip.checks.map((c, i) => (
              <Table.Tr key={i}>
                <Table.Td>{c.kind === 'money_order' ? 'Money order' : 'Check'}</Table.Td>
                <Table.Td>{c.number || '—'}</Table.Td>
                <Table.Td>{c.bank || '—'}</Table.Td>
                <Table.Td>{c.payer || '—'}</Table.Td>
                <Table.Td className="nowrap">{c.receipt}</Table.Td>
                <Table.Td><Money value={c.amount} /></Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      ) : <Text size="sm">No checks or money orders.</Text>}
      <Group gap="lg" mt={4}>
        <Text size="xs">By fund: {fundWords(slip.by_fund)}</Text>
        <Text size="xs">Sessions: {slip.sessions.map((s) => `no. ${s}`).join(', ') || '—'}</Text>
      </Group>
    </div>
  );
}

function Figure({ label, value, strong }: { label: string; value: string; strong?: boolean }) {
  return (
    <div style={{ textAlign: 'right' }}>
      <Text size="xs">{label}</Text>
      <Text size={strong ? 'lg' : 'md'} fw={strong ? 700 : 500}>
        <Money value={value} />
      </Text>
    </div>
  );
}
