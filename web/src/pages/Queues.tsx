import { Alert, Anchor, Badge, Button, Group, Modal, NativeSelect, SegmentedControl, Stack, Table, Text, Textarea, Title } from '@mantine/core';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { isApiError } from '../api/client';
import { useCompleteQueueItem, useQueue, type QueueItem, type QueueStatus } from '../api/mail';
import { useCity, useDepartments } from '../api/queries';
import { useUser } from '../auth/session';
import { RefusalAlert } from '../components/ledger/common';
import { MailRoomTabs } from '../components/mail/MailRoomTabs';
import { mailKindLabel } from '../components/mail/words';
import { formatDate, todayIn } from '../lib/dates';
import { usePageTitle } from '../lib/usePageTitle';

const STATUSES: { value: QueueStatus; label: string }[] = [
  { value: 'open', label: 'Open' },
  { value: 'done', label: 'Done' },
  { value: 'all', label: 'All' },
];

export function QueuesPage() {
  usePageTitle('Work queues');
  const user = useUser();
  const tz = useCity().data?.time_zone;
  const dept = useDepartments();
  const today = todayIn(tz);
  // Supervisors see every department's queue (and may pick one); everyone else sees their own.
  const supervisor = user.role === 'supervisor';
  const [params, setParams] = useSearchParams();
  const status = (STATUSES.find((s) => s.value === params.get('status'))?.value ?? 'open') as QueueStatus;
  const department = supervisor ? params.get('department') ?? '' : '';
  const q = useQueue(department, status);
  const items = q.data?.items ?? [];
  const [completing, setCompleting] = useState<QueueItem | null>(null);
  const overdue = items.filter((i) => i.overdue).length;
  const departments = [...new Set(items.map((i) => i.department))];

  const setParam = (k: string, v: string, dflt: string) => {
    const next = new URLSearchParams(params);
    if (v === dflt) next.delete(k); else next.set(k, v);
    setParams(next, { replace: true });
  };

  return (
    <Stack gap="sm">
      <MailRoomTabs />
      <Group justify="space-between" align="flex-end">
        <Title order={1} size="h2">Work queues</Title>
        <Group gap="sm" align="flex-end">
          {supervisor && (
            <NativeSelect
              label="Department"
              size="xs"
              value={department}
              onChange={(e) => setParam('department', e.currentTarget.value, '')}
              data={[{ value: '', label: 'Every department' }, ...dept.options(department)]}
            />
          )}
          <SegmentedControl aria-label="Which items" value={status} onChange={(v) => setParam('status', v, 'open')} data={STATUSES} />
        </Group>
      </Group>
      <Text size="sm" c="dimmed">
        {supervisor
          ? 'As a supervisor you see every department’s queue.'
          : departments.length === 1
            ? `Your department’s queue: ${dept.name(departments[0])}.`
            : 'Your department’s queue.'}{' '}
        Items are due in business days from receipt; overdue items come first and are marked.
      </Text>
      {q.error && (
        <Alert color="red" variant="light" role="alert" title="Could not load the queue">
          {q.error.message}
        </Alert>
      )}
      {!q.isLoading && !q.error && items.length === 0 && status === 'open' && !supervisor && (
        <Alert color="blue" variant="light">
          Nothing open for your department. If you expected work here, ask an administrator to check your department on the Users page.
        </Alert>
      )}
      {overdue > 0 && (
        <Text size="sm" fw={600} c="red.9" data-testid="overdue-count">
          {overdue} overdue item{overdue === 1 ? '' : 's'}
        </Text>
      )}
      <Table.ScrollContainer minWidth={900}>
        <Table withTableBorder striped highlightOnHover aria-busy={q.isFetching || undefined} data-testid="queue">
          <Table.Caption style={{ captionSide: 'top', textAlign: 'left' }}>
            {q.isLoading ? 'Loading…' : `${items.length} ${status === 'all' ? '' : `${STATUSES.find((s) => s.value === status)!.label.toLowerCase()} `}item${items.length === 1 ? '' : 's'}, by due date`}
          </Table.Caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">Due</Table.Th>
              <Table.Th scope="col">Department</Table.Th>
              <Table.Th scope="col">Kind</Table.Th>
              <Table.Th scope="col">Subject</Table.Th>
              <Table.Th scope="col">From</Table.Th>
              <Table.Th scope="col">Received</Table.Th>
              <Table.Th scope="col">Status</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {!q.isLoading && items.length === 0 && (
              <Table.Tr><Table.Td colSpan={7}><Text size="sm" py="sm">Nothing here.</Text></Table.Td></Table.Tr>
            )}
            {items.map((i) => (
              <Table.Tr key={i.id} data-testid={`queue-item-${i.id}`} style={i.overdue ? { background: 'var(--mantine-color-red-0)' } : undefined}>
                <Table.Td className="nowrap">
                  <Stack gap={2}>
                    <Text size="sm" fw={i.overdue ? 700 : undefined} c={i.overdue ? 'red.9' : undefined}>{formatDate(i.due_date)}</Text>
                    {i.overdue ? <Badge color="red.9" variant="filled" size="sm">Overdue</Badge>
                      : i.status === 'open' && i.due_date === today ? <Badge color="yellow" variant="light" size="sm">Due today</Badge> : null}
                  </Stack>
                </Table.Td>
                <Table.Td>{dept.name(i.department)}</Table.Td>
                <Table.Td>{mailKindLabel(i.kind)}</Table.Td>
                <Table.Td>{i.subject || '—'}</Table.Td>
                <Table.Td>
                  <Text size="sm">{i.from_name || '—'}</Text>
                  {i.party_id ? <Anchor underline="always" component={Link} to={`/parties/${i.party_id}`} size="xs">Customer no. {i.party_id}</Anchor> : null}
                </Table.Td>
                <Table.Td className="nowrap">{formatDate(i.received_date)}</Table.Td>
                <Table.Td>
                  {i.status === 'open' ? (
                    <Button size="compact-xs" aria-label={`Complete: ${i.subject}`} onClick={() => setCompleting(i)}>Complete</Button>
                  ) : (
                    <Stack gap={0}>
                      <Group gap={4}><Badge color="green" variant="light">Done</Badge><Text size="xs">by {i.completed_by ?? '—'}</Text></Group>
                      {i.resolution && <Text size="xs">“{i.resolution}”</Text>}
                    </Stack>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <Modal opened={!!completing} onClose={() => setCompleting(null)} title={completing ? `Complete: ${completing.subject}` : 'Complete'}>
        {completing && <CompleteForm item={completing} onDone={() => setCompleting(null)} />}
      </Modal>
    </Stack>
  );
}

function CompleteForm({ item, onDone }: { item: QueueItem; onDone: () => void }) {
  const complete = useCompleteQueueItem();
  const [resolution, setResolution] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [refusal, setRefusal] = useState<unknown>(null);
  return (
    <form
      noValidate
      onSubmit={async (e) => {
        e.preventDefault();
        setRefusal(null);
        if (!resolution.trim()) { setError('Say what was done'); return; }
        setError(undefined);
        try {
          await complete.mutateAsync({ id: item.id, resolution: resolution.trim() });
          onDone();
        } catch (err) {
          if (isApiError(err) && err.field === 'resolution') setError(err.message); else setRefusal(err);
        }
      }}
    >
      <Stack gap="sm">
        <Text size="sm">
          {mailKindLabel(item.kind)} from {item.from_name || 'unknown'}, received {formatDate(item.received_date)}, due {formatDate(item.due_date)}.
        </Text>
        <Textarea label="What was done" withAsterisk autosize minRows={2} maxLength={4000} value={resolution}
          onChange={(e) => setResolution(e.currentTarget.value)} error={error} data-autofocus />
        <RefusalAlert error={refusal} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>Cancel</Button>
          <Button type="submit" loading={complete.isPending}>Mark done</Button>
        </Group>
      </Stack>
    </form>
  );
}
