// An account's late and shut-off notices, newest first: when each was mailed, what was past due,
// the shut-off date of a shut-off notice and whether it is still open (closed once the account
// was brought current). A CSR sees at once whether a caller has been told their water will be
// shut off, and when.
import { Alert, Anchor, Paper, Table, Text, Title } from '@mantine/core';
import { Link } from 'react-router-dom';
import { noticeBatchPdfUrl, useAccountNotices } from '../../api/billingNotices';
import { formatDate } from '../../lib/dates';
import { Money } from '../Money';

const KIND: Record<string, string> = { late: 'Late notice', shutoff: 'Shut-off notice' };
const STATUS: Record<string, string> = { sent: 'sent', open: 'open', closed: 'closed' };

export function AccountNotices({ number }: { number: number }) {
  const q = useAccountNotices(number);
  const notices = q.data?.notices ?? [];
  return (
    <Paper withBorder p="sm" component="section" aria-labelledby="notices-h">
      <Title order={2} size="h4" id="notices-h" mb="xs">Notices</Title>
      {q.error && <Alert color="red" variant="light" role="alert">{q.error.message}</Alert>}
      {!q.isLoading && !q.error && notices.length === 0 && <Text size="sm">No late or shut-off notice was sent.</Text>}
      {notices.length > 0 && (
        <Table withTableBorder striped aria-label="Notices sent">
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">Notice</Table.Th>
              <Table.Th scope="col">Mailed</Table.Th>
              <Table.Th scope="col">Bill</Table.Th>
              <Table.Th scope="col" style={{ textAlign: 'right' }}>Past due</Table.Th>
              <Table.Th scope="col">Shut-off date</Table.Th>
              <Table.Th scope="col">Status</Table.Th>
              <Table.Th scope="col">Letter</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {notices.map((n) => (
              <Table.Tr key={n.id}>
                <Table.Td>{KIND[n.kind ?? ''] ?? n.kind} {n.id}</Table.Td>
                <Table.Td>{formatDate(n.mailed_on)}</Table.Td>
                <Table.Td>{n.bill_id ? <Anchor component={Link} to={`/billing/bills/${n.bill_id}`} underline="always" size="sm">Bill {n.bill_id}</Anchor> : '—'}</Table.Td>
                <Table.Td><Money value={n.past_due ?? '0'} /></Table.Td>
                <Table.Td>{n.shutoff_on ? <Text span fw={700} size="sm">{formatDate(n.shutoff_on)}</Text> : '—'}</Table.Td>
                <Table.Td>{STATUS[n.status ?? ''] ?? n.status}{n.closed_on ? ` ${formatDate(n.closed_on)} (${n.closed_reason})` : ''}</Table.Td>
                <Table.Td>
                  <Anchor href={noticeBatchPdfUrl(n.batch_id!)} target="_blank" rel="noopener" underline="always" size="sm">Batch {n.batch_id} (PDF)</Anchor>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Paper>
  );
}
