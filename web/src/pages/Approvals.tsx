import { Alert, Anchor, Badge, Button, Group, Modal, SegmentedControl, Stack, Table, Text, Textarea, Title } from '@mantine/core';
import { useQueries } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { get } from '../api/client';
import { useApprovals, useDecide, useLedgerSettings } from '../api/ledger';
import { qk, useCity } from '../api/queries';
import type { Approval, ApprovalStatus, Party } from '../api/types';
import { useUser } from '../auth/session';
import { Money } from '../components/Money';
import { RefusalAlert } from '../components/ledger/common';
import { formatDateTime } from '../lib/dates';
import { reasonName } from '../lib/ledger';
import { formatMoney } from '../lib/money';
import { can } from '../lib/permissions';
import { usePageTitle } from '../lib/usePageTitle';

const STATUSES: { value: ApprovalStatus; label: string }[] = [
  { value: 'pending', label: 'Waiting' },
  { value: 'approved', label: 'Approved' },
  { value: 'denied', label: 'Denied' },
];

const KIND_LABEL: Record<string, string> = { adjustment: 'Adjustment', refund: 'Refund' };

export function ApprovalsPage() {
  usePageTitle('Approvals');
  const user = useUser();
  const [params, setParams] = useSearchParams();
  const status = (STATUSES.find((s) => s.value === params.get('status'))?.value ?? 'pending') as ApprovalStatus;
  const q = useApprovals(status);
  const settings = useLedgerSettings();
  const tz = useCity().data?.time_zone;
  const items = q.data?.items ?? [];
  const [deciding, setDeciding] = useState<{ a: Approval; approve: boolean } | null>(null);
  // The refusal of the last decision, kept on its row after the dialog closes.
  const [refusals, setRefusals] = useState<Record<number, string>>({});

  // Customer names for the rows (one request per distinct customer, cached with the party page).
  const partyIds = [...new Set(items.map((a) => a.party_id))];
  const parties = useQueries({
    queries: partyIds.map((id) => ({
      queryKey: qk.party(id),
      queryFn: ({ signal }: { signal: AbortSignal }) => get<Party>(`/parties/${id}`, undefined, signal),
      staleTime: 60_000,
    })),
  });
  const partyName = (id: number) => parties[partyIds.indexOf(id)]?.data?.display_name;

  const mayDecide = (a: Approval) => can(user, a.kind === 'refund' ? 'refund.approve' : 'adjustment.approve');
  const reasonWords = (a: Approval) => (a.kind === 'adjustment' ? reasonName(settings.data, a.reason) : a.reason);

  return (
    <Stack gap="sm">
      <Group justify="space-between" align="flex-end">
        <Title order={1} size="h2">Approvals</Title>
        <SegmentedControl
          aria-label="Which requests"
          value={status}
          onChange={(v) => {
            const next = new URLSearchParams(params);
            if (v === 'pending') next.delete('status'); else next.set('status', v);
            setParams(next);
          }}
          data={STATUSES}
        />
      </Group>
      <Text size="sm" c="dimmed">
        Adjustments above the requester’s authority and every refund wait here for a different user. You may decide
        {can(user, 'adjustment.approve') ? ' adjustments (within your own authority)' : ''}
        {can(user, 'adjustment.approve') && can(user, 'refund.approve') ? ' and' : ''}
        {can(user, 'refund.approve') ? ' refunds' : ''}; never your own requests.
      </Text>
      {q.error && <Alert color="red" variant="light" role="alert" title="Could not load the queue">{q.error.message}</Alert>}
      <Table.ScrollContainer minWidth={900}>
        <Table withTableBorder striped highlightOnHover aria-busy={q.isFetching || undefined} data-testid="approvals">
          <Table.Caption style={{ captionSide: 'top', textAlign: 'left' }}>
            {q.isLoading ? 'Loading…' : `${items.length} ${STATUSES.find((s) => s.value === status)!.label.toLowerCase()} request${items.length === 1 ? '' : 's'}`}
          </Table.Caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">No.</Table.Th>
              <Table.Th scope="col">Kind</Table.Th>
              <Table.Th scope="col">Customer</Table.Th>
              <Table.Th scope="col" style={{ textAlign: 'right' }}>Amount</Table.Th>
              <Table.Th scope="col">Reason · note</Table.Th>
              <Table.Th scope="col">Requested by</Table.Th>
              <Table.Th scope="col">Requested</Table.Th>
              <Table.Th scope="col">{status === 'pending' ? 'Decide' : 'Decision'}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {!q.isLoading && items.length === 0 && (
              <Table.Tr><Table.Td colSpan={8}><Text size="sm" py="sm">Nothing here.</Text></Table.Td></Table.Tr>
            )}
            {items.map((a) => (
              <Table.Tr key={a.id} data-testid={`approval-${a.id}`}>
                <Table.Td className="num">{a.id}</Table.Td>
                <Table.Td>{KIND_LABEL[a.kind] ?? a.kind}</Table.Td>
                <Table.Td>
                  <Anchor component={Link} to={`/parties/${a.party_id}`} size="sm">{partyName(a.party_id) ?? `Customer no. ${a.party_id}`}</Anchor>
                  {a.obligation_id ? <Text size="xs" c="dimmed">obligation no. {a.obligation_id}</Text> : null}
                </Table.Td>
                <Table.Td><Money value={a.amount} /></Table.Td>
                <Table.Td>
                  <Text size="sm">{reasonWords(a) || '—'}</Text>
                  {a.note && <Text size="xs">{a.note}</Text>}
                </Table.Td>
                <Table.Td>{a.requested_by}</Table.Td>
                <Table.Td className="nowrap">{formatDateTime(a.requested_at, tz)}</Table.Td>
                <Table.Td>
                  {a.status === 'pending' ? (
                    <Stack gap={4}>
                      {mayDecide(a) ? (
                        <Group gap={4} wrap="nowrap">
                          <Button size="compact-xs" aria-label={`Approve request no. ${a.id}`} onClick={() => setDeciding({ a, approve: true })}>Approve</Button>
                          <Button size="compact-xs" variant="default" aria-label={`Deny request no. ${a.id}`} onClick={() => setDeciding({ a, approve: false })}>Deny</Button>
                        </Group>
                      ) : (
                        <Text size="xs">Needs {a.kind === 'refund' ? 'refund' : 'adjustment'} approval, which your role does not have.</Text>
                      )}
                      {refusals[a.id] && <Text size="xs" c="red.9" role="alert">Refused: {refusals[a.id]}</Text>}
                    </Stack>
                  ) : (
                    <Stack gap={0}>
                      <Group gap={4}>
                        <Badge variant="light" color={a.status === 'approved' ? 'green' : 'gray'}>{a.status === 'approved' ? 'Approved' : 'Denied'}</Badge>
                        <Text size="xs">by {a.decided_by || '—'}</Text>
                      </Group>
                      <Text size="xs">{formatDateTime(a.decided_at, tz)}</Text>
                      {a.decision_note && <Text size="xs">“{a.decision_note}”</Text>}
                    </Stack>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>

      <Modal
        opened={!!deciding}
        onClose={() => setDeciding(null)}
        title={deciding ? `${deciding.approve ? 'Approve' : 'Deny'} request no. ${deciding.a.id}` : 'Decide'}
      >
        {deciding && (
          <DecisionForm
            a={deciding.a}
            approve={deciding.approve}
            customer={partyName(deciding.a.party_id)}
            reason={reasonWords(deciding.a)}
            onDone={() => setDeciding(null)}
            onRefused={(msg) => setRefusals((r) => ({ ...r, [deciding.a.id]: msg }))}
          />
        )}
      </Modal>
    </Stack>
  );
}

function DecisionForm({ a, approve, customer, reason, onDone, onRefused }: {
  a: Approval; approve: boolean; customer?: string; reason: string; onDone: () => void; onRefused: (msg: string) => void;
}) {
  const decide = useDecide();
  const [note, setNote] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [result, setResult] = useState<Approval | null>(null);

  if (result) {
    return (
      <Stack gap="sm">
        <Text role="status" fw={600}>
          Request no. {result.id} {result.status === 'approved' ? 'approved' : 'denied'}.
          {result.status === 'approved' && result.kind === 'adjustment' ? ` The adjustment of ${formatMoney(result.amount)} is posted.` : ''}
          {result.status === 'approved' && result.kind === 'refund' ? ` The refund of ${formatMoney(result.amount)} can now be issued from the customer’s Refunds tab.` : ''}
        </Text>
        <Group justify="flex-end"><Button onClick={onDone} data-autofocus>Done</Button></Group>
      </Stack>
    );
  }

  return (
    <form
      onSubmit={async (e) => {
        e.preventDefault();
        setError(null);
        try {
          setResult(await decide.mutateAsync({ id: a.id, approve, note: note.trim() || undefined }));
        } catch (err) {
          setError(err);
          onRefused(err instanceof Error ? err.message : String(err));
        }
      }}
    >
      <Stack gap="sm">
        <Text size="sm">
          {KIND_LABEL[a.kind] ?? a.kind} of {formatMoney(a.amount)} for {customer ?? `customer no. ${a.party_id}`}, requested by {a.requested_by}
          {reason ? ` — ${reason}` : ''}{a.note ? `: “${a.note}”` : ''}.
        </Text>
        <Textarea label="Note" description="Kept with the decision" autosize minRows={2} value={note} onChange={(e) => setNote(e.currentTarget.value)} data-autofocus />
        <RefusalAlert error={error} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>Cancel</Button>
          <Button type="submit" loading={decide.isPending} color={approve ? undefined : 'red.9'}>{approve ? 'Approve' : 'Deny'}</Button>
        </Group>
      </Stack>
    </form>
  );
}
