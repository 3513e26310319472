// Late and shut-off notices (supervisor runs them; everyone with billing.read looks): run the
// notices of a mailing date and see what it sent and held back by reason, the batches with their
// PDF letters, and the field crews' shut-off list with its CSV download.
import { Alert, Anchor, Button, Group, Paper, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router-dom';
import { isApiError } from '../../api/client';
import {
  noticeBatchPdfUrl,
  shutoffListCsvUrl,
  useNoticeBatches,
  useRunNotices,
  useShutoffList,
  type NoticeBatch,
} from '../../api/billingNotices';
import { useUser } from '../../auth/session';
import { Money } from '../../components/Money';
import { formatDate } from '../../lib/dates';
import { useIdempotencyKey } from '../../lib/ledger';
import { can } from '../../lib/permissions';
import { usePageTitle } from '../../lib/usePageTitle';
import { BillingTabs } from './BillingTabs';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

function skippedText(b: NoticeBatch): string {
  const s = b.skipped ?? {};
  return `${s.no_shutoff ?? 0} medical (no shut-off), ${s.in_dispute ?? 0} in dispute, ${s.payment_arrangement ?? 0} payment arrangement, ${s.below_minimum ?? 0} below the minimum, ${s.account_closed ?? 0} closed`;
}

export function BillNoticesPage() {
  usePageTitle('Notices');
  const user = useUser();
  const batches = useNoticeBatches();
  const run = useRunNotices();
  const idem = useIdempotencyKey();
  const [date, setDate] = useState('');
  const [listDate, setListDate] = useState('');
  const [shownListDate, setShownListDate] = useState('');
  const list = useShutoffList(shownListDate);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    run.mutate(
      { date: date.trim(), key: idem.key() },
      { onSuccess: () => idem.reset(), onError: (err) => idem.settle(err) },
    );
  };
  const result = run.data;

  return (
    <Stack gap="sm">
      <Title order={1} size="h2">Notices</Title>
      <BillingTabs />
      {can(user, 'billing.run') && (
        <Paper withBorder p="sm" component="section" aria-labelledby="run-notices-h">
          <Title order={2} size="h4" id="run-notices-h" mb="xs">Run late and shut-off notices</Title>
          <Text size="sm" c="dimmed" mb="xs">
            A late notice for each bill past due; a shut-off notice at 53 days past due with $50.00 or more owed, the
            shut-off no earlier than 60 days past due and 7 business days after mailing (California SB 998). Running a date
            again gives the same batch.
          </Text>
          <form onSubmit={submit}>
            <Group align="flex-end">
              <TextInput
                label="Mailing date (YYYY-MM-DD)"
                value={date}
                onChange={(e) => setDate(e.currentTarget.value)}
                required
                w={220}
                error={run.error && isApiError(run.error) && run.error.field === 'date' ? run.error.message : undefined}
              />
              <Button type="submit" loading={run.isPending}>Run notices</Button>
            </Group>
          </form>
          {run.error && (
            <Alert mt="sm" color="red" variant="light" role="alert" title="The notices did not run">
              {isApiError(run.error) && run.error.field ? `${run.error.message} (field: ${run.error.field})` : run.error.message}
            </Alert>
          )}
          {result && (
            <Alert mt="sm" color="green" variant="light" role="status" title={`Batch ${result.id} for ${formatDate(result.mailed_on)}${result.already_run ? ' (run before)' : ''}`} data-testid="notice-run-result">
              <Text size="sm">
                {result.late} late notices, {result.shutoff} shut-off notices from {result.accounts} accounts.
              </Text>
              <Text size="sm">No shut-off notice: {skippedText(result)}. Brought current: {result.brought_current}.</Text>
              {(result.notices ?? 0) > 0 && (
                <Anchor href={noticeBatchPdfUrl(result.id!)} target="_blank" rel="noopener" underline="always" size="sm" c="blue.9">
                  Letters of batch {result.id} (PDF)
                </Anchor>
              )}
            </Alert>
          )}
        </Paper>
      )}

      <Paper withBorder p="sm" component="section" aria-labelledby="notice-batches-h">
        <Title order={2} size="h4" id="notice-batches-h" mb="xs">Notice batches</Title>
        {batches.error && <Alert color="red" variant="light" role="alert">{batches.error.message}</Alert>}
        <Table withTableBorder striped aria-label="Notice batches">
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">Batch</Table.Th>
              <Table.Th scope="col">Mailing date</Table.Th>
              <Table.Th scope="col">Status</Table.Th>
              <Table.Th scope="col">Late</Table.Th>
              <Table.Th scope="col">Shut-off</Table.Th>
              <Table.Th scope="col">No shut-off notice</Table.Th>
              <Table.Th scope="col">Letters</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(batches.data?.runs ?? []).map((b) => (
              <Table.Tr key={b.id}>
                <Table.Td>Batch {b.id}</Table.Td>
                <Table.Td>{formatDate(b.mailed_on)}</Table.Td>
                <Table.Td>{b.status}</Table.Td>
                <Table.Td>{b.late}</Table.Td>
                <Table.Td>{b.shutoff}</Table.Td>
                <Table.Td>{skippedText(b)}</Table.Td>
                <Table.Td>
                  {(b.notices ?? 0) > 0 ? (
                    <Anchor href={noticeBatchPdfUrl(b.id!)} target="_blank" rel="noopener" underline="always" size="sm">
                      PDF of batch {b.id}
                    </Anchor>
                  ) : 'none'}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Paper>

      <Paper withBorder p="sm" component="section" aria-labelledby="shutoff-list-h">
        <Title order={2} size="h4" id="shutoff-list-h" mb="xs">Shut-off list</Title>
        <Text size="sm" c="dimmed" mb="xs">
          Accounts whose shut-off date has come with a noticed bill still unpaid, and no medical certificate, dispute or payment arrangement.
        </Text>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            setShownListDate(listDate.trim());
          }}
        >
          <Group align="flex-end">
            <TextInput
              label="List date (YYYY-MM-DD, empty for today)"
              value={listDate}
              onChange={(e) => setListDate(e.currentTarget.value)}
              w={280}
              error={listDate.trim() && !ISO_DATE.test(listDate.trim()) ? 'Use YYYY-MM-DD' : undefined}
            />
            <Button type="submit" variant="default">Show the list</Button>
            <Button component="a" href={shutoffListCsvUrl(shownListDate)} variant="default">
              Download the list (CSV)
            </Button>
          </Group>
        </form>
        {list.error && (
          <Alert mt="sm" color="red" variant="light" role="alert">
            {isApiError(list.error) && list.error.field ? `${list.error.message} (field: ${list.error.field})` : list.error.message}
          </Alert>
        )}
        {list.data && (
          <Table mt="sm" withTableBorder striped aria-label={`Shut-off list for ${formatDate(list.data.date)}`}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Account</Table.Th>
                <Table.Th scope="col">Customer</Table.Th>
                <Table.Th scope="col">Service address</Table.Th>
                <Table.Th scope="col">Meters</Table.Th>
                <Table.Th scope="col">Shut-off date</Table.Th>
                <Table.Th scope="col" style={{ textAlign: 'right' }}>Past due</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.data.accounts.length === 0 && (
                <Table.Tr><Table.Td colSpan={6}>No account is due for shut-off on {formatDate(list.data.date)}.</Table.Td></Table.Tr>
              )}
              {list.data.accounts.map((r) => (
                <Table.Tr key={r.notice_id}>
                  <Table.Td>
                    <Anchor component={Link} to={`/billing/accounts/${r.account_number}`} underline="always" size="sm">{r.account_number}</Anchor>
                  </Table.Td>
                  <Table.Td>{r.customer_name}</Table.Td>
                  <Table.Td>{r.service_address}</Table.Td>
                  <Table.Td>{r.meters}</Table.Td>
                  <Table.Td>{formatDate(r.shutoff_on)}</Table.Td>
                  <Table.Td><Money value={r.past_due ?? '0'} /></Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Paper>
    </Stack>
  );
}
