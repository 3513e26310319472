// Late penalties: run the penalty job for a date (billing.run — supervisors) and see what it did —
// assessed, skipped because the account is in dispute or under a payment arrangement, the total —
// then every penalty assessed on that date with its bill and account. Anyone with billing.read can
// look up a date's penalties. The same job runs nightly as `civicdesk billing penalties --date`.
import { Alert, Anchor, Button, Group, Paper, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router-dom';
import { useAssessPenalties, usePenalties, type PenaltyResult } from '../../api/billingAccounts';
import { isApiError } from '../../api/client';
import { useCity } from '../../api/queries';
import { useUser } from '../../auth/session';
import { Money } from '../../components/Money';
import { formatDate, todayIn } from '../../lib/dates';
import { useIdempotencyKey } from '../../lib/ledger';
import { can } from '../../lib/permissions';
import { usePageTitle } from '../../lib/usePageTitle';
import { BillingTabs } from './BillingTabs';

export function PenaltiesPage() {
  usePageTitle('Late penalties');
  const user = useUser();
  const tz = useCity().data?.time_zone;
  const [date, setDate] = useState(() => todayIn(tz));
  const [shown, setShown] = useState(date);
  const [result, setResult] = useState<PenaltyResult | null>(null);
  const assess = useAssessPenalties();
  const idem = useIdempotencyKey();
  const list = usePenalties(shown);

  const run = (e: FormEvent) => {
    e.preventDefault();
    setResult(null);
    const d = date.trim();
    assess.mutate({ date: d, key: idem.key() }, {
      onSuccess: (r) => { idem.reset(); setResult(r); setShown(d); },
      onError: (err) => idem.settle(err),
    });
  };
  const items = list.data?.items ?? [];

  return (
    <Stack gap="sm">
      <Title order={1} size="h2">Late penalties</Title>
      <BillingTabs />
      <Paper withBorder p="sm" component="section" aria-labelledby="pen-run-h">
        <Title order={2} size="h4" id="pen-run-h" mb="xs">Penalties for a date</Title>
        <Text size="sm" mb="xs">
          Each bill still owing after its due date and the grace days is penalised once, at the City&apos;s rate. Accounts in dispute or under a payment arrangement are skipped. Running a date again assesses nothing twice.
        </Text>
        <form onSubmit={run}>
          <Group align="flex-end">
            <TextInput label="Penalty date (YYYY-MM-DD)" value={date} onChange={(e) => setDate(e.currentTarget.value)} required w={220}
              error={isApiError(assess.error) && assess.error.field === 'date' ? assess.error.message : undefined} />
            <Button variant="default" onClick={() => setShown(date.trim())}>Show the penalties</Button>
            {can(user, 'billing.run') && <Button type="submit" loading={assess.isPending}>Assess penalties</Button>}
          </Group>
        </form>
        {assess.error && !(isApiError(assess.error) && assess.error.field === 'date') && (
          <Alert mt="sm" color="red" variant="light" role="alert" title="The penalties were not assessed">
            {isApiError(assess.error) && assess.error.field ? `${assess.error.message} (field: ${assess.error.field})` : assess.error.message}
          </Alert>
        )}
        <div aria-live="polite">
          {result && (
            <Alert mt="sm" color="green" variant="light" title={`Penalties for ${formatDate(result.as_of)}`} data-testid="penalty-result">
              <Text size="sm">
                Assessed: {result.assessed} · skipped (dispute): {result.skipped_dispute} · skipped (payment arrangement): {result.skipped_arrangement} · total: <Money value={result.total ?? '0'} />
              </Text>
            </Alert>
          )}
        </div>
      </Paper>
      <Paper withBorder p="sm" component="section" aria-labelledby="pen-list-h">
        <Title order={2} size="h4" id="pen-list-h" mb="xs">Assessed on {formatDate(shown)}</Title>
        {list.error && <Alert color="red" variant="light" role="alert">{list.error.message}</Alert>}
        {list.data && items.length === 0 && <Text size="sm">No penalty was assessed on this date.</Text>}
        {items.length > 0 && (
          <>
            <Text size="sm" mb="xs" data-testid="penalty-list-total">{list.data?.count} penalties, total <Money value={list.data?.total ?? '0'} /></Text>
            <Table withTableBorder striped aria-label="Penalties assessed">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">Bill</Table.Th><Table.Th scope="col">Account</Table.Th><Table.Th scope="col">Customer</Table.Th><Table.Th scope="col">Bill due</Table.Th>
                  <Table.Th scope="col" style={{ textAlign: 'right' }}>Penalty</Table.Th><Table.Th scope="col">Assessed on</Table.Th><Table.Th scope="col">By</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((p) => (
                  <Table.Tr key={p.id}>
                    <Table.Td><Anchor component={Link} to={`/billing/bills/${p.bill_id}`} underline="always" size="sm" aria-label={`Open bill ${p.bill_id}`}>{p.bill_id}</Anchor></Table.Td>
                    <Table.Td><Anchor component={Link} to={`/billing/accounts/${p.account_number}`} underline="always" size="sm">{p.account_number}</Anchor></Table.Td>
                    <Table.Td>{p.party_name}</Table.Td>
                    <Table.Td>{formatDate(p.bill_due_date)}</Table.Td>
                    <Table.Td><Money value={p.amount ?? '0'} /></Table.Td>
                    <Table.Td>{formatDate(p.assessed_on)}</Table.Td>
                    <Table.Td>{p.assessed_by}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </>
        )}
      </Paper>
    </Stack>
  );
}
