// The contest-review queue (CSR III): citations whose initial review was requested and is not
// yet decided, oldest request first, so nothing waits longest by accident. The decision is taken
// on the citation page (CitationActions), which this queue opens.
import { Alert, Anchor, Button, Center, Group, Loader, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { Link, useSearchParams } from 'react-router-dom';
import { useCitationQueue } from '../../api/citations';
import { useCity } from '../../api/queries';
import { CitationTabs } from '../../components/citations/CitationTabs';
import { Money } from '../../components/Money';
import { formatDate, todayIn } from '../../lib/dates';
import { usePageTitle } from '../../lib/usePageTitle';
import { daysBetween } from './calendarDates';

const PAGE = 50;

export function ReviewQueuePage() {
  usePageTitle('Contest reviews');
  const tz = useCity().data?.time_zone;
  const today = todayIn(tz);
  const [params, setParams] = useSearchParams();
  const offset = Math.max(0, Number(params.get('offset')) || 0);
  const q = useCitationQueue({ status: 'review_requested', limit: PAGE, offset });
  const items = q.data?.items ?? [];
  const goTo = (o: number) => {
    const next = new URLSearchParams(params);
    if (o > 0) next.set('offset', String(o)); else next.delete('offset');
    setParams(next);
  };

  return (
    <Stack gap="sm">
      <Title order={1} size="h2">Contest reviews</Title>
      <CitationTabs />
      <Text size="sm">
        Citations waiting for their initial review (VC 40215(a)), oldest request first. Penalties are suspended while a
        review waits. Open a citation to record the decision.
      </Text>
      {q.isLoading && <Center p="md"><Loader aria-label="Loading the review queue" /></Center>}
      {q.error && <Alert color="red" variant="light" role="alert" title="Could not load the review queue">{q.error.message}</Alert>}
      {q.data && (
        <Paper withBorder p="sm" component="section" aria-labelledby="review-queue">
          <Title order={2} size="h4" id="review-queue" mb="xs">Waiting for a decision</Title>
          {items.length === 0 ? (
            <Text size="sm" data-testid="review-queue-empty">No review is waiting.</Text>
          ) : (
            <Table.ScrollContainer minWidth={860}>
              <Table withTableBorder striped highlightOnHover aria-label="Reviews waiting for a decision">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">Citation</Table.Th>
                    <Table.Th scope="col">Requested on</Table.Th>
                    <Table.Th scope="col">Waiting</Table.Th>
                    <Table.Th scope="col">Plate</Table.Th>
                    <Table.Th scope="col">Issued</Table.Th>
                    <Table.Th scope="col">Violation · location</Table.Th>
                    <Table.Th scope="col" style={{ textAlign: 'right' }}>Amount due</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {items.map((c) => {
                    const waited = c.contest_requested_on ? daysBetween(c.contest_requested_on, today) : null;
                    return (
                      <Table.Tr key={c.number} data-testid={`review-row-${c.number}`}>
                        <Table.Td>
                          <Anchor component={Link} to={`/citations/${encodeURIComponent(c.number!)}`} size="sm" underline="always" aria-label={`Open citation ${c.number} to decide`}>
                            {c.number}
                          </Anchor>
                        </Table.Td>
                        <Table.Td className="nowrap">{formatDate(c.contest_requested_on)}</Table.Td>
                        <Table.Td className="nowrap">{waited === null ? '—' : waited === 0 ? 'since today' : `${waited} day${waited === 1 ? '' : 's'}`}</Table.Td>
                        <Table.Td className="nowrap">{c.plate || 'none'} {c.plate_state}</Table.Td>
                        <Table.Td className="nowrap">{formatDate(c.issued_on)}</Table.Td>
                        <Table.Td><Text size="sm">{c.violation_code}</Text><Text size="xs" c="dimmed">{c.location}</Text></Table.Td>
                        <Table.Td><Money value={c.amount_due ?? '0'} /></Table.Td>
                      </Table.Tr>
                    );
                  })}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )}
          {(offset > 0 || q.data.next_offset != null) && (
            <Group justify="space-between" mt="xs">
              <Button size="xs" variant="default" disabled={offset === 0} onClick={() => goTo(Math.max(0, offset - PAGE))}>Older page</Button>
              <Text size="sm">Reviews {offset + 1}–{offset + items.length}</Text>
              <Button size="xs" variant="default" disabled={q.data.next_offset == null} onClick={() => goTo(q.data!.next_offset!)}>Newer page</Button>
            </Group>
          )}
        </Paper>
      )}
    </Stack>
  );
}
