// Deposits (finance and supervisors): what closed sessions have ready, one slip per bank account;
// preparing the deposit; closing it with the bank's reference by a second person (dual control,
// the API refuses the preparer); and the daily receipts report by fund.
import { Alert, Badge, Button, Group, Loader, Paper, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { isApiError } from '../api/client';
import { useCloseDeposit, useDailyReceipts, useDeposits, usePrepareDeposit, type DepositSlip } from '../api/counter';
import { useCity } from '../api/queries';
import { useUser } from '../auth/session';
import { DepositSlipView } from '../components/counter/DepositSlipView';
import { RefusalAlert } from '../components/ledger/common';
import { Money } from '../components/Money';
import { isIsoDate, todayIn } from '../lib/dates';
import { CHANNELS } from '../lib/ledger';
import { useIdempotencyKey } from '../lib/ledger';
import { formatMoney } from '../lib/money';
import { can } from '../lib/permissions';
import { usePageTitle } from '../lib/usePageTitle';
import { ScrollRegion } from '../components/counter/ScrollRegion';

const right = { textAlign: 'right' } as const;

export function DepositsPage() {
  usePageTitle('Deposits');
  const q = useDeposits();
  const ready = q.data?.ready ?? [];
  const prepared = (q.data?.items ?? []).filter((d) => d.status === 'prepared');
  const closed = (q.data?.items ?? []).filter((d) => d.status === 'closed');

  return (
    <Stack gap="sm">
      <Group justify="space-between">
        <Title order={1} size="h2">Deposits</Title>
        {q.isFetching && <Loader size="xs" aria-label="Loading" />}
      </Group>
      <Text size="sm">
        Closed drawer sessions wait here to be deposited, one slip per bank account. One person prepares the deposit; a second person
        takes it to the bank and closes it with the bank’s reference.
      </Text>
      {q.error && <Alert color="red" variant="light" role="alert" title="Could not load the deposits">{q.error.message}</Alert>}

      <Paper withBorder p="sm" component="section" aria-labelledby="ready-title" data-testid="deposits-ready">
        <Title order={2} size="h4" id="ready-title" mb="xs">Ready to deposit</Title>
        {ready.length === 0 && !q.isLoading && <Text size="sm">Nothing waiting: no closed session is undeposited.</Text>}
        <Stack gap="md">
          {ready.map((s) => <ReadySlip key={s.bank_account} slip={s} />)}
        </Stack>
      </Paper>

      <Paper withBorder p="sm" component="section" aria-labelledby="prepared-title" data-testid="deposits-prepared">
        <Title order={2} size="h4" id="prepared-title" mb="xs">Prepared — waiting for the bank</Title>
        {prepared.length === 0 && !q.isLoading && <Text size="sm">No deposit is waiting to be closed.</Text>}
        <Stack gap="md">
          {prepared.map((s) => <PreparedSlip key={s.id} slip={s} />)}
        </Stack>
      </Paper>

      <Paper withBorder p="sm" component="section" aria-labelledby="closed-title">
        <Title order={2} size="h4" id="closed-title" mb="xs">Closed deposits</Title>
        <ScrollRegion label="Closed deposits (scrolls sideways)" minWidth={800}>
          <Table withTableBorder striped aria-label="Closed deposits" data-testid="deposits-closed">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">No.</Table.Th>
                <Table.Th scope="col">Bank account</Table.Th>
                <Table.Th scope="col">Bank reference</Table.Th>
                <Table.Th scope="col">Prepared by</Table.Th>
                <Table.Th scope="col">Closed by</Table.Th>
                <Table.Th scope="col" style={right}>Total</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {closed.length === 0 && <Table.Tr><Table.Td colSpan={6}><Text size="sm">None yet.</Text></Table.Td></Table.Tr>}
              {closed.slice(0, 50).map((d) => (
                <Table.Tr key={d.id} data-testid={`deposit-${d.id}`}>
                  <Table.Td className="num">{d.id}</Table.Td>
                  <Table.Td>{d.bank_account}</Table.Td>
                  <Table.Td>{d.bank_reference}</Table.Td>
                  <Table.Td>{d.prepared_by}</Table.Td>
                  <Table.Td>{d.closed_by}</Table.Td>
                  <Table.Td><Money value={d.total} /></Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollRegion>
      </Paper>

      <DailyReceiptsReport />
    </Stack>
  );
}

function ReadySlip({ slip }: { slip: DepositSlip }) {
  const prepare = usePrepareDeposit();
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<DepositSlip | null>(null);
  return (
    <Paper withBorder p="sm" data-testid={`ready-${slip.bank_account}`} component="article" aria-label={`Ready for ${slip.bank_account}`}>
      <Group justify="space-between" mb="xs">
        <Title order={3} size="h5">Bank account {slip.bank_account}</Title>
        <Button
          size="xs"
          loading={prepare.isPending}
          disabled={!!done}
          aria-label={`Prepare deposit for ${slip.bank_account}`}
          onClick={async () => {
            setError(null);
            try { setDone(await prepare.mutateAsync(slip.bank_account)); } catch (e) { setError(e); }
          }}
        >
          Prepare deposit
        </Button>
      </Group>
      <DepositSlipView slip={slip} label={`the slip for ${slip.bank_account}`} />
      {done && <Text size="sm" role="status" mt="xs">Deposit no. {done.id} prepared for {formatMoney(done.total)}.</Text>}
      <RefusalAlert error={error} />
    </Paper>
  );
}

function PreparedSlip({ slip }: { slip: DepositSlip }) {
  const user = useUser();
  const idem = useIdempotencyKey();
  const close = useCloseDeposit();
  const [reference, setReference] = useState('');
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [refusal, setRefusal] = useState<unknown>(null);
  const mayClose = can(user, 'deposit.close');

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setRefusal(null);
    setFieldError(null);
    if (!reference.trim()) { setFieldError('Record the bank’s reference for the deposit'); return; }
    try {
      await close.mutateAsync({ key: idem.key(), id: slip.id!, bank_reference: reference.trim() });
    } catch (err) {
      idem.settle(err);
      if (isApiError(err) && err.field === 'bank_reference') setFieldError(err.message); else setRefusal(err);
    }
  };

  return (
    <Paper withBorder p="sm" data-testid={`prepared-${slip.id}`} component="article" aria-label={`Deposit no. ${slip.id}`}>
      <Group justify="space-between" mb="xs" wrap="wrap">
        <Title order={3} size="h5">Deposit no. {slip.id} · {slip.bank_account}</Title>
        <Group gap={6}>
          <Badge variant="light" color="orange">Prepared</Badge>
          <Text size="sm">by <strong>{slip.prepared_by}</strong></Text>
        </Group>
      </Group>
      <DepositSlipView slip={slip} label={`deposit no. ${slip.id}`} />
      {mayClose ? (
        <form onSubmit={submit} noValidate>
          <Group align="flex-start" mt="sm" gap="xs">
            <TextInput
              label="Bank reference"
              description={`Closed by a second person, not ${slip.prepared_by}`}
              value={reference}
              onChange={(e) => setReference(e.currentTarget.value)}
              error={fieldError}
              w={320}
            />
            <Button type="submit" mt={42} loading={close.isPending} aria-label={`Close deposit no. ${slip.id}`}>Close deposit</Button>
          </Group>
        </form>
      ) : (
        <Text size="sm" mt="xs">Your role cannot close deposits; someone with deposit authority (finance) closes it.</Text>
      )}
      <RefusalAlert error={refusal} />
    </Paper>
  );
}

function DailyReceiptsReport() {
  const tz = useCity().data?.time_zone;
  const [date, setDate] = useState(todayIn(tz));
  const q = useDailyReceipts(isIsoDate(date) ? date : '');
  const r = q.data;
  const channels = CHANNELS.map((c) => c.value);
  return (
    <Paper withBorder p="sm" component="section" aria-labelledby="daily-title" data-testid="daily-receipts">
      <Group justify="space-between" align="flex-end" mb="xs">
        <Title order={2} size="h4" id="daily-title">Daily receipts by fund</Title>
        <Group gap="xs" align="flex-end">
          {q.isFetching && <Loader size="xs" aria-label="Loading" />}
          <TextInput type="date" size="xs" label="Posting date" value={date} onChange={(e) => setDate(e.currentTarget.value)} error={isIsoDate(date) ? null : 'Choose a date'} />
        </Group>
      </Group>
      {q.error && <Alert color="red" variant="light" role="alert">{q.error.message}</Alert>}
      {r && (
        <ScrollRegion label="Receipts by fund (scrolls sideways)" minWidth={800}>
          <Table withTableBorder striped aria-label={`Receipts by fund, ${r.date}`}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Fund</Table.Th>
                {CHANNELS.map((c) => <Table.Th key={c.value} scope="col" style={right}>{c.label}</Table.Th>)}
                <Table.Th scope="col" style={right}>Received</Table.Th>
                <Table.Th scope="col" style={right}>Voided</Table.Th>
                <Table.Th scope="col" style={right}>Net</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {r.funds.length === 0 && <Table.Tr><Table.Td colSpan={8}><Text size="sm">Nothing received on this date.</Text></Table.Td></Table.Tr>}
              {r.funds.map((f) => (
                <Table.Tr key={f.fund}>
                  <Table.Th scope="row">{f.fund_name || f.fund} <Text size="xs" component="span" fw={400}>({f.fund})</Text></Table.Th>
                  {channels.map((c) => <Table.Td key={c}><Money value={f.by_channel[c] ?? '0.00'} /></Table.Td>)}
                  <Table.Td><Money value={f.received} /></Table.Td>
                  <Table.Td><Money value={f.voided} /></Table.Td>
                  <Table.Td><Money value={f.net} /></Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
            <Table.Tfoot>
              <Table.Tr>
                <Table.Th scope="row" colSpan={1 + channels.length}>All funds</Table.Th>
                <Table.Td><strong><Money value={r.received} /></strong></Table.Td>
                <Table.Td><strong><Money value={r.voided} /></strong></Table.Td>
                <Table.Td><strong><Money value={r.net} /></strong></Table.Td>
              </Table.Tr>
            </Table.Tfoot>
          </Table>
        </ScrollRegion>
      )}
    </Paper>
  );
}
