// Bill runs (supervisor): bill a cycle through a period end. The run's counts show as a progress
// bar polled while it runs (a big cycle is finished by `civicdesk billing run`), and every account
// not billed is listed with its reason, so none is missed silently.
import { Alert, Anchor, Button, Group, Paper, Progress, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { useBillingRoutes, useBillRun, useBillRuns, useStartRun } from '../../api/billing';
import { isApiError } from '../../api/client';
import { useUser } from '../../auth/session';
import { Money } from '../../components/Money';
import { formatDate } from '../../lib/dates';
import { useIdempotencyKey } from '../../lib/ledger';
import { can } from '../../lib/permissions';
import { usePageTitle } from '../../lib/usePageTitle';
import { BillingTabs } from './BillingTabs';

export function BillRunsPage() {
  usePageTitle('Bill runs');
  const user = useUser();
  const [params, setParams] = useSearchParams();
  const runId = Number(params.get('run')) || null;
  const routes = useBillingRoutes();
  const runs = useBillRuns();
  const start = useStartRun();
  const idem = useIdempotencyKey();
  const [cycle, setCycle] = useState<string | null>(null);
  const [periodEnd, setPeriodEnd] = useState('');

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!cycle) return;
    start.mutate(
      { cycle, period_end: periodEnd.trim(), key: idem.key() },
      {
        onSuccess: (r) => { idem.reset(); setParams({ run: String(r.id) }); },
        onError: (err) => idem.settle(err),
      },
    );
  };

  return (
    <Stack gap="sm">
      <Title order={1} size="h2">Bill runs</Title>
      <BillingTabs />
      {can(user, 'billing.run') && (
        <Paper withBorder p="sm" component="section" aria-labelledby="start-run-h">
          <Title order={2} size="h4" id="start-run-h" mb="xs">Start a bill run</Title>
          <form onSubmit={submit}>
            <Group align="flex-end">
              <Select
                label="Cycle"
                data={(routes.data?.cycles ?? []).map((c) => ({ value: c.code, label: `${c.code} · ${c.name}` }))}
                value={cycle}
                onChange={setCycle}
                w={340}
                required
              />
              <TextInput label="Period end (YYYY-MM-DD)" value={periodEnd} onChange={(e) => setPeriodEnd(e.currentTarget.value)} required w={200} />
              <Button type="submit" loading={start.isPending}>Start the run</Button>
            </Group>
          </form>
          {start.error && <Alert mt="sm" color="red" variant="light" role="alert" title="The run did not start">{isApiError(start.error) && start.error.field ? `${start.error.message} (field: ${start.error.field})` : start.error.message}</Alert>}
        </Paper>
      )}
      {runId && <RunProgress id={runId} />}
      <Paper withBorder p="sm" component="section" aria-labelledby="runs-h">
        <Title order={2} size="h4" id="runs-h" mb="xs">Latest runs</Title>
        {runs.error && <Alert color="red" variant="light" role="alert">{runs.error.message}</Alert>}
        <Table withTableBorder striped aria-label="Bill runs">
          <Table.Thead>
            <Table.Tr><Table.Th scope="col">Run</Table.Th><Table.Th scope="col">Cycle</Table.Th><Table.Th scope="col">Period end</Table.Th><Table.Th scope="col">Status</Table.Th><Table.Th scope="col">Billed · exceptions · skipped</Table.Th><Table.Th scope="col" style={{ textAlign: 'right' }}>Total</Table.Th></Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(runs.data?.runs ?? []).map((r) => (
              <Table.Tr key={r.id}>
                <Table.Td><Anchor component={Link} to={`/billing/runs?run=${r.id}`} underline="always" size="sm">Run {r.id}</Anchor></Table.Td>
                <Table.Td>{r.cycle}</Table.Td>
                <Table.Td>{formatDate(r.period_end)}</Table.Td>
                <Table.Td>{r.status}</Table.Td>
                <Table.Td>{r.billed} · {r.exceptions} · {r.skipped}</Table.Td>
                <Table.Td><Money value={r.total ?? '0'} /></Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Paper>
    </Stack>
  );
}

function RunProgress({ id }: { id: number }) {
  const q = useBillRun(id);
  const r = q.data;
  const pct = r && r.accounts ? Math.round(((r.done ?? 0) * 100) / r.accounts) : 0;
  return (
    <Paper withBorder p="sm" component="section" aria-labelledby="run-h" data-testid="run-progress">
      <Title order={2} size="h4" id="run-h" mb="xs">Run {id}{r ? `: cycle ${r.cycle} through ${formatDate(r.period_end)}` : ''}</Title>
      {q.error && <Alert color="red" variant="light" role="alert">{q.error.message}</Alert>}
      {r && (
        <Stack gap="xs">
          <Progress value={pct} aria-label={`Run ${id} progress`} size="lg" />
          <Text size="sm" aria-live="polite">
            {r.status === 'running' ? 'Running' : 'Finished'}: {r.done} of {r.accounts} accounts — {r.billed} billed, {r.exceptions} exceptions, {r.skipped} already billed. Total billed: <Money value={r.total ?? '0'} />
          </Text>
          {(r.exception_list ?? []).length > 0 && (
            <Table withTableBorder striped aria-label="Accounts not billed">
              <Table.Thead><Table.Tr><Table.Th scope="col">Account</Table.Th><Table.Th scope="col">Reason</Table.Th></Table.Tr></Table.Thead>
              <Table.Tbody>
                {(r.exception_list ?? []).map((x) => (
                  <Table.Tr key={x.account_number}>
                    <Table.Td><Anchor component={Link} to={`/billing/accounts/${x.account_number}`} underline="always" size="sm">{x.account_number}</Anchor></Table.Td>
                    <Table.Td>{x.reason_code?.replace(/_/g, ' ')}: {x.reason}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
        </Stack>
      )}
    </Paper>
  );
}
