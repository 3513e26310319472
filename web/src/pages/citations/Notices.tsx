// Delinquency notices (VC 40215): the nightly run records a notice per citation that reached its
// notice step; a supervisor prints the notices of a date as one batch of letters (one PDF, one
// page per notice, for window envelopes). Every batch stays listed with its PDF.
import { Alert, Anchor, Button, Group, Paper, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { isApiError } from '../../api/client';
import { noticePdfUrl, useNoticeBatches, usePrintNotices, type NoticeBatch } from '../../api/notices';
import { useCity } from '../../api/queries';
import { useUser } from '../../auth/session';
import { CitationTabs } from '../../components/citations/CitationTabs';
import { RefusalAlert } from '../../components/ledger/common';
import { Money } from '../../components/Money';
import { formatDate, isIsoDate, todayIn } from '../../lib/dates';
import { can } from '../../lib/permissions';
import { usePageTitle } from '../../lib/usePageTitle';

export function NoticesPage() {
  usePageTitle('Delinquency notices');
  const user = useUser();
  const batches = useNoticeBatches();
  const items = batches.data?.items ?? [];
  return (
    <Stack gap="sm">
      <Title order={1} size="h2">Delinquency notices</Title>
      <CitationTabs />
      {can(user, 'citation.escalate') && <PrintPanel />}
      <Paper withBorder p="sm" component="section" aria-labelledby="notice-batches">
        <Title order={2} size="h4" id="notice-batches" mb="xs">Batches printed</Title>
        {batches.error && <Alert color="red" variant="light" role="alert" title="Could not load the batches">{batches.error.message}</Alert>}
        {batches.data && (items.length === 0 ? <Text size="sm">No batch printed yet.</Text> : (
          <Table withTableBorder striped aria-label="Notice batches printed">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Date</Table.Th><Table.Th scope="col">Notices</Table.Th><Table.Th scope="col" style={{ textAlign: 'right' }}>Total due</Table.Th>
                <Table.Th scope="col">Held (owner unknown)</Table.Th><Table.Th scope="col">Printed by</Table.Th><Table.Th scope="col">Letters</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((b) => (
                <Table.Tr key={b.id} data-testid={`notice-batch-${b.id}`}>
                  <Table.Td className="nowrap">{formatDate(b.batch_on)}</Table.Td>
                  <Table.Td className="num">{b.notice_count}</Table.Td>
                  <Table.Td><Money value={b.total_due ?? '0'} /></Table.Td>
                  <Table.Td className="num">{b.held_count}</Table.Td>
                  <Table.Td>{b.printed_by}</Table.Td>
                  <Table.Td><PdfLink b={b} /></Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        ))}
      </Paper>
    </Stack>
  );
}

function PdfLink({ b }: { b: NoticeBatch }) {
  if (!b.id || !b.notice_count) return <Text size="sm" c="dimmed">no letter</Text>;
  return (
    <Anchor href={noticePdfUrl(b.id)} target="_blank" rel="noopener" size="sm" underline="always">
      Open the letters of {formatDate(b.batch_on)} (PDF)
    </Anchor>
  );
}

function PrintPanel() {
  const tz = useCity().data?.time_zone;
  const print = usePrintNotices();
  const [date, setDate] = useState(() => todayIn(tz));
  const [error, setError] = useState<string | null>(null);
  const [refusal, setRefusal] = useState<unknown>(null);
  const [batch, setBatch] = useState<NoticeBatch | null>(null);
  const submit = async () => {
    setRefusal(null);
    if (!isIsoDate(date)) { setError('Enter the date as YYYY-MM-DD'); return; }
    setError(null);
    try {
      setBatch(await print.mutateAsync(date));
    } catch (err) {
      if (isApiError(err) && err.field === 'date') setError(err.message);
      else setRefusal(err);
    }
  };
  return (
    <Paper withBorder p="sm" component="section" aria-labelledby="notice-print">
      <Title order={2} size="h4" id="notice-print" mb="xs">Print a day&rsquo;s notices</Title>
      <Text size="sm" mb="xs">
        Every notice recorded on or before the date whose registered owner is known is addressed and printed. Notices
        waiting for the DMV to name the owner stay held. The same date again gives the same batch.
      </Text>
      <form aria-label="Print the notices" noValidate onSubmit={(e) => { e.preventDefault(); void submit(); }}>
        <Group align="flex-start" gap="xs">
          <TextInput type="date" label="Notices of" description="Today or earlier" value={date} onChange={(e) => setDate(e.currentTarget.value)} error={error} w={190} />
          <Button type="submit" mt={44} loading={print.isPending}>Print the notices</Button>
        </Group>
      </form>
      <RefusalAlert error={refusal} />
      {batch && (
        <Stack gap={4} mt="xs" data-testid="notice-print-result">
          <Text size="sm">
            Batch of {formatDate(batch.batch_on)}: <strong>{batch.notice_count}</strong> notice{batch.notice_count === 1 ? '' : 's'} printed,{' '}
            {batch.held_count} held for an unknown owner.
          </Text>
          <PdfLink b={batch} />
        </Stack>
      )}
    </Paper>
  );
}
