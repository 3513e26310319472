import { Alert, Badge, Button, Group, Loader, Modal, Paper, Stack, Table, Text, Textarea, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { isApiError } from '../../api/client';
import { receiptUrl, useSessionTransactions, useVoidTransaction, type CashierSession, type CounterTransaction } from '../../api/counter';
import { useUser } from '../../auth/session';
import { useIdempotencyKey } from '../../lib/ledger';
import { formatMoney } from '../../lib/money';
import { can } from '../../lib/permissions';
import { Money } from '../Money';
import { RefusalAlert } from '../ledger/common';
import { tenderLabel } from './cart';
import { tenderDetail } from './ReceiptPanel';
import { ScrollRegion } from './ScrollRegion';

const STATUS_COLOR: Record<string, string> = { posted: 'green', voided: 'red', declined: 'gray', card_unknown: 'orange', pending: 'orange', failed: 'gray' };

function statusWords(status: string): string {
  return status === 'card_unknown' ? 'card answer unknown' : status.replace(/_/g, ' ');
}

/**
 * The transactions of one session (GET /sessions/{id}/transactions: any status), newest first,
 * each posted one with a VOID action for a supervisor who is not the session's cashier (the API
 * decides and its refusal is shown).
 */
export function SessionTransactions({ session, onClose }: { session: CashierSession; onClose: () => void }) {
  const user = useUser();
  const q = useSessionTransactions(session.id);
  const [voiding, setVoiding] = useState<CounterTransaction | null>(null);

  const list = q.data ?? [];
  const mayVoid = can(user, 'drawer.supervise') && session.status === 'open';

  return (
    <Paper withBorder p="sm" component="section" aria-labelledby="txns-title" data-testid="session-transactions">
      <Group justify="space-between" mb="xs" wrap="wrap">
        <Title order={2} size="h4" id="txns-title">Transactions of drawer {session.drawer}, session no. {session.id} ({session.cashier})</Title>
        <Group gap="xs">
          {q.isFetching && <Loader size="xs" aria-label="Loading transactions" />}
          <Button size="compact-sm" variant="default" onClick={() => void q.refetch()}>Refresh</Button>
          <Button size="compact-sm" variant="subtle" onClick={onClose}>Hide</Button>
        </Group>
      </Group>
      {q.error && <Alert color="red" variant="light" role="alert" mb="xs" title="Could not load the transactions">{q.error.message}</Alert>}
      {session.status !== 'open' && <Text size="sm" mb="xs">This session is {session.status}: a void is no longer possible — use the ledger’s refund or adjustment workflows.</Text>}
      <Text size="xs" mb="xs">Every transaction of the session, newest first. Declined cards and card payments without an answer posted nothing and used no receipt number; only posted ones can be voided.</Text>
      <ScrollRegion label="Transactions (scrolls sideways)" minWidth={800}>
        <Table withTableBorder striped aria-label={`Transactions of session ${session.id}`}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">No.</Table.Th>
              <Table.Th scope="col">Receipt</Table.Th>
              <Table.Th scope="col">Paid for</Table.Th>
              <Table.Th scope="col">Tenders</Table.Th>
              <Table.Th scope="col" style={{ textAlign: 'right' }}>Total</Table.Th>
              <Table.Th scope="col">Status</Table.Th>
              <Table.Th scope="col">Void</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {!q.isLoading && list.length === 0 && (
              <Table.Tr><Table.Td colSpan={7}><Text size="sm">No transaction in this session yet.</Text></Table.Td></Table.Tr>
            )}
            {list.map((t) => (
              <Table.Tr key={t.id} data-testid={`txn-${t.receipt ?? t.id}`}>
                <Table.Td className="num">{t.id}</Table.Td>
                <Table.Td className="nowrap">
                  {t.receipt ? <a className="plain-link" href={receiptUrl(t.receipt, 'pdf')} target="_blank" rel="noopener">{t.receipt}<span className="visually-hidden"> (PDF, opens in a new tab)</span></a> : '—'}
                </Table.Td>
                <Table.Td>
                  {t.items.map((it, i) => <Text size="xs" key={i}>{it.party_name}: {it.description} {formatMoney(it.amount)}</Text>)}
                </Table.Td>
                <Table.Td>
                  {t.tenders.map((x, i) => <Text size="xs" key={i}>{tenderLabel(x.kind)} {formatMoney(x.amount)}{tenderDetail(x) ? ` (${tenderDetail(x)})` : ''}</Text>)}
                </Table.Td>
                <Table.Td><Money value={t.total} /></Table.Td>
                <Table.Td>
                  <Badge color={STATUS_COLOR[t.status] ?? 'gray'} variant="light">{statusWords(t.status)}</Badge>
                  {t.status === 'card_unknown' && <Text size="xs">No answer from the gateway yet: reconcile the card payments.</Text>}
                  {(t.status === 'declined' || t.status === 'failed') && <Text size="xs">Nothing was posted.</Text>}
                  {t.status === 'voided' && <Text size="xs">by {t.voided_by}: {t.void_reason}</Text>}
                </Table.Td>
                <Table.Td>
                  {t.status === 'posted' && mayVoid ? (
                    <Button size="compact-xs" color="red.9" variant="outline" onClick={() => setVoiding(t)} aria-label={`Void receipt ${t.receipt}`}>Void</Button>
                  ) : '—'}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </ScrollRegion>
      <Modal opened={!!voiding} onClose={() => setVoiding(null)} title={voiding ? `Void receipt ${voiding.receipt}` : 'Void'}>
        {voiding && (
          <VoidForm
            txn={voiding}
            onCancel={() => setVoiding(null)}
            onDone={() => setVoiding(null)}
          />
        )}
      </Modal>
    </Paper>
  );
}

function VoidForm({ txn, onCancel, onDone }: { txn: CounterTransaction; onCancel: () => void; onDone: (t: CounterTransaction) => void }) {
  const idem = useIdempotencyKey();
  const voidTxn = useVoidTransaction();
  const [reason, setReason] = useState('');
  const [reasonError, setReasonError] = useState<string | null>(null);
  const [refusal, setRefusal] = useState<unknown>(null);
  const [done, setDone] = useState<CounterTransaction | null>(null);

  if (done) {
    return (
      <Stack gap="sm">
        <Text role="status" fw={600}>Receipt {done.receipt} is voided. Each payment on it was reversed; what it paid is owed again.</Text>
        <Group justify="flex-end"><Button data-autofocus onClick={() => onDone(done)}>Done</Button></Group>
      </Stack>
    );
  }

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setRefusal(null);
    setReasonError(null);
    if (!reason.trim()) { setReasonError('A void needs a reason'); return; }
    try {
      setDone(await voidTxn.mutateAsync({ key: idem.key(), id: txn.id, reason: reason.trim() }));
    } catch (err) {
      idem.settle(err);
      if (isApiError(err) && err.field === 'reason') setReasonError(err.message); else setRefusal(err);
    }
  };

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        <Text size="sm">
          {formatMoney(txn.total)} taken by {txn.tender === 'split' ? 'split tender' : tenderLabel(txn.tender).toLowerCase()} for{' '}
          {[...new Set(txn.items.map((i) => i.party_name))].join(', ')}. A void reverses every payment on the receipt (and voids an approved card at the gateway).
        </Text>
        <Textarea label="Reason" required autosize minRows={2} value={reason} onChange={(e) => setReason(e.currentTarget.value)} error={reasonError} data-autofocus />
        <RefusalAlert error={refusal} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel}>Cancel</Button>
          <Button type="submit" color="red.9" loading={voidTxn.isPending}>Void receipt</Button>
        </Group>
      </Stack>
    </form>
  );
}
