import { Alert, Anchor, Badge, Button, Group, Loader, Modal, Progress, Stack, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { useBatch, useMailLog, usePostBatch, useRemoveItem, type BatchItem, type PostBatchResult, type RemittanceBatch } from '../api/mail';
import { useUser } from '../auth/session';
import { RefusalAlert } from '../components/ledger/common';
import { ItemEntry } from '../components/mail/ItemEntry';
import { ItemAccount, ItemPaymentCells } from '../components/mail/ItemCells';
import { MailRoomTabs } from '../components/mail/MailRoomTabs';
import { RunningDifference } from '../components/mail/RunningDifference';
import { BATCH_STATUS, ENTRY_METHOD, EXCEPTION_REASONS, ITEM_STATUS, reasonLabel } from '../components/mail/words';
import { formatDate } from '../lib/dates';
import { useIdempotencyKey } from '../lib/ledger';
import { formatMoney } from '../lib/money';
import { can } from '../lib/permissions';
import { usePageTitle } from '../lib/usePageTitle';

export function BatchPage() {
  const id = Number(useParams().id);
  usePageTitle(`Batch no. ${id}`);
  const q = useBatch(id);
  const b = q.data;

  if (q.isLoading) return <Loader aria-label="Loading the batch" />;
  if (q.error || !b) {
    return (
      <Stack>
        <MailRoomTabs />
        <Title order={1} size="h2">Batch no. {id}</Title>
        <Alert color="red" variant="light" role="alert" title="Could not load the batch">{q.error?.message ?? 'Not found'}</Alert>
      </Stack>
    );
  }
  return <BatchView b={b} />;
}

function BatchView({ b }: { b: RemittanceBatch }) {
  const user = useUser();
  const id = b.id!;
  const mailBatch = b.source === 'mail';
  const open = b.status === 'open';
  const items = b.items ?? [];
  const live = items.filter((i) => i.status !== 'removed');
  const exceptions = items.filter((i) => i.status === 'exception');
  // Envelopes logged to this batch today (so an item can point at its mail log entry).
  const log = useMailLog('');
  const mail = (log.data?.items ?? []).filter((m) => m.batch_id === id);
  const [removing, setRemoving] = useState<BatchItem | null>(null);

  return (
    <Stack gap="sm">
      <MailRoomTabs />
      <Group justify="space-between" align="flex-end">
        <Stack gap={2}>
          <Title order={1} size="h2">Batch no. {id}</Title>
          <Group gap="xs">
            <Badge variant="light" color={BATCH_STATUS[b.status ?? '']?.color ?? 'gray'} data-testid="batch-status">
              {BATCH_STATUS[b.status ?? '']?.label ?? b.status}
            </Badge>
            <Text size="sm">
              {mailBatch ? 'Mail' : <>Lockbox (bank batch {b.bank_batch ?? '—'}{b.lockbox_import_id ? <>, <Anchor underline="always" component={Link} to={`/lockbox/${b.lockbox_import_id}`} size="sm">import no. {b.lockbox_import_id}</Anchor></> : null})</>}
              {' · '}{formatDate(b.batch_date)} · opened by {b.created_by}{b.note ? ` · ${b.note}` : ''}
            </Text>
          </Group>
        </Stack>
        <Anchor underline="always" component={Link} to="/batches" size="sm">All batches</Anchor>
      </Group>

      <RunningDifference batch={b} />

      {mailBatch && open && <ItemEntry batchId={id} mail={mail} />}

      {mailBatch && <PostPanel b={b} />}

      {exceptions.length > 0 && (
        <Alert color="orange" variant="light" title={`${exceptions.length} exception${exceptions.length === 1 ? '' : 's'}`} data-testid="batch-exceptions">
          <Text size="sm">
            {exceptions.map((i) => `item ${i.seq}: ${reasonLabel(i.exception_reason)}`).join('; ')}.
          </Text>
          <Text size="sm">
            Exceptions count in the batch’s balance but post only once a CSR III resolves them (with the batch, or at once after it has posted).
            {can(user, 'payment.transfer')
              ? <> <Anchor underline="always" component={Link} to="/remittance/exceptions" size="sm">Open the exception queue</Anchor>.</>
              : ' A CSR III works them from the exception queue.'}
          </Text>
        </Alert>
      )}

      <Table.ScrollContainer minWidth={960}>
        <Table withTableBorder striped aria-label={`Items of batch no. ${id}`} data-testid="batch-items">
          <Table.Caption style={{ captionSide: 'top', textAlign: 'left' }}>
            {live.length} item{live.length === 1 ? '' : 's'}
            {items.length !== live.length ? ` (and ${items.length - live.length} removed)` : ''}, newest first
          </Table.Caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">Item</Table.Th>
              <Table.Th scope="col">Entry</Table.Th>
              <Table.Th scope="col">Scanline · account</Table.Th>
              <Table.Th scope="col" style={{ textAlign: 'right' }}>Stub amount</Table.Th>
              <Table.Th scope="col" style={{ textAlign: 'right' }}>Check amount</Table.Th>
              <Table.Th scope="col">Check no. · payer</Table.Th>
              <Table.Th scope="col">Status</Table.Th>
              {mailBatch && open && <Table.Th scope="col"><span className="visually-hidden">Actions</span></Table.Th>}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.length === 0 && (
              <Table.Tr><Table.Td colSpan={8}><Text size="sm" py="sm">No items yet.</Text></Table.Td></Table.Tr>
            )}
            {[...items].reverse().map((i) => {
              const st = ITEM_STATUS[i.status ?? ''] ?? { label: i.status ?? '', color: 'gray' };
              const removed = i.status === 'removed';
              return (
                <Table.Tr key={i.id} data-testid={`item-${i.seq}`} style={removed ? { textDecoration: 'line-through' } : undefined}>
                  <Table.Td className="num">{i.seq}</Table.Td>
                  <Table.Td>{ENTRY_METHOD[i.entry_method ?? ''] ?? i.entry_method}</Table.Td>
                  <Table.Td>
                    {i.scanline ? <Text size="sm" ff="monospace">{i.scanline}</Text> : null}
                    <ItemAccount item={i} />
                  </Table.Td>
                  <ItemPaymentCells item={i} />
                  <Table.Td>
                    <Badge variant="light" color={st.color}>{st.label}</Badge>
                    {i.exception_reason && (
                      <Text size="xs" fw={600} c={i.status === 'exception' ? 'var(--mantine-color-orange-light-color)' : undefined} title={EXCEPTION_REASONS[i.exception_reason]?.help}>
                        {reasonLabel(i.exception_reason)}
                      </Text>
                    )}
                    {i.payment_id ? <Text size="xs">payment no. {i.payment_id}</Text> : null}
                  </Table.Td>
                  {mailBatch && open && (
                    <Table.Td>
                      {!removed && (
                        <Button size="compact-xs" variant="default" aria-label={`Remove item ${i.seq}`} onClick={() => setRemoving(i)}>Remove</Button>
                      )}
                    </Table.Td>
                  )}
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>

      <Modal opened={!!removing} onClose={() => setRemoving(null)} title={removing ? `Remove item ${removing.seq}?` : 'Remove item'}>
        {removing && <RemoveItem batchId={id} item={removing} onDone={() => setRemoving(null)} />}
      </Modal>
    </Stack>
  );
}

function RemoveItem({ batchId, item, onDone }: { batchId: number; item: BatchItem; onDone: () => void }) {
  const remove = useRemoveItem(batchId);
  const [error, setError] = useState<unknown>(null);
  return (
    <Stack gap="sm">
      <Text size="sm">
        Item {item.seq}: {formatMoney(item.check_amount ?? '0')}{item.account_number ? ` for account ${item.account_number}` : ''}
        {item.check_number ? `, check ${item.check_number}` : ''}. It is kept in the batch’s record, marked removed
        {item.status === 'exception' ? ', and its exception is closed' : ''}; key it again if it was mistyped.
      </Text>
      <RefusalAlert error={error} />
      <Group justify="flex-end">
        <Button variant="default" onClick={onDone} data-autofocus>Cancel</Button>
        <Button
          color="red.9"
          loading={remove.isPending}
          onClick={async () => {
            setError(null);
            try {
              await remove.mutateAsync(item.id!);
              onDone();
            } catch (err) {
              setError(err);
            }
          }}
        >
          Remove item
        </Button>
      </Group>
    </Stack>
  );
}

function PostPanel({ b }: { b: RemittanceBatch }) {
  const post = usePostBatch(b.id!);
  const idem = useIdempotencyKey();
  const [refusal, setRefusal] = useState<unknown>(null);
  const [result, setResult] = useState<PostBatchResult | null>(null);
  const ready = b.ready_count ?? 0;
  const exceptions = b.exception_count ?? 0;
  const posting = b.status === 'posting';

  if (b.status === 'posted') {
    return (
      <Alert color="green" variant="light" title="Posted" data-testid="post-result">
        <Text size="sm" role="status">
          {result ? `Posted ${result.posted_now} payment${result.posted_now === 1 ? '' : 's'} now, ${formatMoney(result.posted_now_total ?? '0')}. ` : ''}
          The batch has posted {b.posted_count} payment{b.posted_count === 1 ? '' : 's'}, {formatMoney(b.posted_total ?? '0')}.
          {exceptions > 0 ? ` ${exceptions} exception${exceptions === 1 ? '' : 's'} still wait${exceptions === 1 ? 's' : ''} in the exception queue and post${exceptions === 1 ? 's' : ''} when resolved.` : ''}
        </Text>
      </Alert>
    );
  }

  const doPost = async () => {
    setRefusal(null);
    try {
      const r = await post.mutateAsync(idem.key());
      setResult(r);
    } catch (err) {
      idem.settle(err);
      setRefusal(err);
    }
  };

  const total = (b.item_count ?? 0) || 1;
  return (
    <Stack gap="xs">
      <Group justify="space-between" align="center">
        <Text size="sm">
          {b.balanced
            ? `The batch balances: ${ready} item${ready === 1 ? '' : 's'} ready to post${exceptions ? `, ${exceptions} exception${exceptions === 1 ? '' : 's'} waiting for a CSR III` : ''}.`
            : 'Post is available once the items match the control count and total.'}
        </Text>
        <Button
          onClick={doPost}
          loading={post.isPending}
          disabled={!b.balanced && !posting}
          aria-describedby="post-help"
        >
          {posting ? 'Continue posting' : 'Post batch'}
        </Button>
      </Group>
      <span id="post-help" className="visually-hidden">
        {b.balanced ? 'Posts every ready item as a mail payment.' : 'Disabled until the batch balances.'}
      </span>
      {posting && (
        <Stack gap={2}>
          <Text size="sm">Posting stopped part-way: {b.posted_count} of {b.item_count} posted. Continuing is safe — nothing posts twice.</Text>
          <Progress value={((b.posted_count ?? 0) / total) * 100} aria-label="Posted so far" />
        </Stack>
      )}
      <RefusalAlert error={refusal} title="Not posted" />
    </Stack>
  );
}
