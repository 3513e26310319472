// One utility bill: its period, reads and totals, the charges grouped by service with how each was
// computed, the PDF, and (billing.run) cancel with a reason or rebill — which cancels this bill and
// every later one and bills each period again with today's reads and rates.
import { Alert, Anchor, Badge, Button, Center, Group, Loader, Modal, Paper, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { useBill, useCancelBill, useRebill, type Bill } from '../../api/billing';
import { isApiError } from '../../api/client';
import { useUser } from '../../auth/session';
import { Money } from '../../components/Money';
import { formatDate } from '../../lib/dates';
import { useIdempotencyKey } from '../../lib/ledger';
import { can } from '../../lib/permissions';
import { usePageTitle } from '../../lib/usePageTitle';
import { BillingTabs } from './BillingTabs';

const KIND_LABEL: Record<string, string> = { water: 'Water', sewer: 'Sewer', refuse: 'Refuse', stormwater: 'Stormwater' };

export function BillPage() {
  const id = Number(useParams().id);
  usePageTitle(`Bill ${id}`);
  const user = useUser();
  const q = useBill(id);
  const [action, setAction] = useState<'cancel' | 'rebill' | null>(null);
  if (q.isLoading) return <Center p="md"><Loader aria-label="Loading the bill" /></Center>;
  if (q.error || !q.data) return <Alert color="red" variant="light" role="alert" title="Could not load the bill">{q.error?.message ?? 'Not found'}</Alert>;
  const b = q.data;
  const groups = new Map<string, NonNullable<Bill['lines']>>();
  for (const l of b.lines ?? []) {
    const k = l.service ?? 'other';
    if (!groups.has(k)) groups.set(k, []);
    groups.get(k)!.push(l);
  }
  return (
    <Stack gap="sm">
      <Title order={1} size="h2">Bill {b.id} · account {b.account_number}</Title>
      <BillingTabs />
      <Paper withBorder p="sm" component="section" aria-labelledby="bill-h">
        <Group justify="space-between" align="flex-start">
          <Stack gap={2}>
            <Title order={2} size="h4" id="bill-h">Summary</Title>
            <Group gap="xs">
              <Badge variant="outline" color="dark">{b.status}</Badge>
              <Badge variant="outline" color="dark">{b.kind} bill</Badge>
              {b.estimated && <Badge variant="outline" color="dark">Estimated</Badge>}
            </Group>
            <Text size="sm">
              <Anchor component={Link} to={`/billing/accounts/${b.account_number}`} underline="always">Account {b.account_number}</Anchor>
              {' '}· period {formatDate(b.period_from)} to {formatDate(b.period_to)} ({b.days} days), {b.usage_ccf} CCF
            </Text>
            <Text size="sm">Billed {formatDate(b.bill_date)}, due {formatDate(b.due_date)}{b.run_id ? ` · run ${b.run_id}` : ''}{b.rebill_of ? ` · rebill of bill ${b.rebill_of}` : ''}</Text>
            {b.status === 'cancelled' && <Text size="sm" data-testid="cancel-reason">Cancelled by {b.cancelled_by}: {b.cancel_reason}</Text>}
          </Stack>
          <Group gap="xs">
            <Button component="a" href={`/api/v1/billing/bills/${b.id}/pdf`} target="_blank" rel="noopener" variant="default">Open the PDF</Button>
            {can(user, 'billing.run') && b.status === 'issued' && (
              <>
                <Button variant="default" onClick={() => setAction('cancel')}>Cancel the bill</Button>
                <Button variant="default" onClick={() => setAction('rebill')}>Rebill</Button>
              </>
            )}
          </Group>
        </Group>
      </Paper>
      {[...groups.entries()].map(([svc, lines]) => (
        <Paper key={svc} withBorder p="sm" component="section" aria-labelledby={`svc-${svc}`}>
          <Title order={2} size="h4" id={`svc-${svc}`} mb="xs">{KIND_LABEL[svc] ?? svc}</Title>
          <Table withTableBorder striped aria-label={`${KIND_LABEL[svc] ?? svc} charges`}>
            <Table.Thead><Table.Tr><Table.Th scope="col">Charge and how it was computed</Table.Th><Table.Th scope="col" style={{ textAlign: 'right' }}>Amount</Table.Th></Table.Tr></Table.Thead>
            <Table.Tbody>
              {lines.map((l) => (
                <Table.Tr key={l.line_no}>
                  <Table.Td><Text size="sm">{l.description}</Text><Text size="xs" data-testid="explanation">{l.explanation}</Text></Table.Td>
                  <Table.Td><Money value={l.amount ?? '0'} /></Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Paper>
      ))}
      <Paper withBorder p="sm" component="section" aria-labelledby="totals-h">
        <Title order={2} size="h4" id="totals-h" mb="xs">Totals</Title>
        <Table withTableBorder aria-label="Bill totals" w={420}>
          <Table.Tbody>
            <Table.Tr><Table.Th scope="row">This bill</Table.Th><Table.Td><Money value={b.total ?? '0'} /></Table.Td></Table.Tr>
            <Table.Tr><Table.Th scope="row">Previous balance</Table.Th><Table.Td><Money value={b.previous_balance ?? '0'} /></Table.Td></Table.Tr>
            <Table.Tr><Table.Th scope="row">Balance</Table.Th><Table.Td><Money value={b.balance ?? '0'} /></Table.Td></Table.Tr>
          </Table.Tbody>
        </Table>
      </Paper>
      {action && <ReasonDialog bill={b} action={action} onClose={() => setAction(null)} />}
    </Stack>
  );
}

function ReasonDialog({ bill, action, onClose }: { bill: Bill; action: 'cancel' | 'rebill'; onClose: () => void }) {
  const cancel = useCancelBill();
  const rebill = useRebill();
  const idem = useIdempotencyKey();
  const navigate = useNavigate();
  const [reason, setReason] = useState('');
  const m = action === 'cancel' ? cancel : rebill;
  const err = m.error;
  return (
    <Modal opened onClose={onClose} title={action === 'cancel' ? `Cancel bill ${bill.id}` : `Rebill from bill ${bill.id}`}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          const args = { id: bill.id!, reason: reason.trim(), key: idem.key() };
          if (action === 'cancel') cancel.mutate(args, { onSuccess: () => { idem.reset(); onClose(); }, onError: idem.settle });
          else rebill.mutate(args, {
            onSuccess: (r) => { idem.reset(); onClose(); const first = r.bills?.[0]; if (first) navigate(`/billing/bills/${first.id}`); },
            onError: idem.settle,
          });
        }}
      >
        <Stack gap="sm">
          <Text size="sm">
            {action === 'cancel'
              ? 'The bill’s charge is reversed in the ledger; the bill is kept as cancelled with the reason.'
              : 'This bill and every later one are cancelled, and each period is billed again with today’s reads and rates.'}
          </Text>
          <TextInput label="Reason" value={reason} onChange={(e) => setReason(e.currentTarget.value)} required data-autofocus />
          {err && <Alert color="red" variant="light" role="alert">{isApiError(err) && err.field ? `${err.message} (field: ${err.field})` : err.message}</Alert>}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>Keep the bill</Button>
            <Button type="submit" loading={m.isPending}>{action === 'cancel' ? 'Cancel the bill' : 'Rebill'}</Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
