import { Alert, Badge, Button, Group, Kbd, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useEffect, useRef, useState } from 'react';
import { receiptUrl, usePrintReceipt, type CounterTransaction, type TxnTender } from '../../api/counter';
import { formatMoney, toCents } from '../../lib/money';
import { Money } from '../Money';
import { tenderLabel } from './cart';
import { brandName } from './sandboxTerminal';

const right = { textAlign: 'right' } as const;

export function tenderDetail(t: TxnTender): string {
  switch (t.kind) {
    case 'check':
    case 'money_order':
      return [t.check_number && `no. ${t.check_number}`, t.bank, t.payer].filter(Boolean).join(' · ');
    case 'card':
      return [`${brandName(t.card_brand)} ending ${t.card_last4}`, t.card_status, t.card_authorization && `auth ${t.card_authorization}`].filter(Boolean).join(' · ');
    case 'ach':
      return t.ach_last4 ? `account ending ${t.ach_last4}` : '';
    default:
      return '';
  }
}

/** The posted transaction: receipt number, what each obligation got and what is left, and the change due in large type. */
export function ReceiptPanel({ txn, onNext }: { txn: CounterTransaction; onNext: () => void }) {
  const print = usePrintReceipt();
  const [printError, setPrintError] = useState<string | null>(null);
  const nextRef = useRef<HTMLButtonElement>(null);
  useEffect(() => { nextRef.current?.focus(); }, [txn.id]);
  const change = toCents(txn.change_due);

  return (
    <Paper withBorder p="md" component="section" aria-labelledby="receipt-title" data-testid="receipt-panel">
      <Stack gap="sm">
        <Group justify="space-between" align="flex-start" wrap="wrap">
          <div>
            <Title order={2} size="h3" id="receipt-title">Receipt <span data-testid="receipt-number">{txn.receipt}</span></Title>
            <Text size="sm" role="status">Posted: {formatMoney(txn.total)} by {txn.tender === 'split' ? 'split tender' : tenderLabel(txn.tender).toLowerCase()}.</Text>
            {txn.status === 'voided' && <Badge color="red" variant="light">Voided</Badge>}
          </div>
          <div data-testid="change-due" style={{ border: '3px solid var(--mantine-color-dark-7)', borderRadius: 8, padding: '8px 20px', textAlign: 'right' }}>
            <Text size="md" fw={700} tt="uppercase">Change due</Text>
            <Text fw={800} className="num" style={{ fontSize: 56, lineHeight: 1.1 }} data-testid="change-due-amount">{formatMoney(change)}</Text>
          </div>
        </Group>

        <Table withTableBorder aria-label="Paid on this receipt">
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">Customer</Table.Th>
              <Table.Th scope="col">Paid for</Table.Th>
              <Table.Th scope="col" style={right}>Paid</Table.Th>
              <Table.Th scope="col" style={right}>Balance left</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {txn.items.map((it, i) => (
              <Table.Tr key={i}>
                <Table.Td>{it.party_name} <Text size="xs" c="dimmed" component="span">no. {it.party_id}</Text></Table.Td>
                <Table.Td>{it.description}</Table.Td>
                <Table.Td><Money value={it.amount} /></Table.Td>
                <Table.Td>{it.balance_left === null ? '—' : <Money value={it.balance_left} />}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>

        <Table withTableBorder aria-label="Tenders taken">
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">Tender</Table.Th>
              <Table.Th scope="col">Details</Table.Th>
              <Table.Th scope="col" style={right}>Tendered</Table.Th>
              <Table.Th scope="col" style={right}>Applied</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {txn.tenders.map((t, i) => (
              <Table.Tr key={i}>
                <Table.Td>{tenderLabel(t.kind)}</Table.Td>
                <Table.Td>{tenderDetail(t) || '—'}</Table.Td>
                <Table.Td><Money value={t.amount} /></Table.Td>
                <Table.Td><Money value={t.applied} /></Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>

        {printError && <Alert color="red" variant="light" role="alert" title="Not printed">{printError}</Alert>}
        <Group justify="space-between" wrap="wrap">
          <Group gap="xs">
            {txn.receipt && (
              <Button component="a" variant="default" href={receiptUrl(txn.receipt, 'pdf')} target="_blank" rel="noopener" aria-label={`PDF of receipt ${txn.receipt} (opens in a new tab)`}>
                PDF receipt
              </Button>
            )}
            {txn.receipt && (
              <Button
                variant="default"
                loading={print.isPending}
                onClick={async () => {
                  setPrintError(null);
                  try {
                    await print.mutateAsync(txn.receipt!);
                    notifications.show({ color: 'green', title: 'Printed', message: `Receipt ${txn.receipt} sent to the drawer's printer.` });
                  } catch (e) {
                    setPrintError(e instanceof Error ? e.message : String(e));
                  }
                }}
              >
                Print receipt (ESC/POS)
              </Button>
            )}
          </Group>
          <Button ref={nextRef} onClick={onNext} aria-keyshortcuts="F8">Next customer&nbsp;<Kbd size="xs" aria-hidden="true">F8</Kbd></Button>
        </Group>
      </Stack>
    </Paper>
  );
}
