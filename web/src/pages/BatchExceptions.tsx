import { Alert, Anchor, Badge, Button, Group, Modal, Radio, SegmentedControl, Stack, Table, Text, TextInput, Textarea, Title } from '@mantine/core';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { isApiError } from '../api/client';
import { useExceptions, useResolveException, type ExceptionStatus, type RemittanceException, type ResolveAction } from '../api/mail';
import { RefusalAlert } from '../components/ledger/common';
import { ItemAccount, ItemPaymentCells } from '../components/mail/ItemCells';
import { MailRoomTabs } from '../components/mail/MailRoomTabs';
import { PartyPicker, type PickedParty } from '../components/mail/PartyPicker';
import { EXCEPTION_REASONS, EXCEPTION_STATUS, reasonLabel } from '../components/mail/words';
import { useIdempotencyKey } from '../lib/ledger';
import { formatMoney } from '../lib/money';
import { usePageTitle } from '../lib/usePageTitle';

const STATUSES: { value: ExceptionStatus; label: string }[] = [
  { value: 'open', label: 'Open' },
  { value: 'resolved', label: 'Resolved' },
  { value: 'all', label: 'All' },
];

export function BatchExceptionsPage() {
  usePageTitle('Exception queue');
  const [params, setParams] = useSearchParams();
  const status = (STATUSES.find((s) => s.value === params.get('status'))?.value ?? 'open') as ExceptionStatus;
  // ?batches=3,4 narrows the queue to some batches (a lockbox import's, a mail batch's).
  const batchFilter = (params.get('batches') ?? '').split(',').map(Number).filter((n) => n > 0);
  const q = useExceptions(status);
  const all = q.data?.items ?? [];
  const items = batchFilter.length ? all.filter((e) => batchFilter.includes(e.item?.batch_id ?? 0)) : all;
  const [resolving, setResolving] = useState<RemittanceException | null>(null);

  return (
    <Stack gap="sm">
      <MailRoomTabs />
      <Group justify="space-between" align="flex-end">
        <Title order={1} size="h2">Exception queue</Title>
        <SegmentedControl
          aria-label="Which exceptions"
          value={status}
          onChange={(v) => {
            const next = new URLSearchParams(params);
            if (v === 'open') next.delete('status'); else next.set('status', v);
            setParams(next, { replace: true });
          }}
          data={STATUSES}
        />
      </Group>
      <Text size="sm" c="dimmed">
        Payments from mail batches and lockbox files that could not post as they came, oldest first. Accept the amount, assign the
        payment to an account or customer, or reject it (returned to the sender). A resolved payment posts at once — or with its
        mail batch, if the batch has not posted yet.
      </Text>
      {batchFilter.length > 0 && (
        <Group gap="xs">
          <Text size="sm">Showing batch{batchFilter.length === 1 ? '' : 'es'} no. {batchFilter.join(', ')} only.</Text>
          <Anchor underline="always" component={Link} to={status === 'open' ? '/remittance/exceptions' : `/remittance/exceptions?status=${status}`} size="sm">Show every batch</Anchor>
        </Group>
      )}
      {q.error && <Alert color="red" variant="light" role="alert" title="Could not load the queue">{q.error.message}</Alert>}
      <Table.ScrollContainer minWidth={1000}>
        <Table withTableBorder striped highlightOnHover aria-busy={q.isFetching || undefined} data-testid="exceptions">
          <Table.Caption style={{ captionSide: 'top', textAlign: 'left' }}>
            {q.isLoading ? 'Loading…' : `${items.length} ${status === 'all' ? '' : `${status} `}exception${items.length === 1 ? '' : 's'}`}
          </Table.Caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">No.</Table.Th>
              <Table.Th scope="col">Reason</Table.Th>
              <Table.Th scope="col">Batch · item</Table.Th>
              <Table.Th scope="col">Scanline · account</Table.Th>
              <Table.Th scope="col" style={{ textAlign: 'right' }}>Stub amount</Table.Th>
              <Table.Th scope="col" style={{ textAlign: 'right' }}>Check amount</Table.Th>
              <Table.Th scope="col">Check no. · payer</Table.Th>
              <Table.Th scope="col">{status === 'open' ? 'Resolve' : 'Resolution'}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {!q.isLoading && items.length === 0 && (
              <Table.Tr><Table.Td colSpan={8}><Text size="sm" py="sm">Nothing here.</Text></Table.Td></Table.Tr>
            )}
            {items.map((e) => {
              const i = e.item ?? {};
              const st = EXCEPTION_STATUS[e.status ?? ''] ?? { label: e.status ?? '', color: 'gray' };
              return (
                <Table.Tr key={e.id} data-testid={`exception-${e.id}`}>
                  <Table.Td className="num">{e.id}</Table.Td>
                  <Table.Td>
                    <Text size="sm" fw={600}>{reasonLabel(e.reason)}</Text>
                    <Text size="xs">{e.message}</Text>
                  </Table.Td>
                  <Table.Td className="nowrap">
                    <Anchor underline="always" component={Link} to={`/batches/${i.batch_id}`} size="sm">Batch no. {i.batch_id}</Anchor>
                    <Text size="xs">{e.source === 'lockbox' ? 'Lockbox' : 'Mail'} · item {i.seq}</Text>
                  </Table.Td>
                  <Table.Td>
                    {i.scanline ? <Text size="sm" ff="monospace">{i.scanline}</Text> : <Text size="sm">No scanline</Text>}
                    <ItemAccount item={i} />
                  </Table.Td>
                  <ItemPaymentCells item={i} />
                  <Table.Td>
                    {e.status === 'open' ? (
                      <Button size="compact-xs" aria-label={`Resolve exception no. ${e.id}`} onClick={() => setResolving(e)}>Resolve</Button>
                    ) : (
                      <Stack gap={0}>
                        <Group gap={4}><Badge variant="light" color={st.color}>{st.label}</Badge><Text size="xs">by {e.resolved_by ?? '—'}</Text></Group>
                        {e.resolution_note && <Text size="xs">“{e.resolution_note}”</Text>}
                        {i.payment_id ? <Text size="xs">payment no. {i.payment_id}</Text> : null}
                      </Stack>
                    )}
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <Modal opened={!!resolving} onClose={() => setResolving(null)} title={resolving ? `Resolve exception no. ${resolving.id}` : 'Resolve'} size="lg">
        {resolving && <ResolveForm e={resolving} onDone={() => setResolving(null)} />}
      </Modal>
    </Stack>
  );
}

function ResolveForm({ e, onDone }: { e: RemittanceException; onDone: () => void }) {
  const i = e.item ?? {};
  const known = !!i.party_id;
  const resolve = useResolveException();
  const idem = useIdempotencyKey();
  const [action, setAction] = useState<ResolveAction>(known ? 'accept' : 'assign');
  const [assignTo, setAssignTo] = useState<'account' | 'party'>('account');
  const [account, setAccount] = useState('');
  const [party, setParty] = useState<PickedParty | null>(null);
  const [note, setNote] = useState('');
  const [errors, setErrors] = useState<Record<string, string | undefined>>({});
  const [refusal, setRefusal] = useState<unknown>(null);
  const [done, setDone] = useState<RemittanceException | null>(null);

  if (done) {
    const d = done.item ?? {};
    return (
      <Stack gap="sm" data-testid="action-result">
        <Text role="status" fw={600}>
          Exception no. {done.id} {EXCEPTION_STATUS[done.status ?? '']?.label.toLowerCase() ?? done.status}.{' '}
          {done.status === 'rejected'
            ? `The ${formatMoney(d.check_amount ?? '0')} check goes back to the sender.`
            : d.payment_id
              ? `Payment no. ${d.payment_id} of ${formatMoney(d.check_amount ?? '0')} posted.`
              : `The ${formatMoney(d.check_amount ?? '0')} payment posts with batch no. ${d.batch_id}.`}
        </Text>
        <Group justify="flex-end"><Button onClick={onDone} data-autofocus>Done</Button></Group>
      </Stack>
    );
  }

  const submit = async () => {
    const errs: Record<string, string | undefined> = {};
    if (action === 'assign' && assignTo === 'account' && !/^\d{1,10}$/.test(account.trim())) errs.account_number = 'Enter the account number: 1 to 10 digits';
    if (action === 'assign' && assignTo === 'party' && !party) errs.party_id = 'Choose the customer';
    if (action === 'reject' && !note.trim()) errs.note = 'Say why the payment goes back to the sender';
    setErrors(errs);
    if (Object.values(errs).some(Boolean)) return;
    setRefusal(null);
    try {
      const r = await resolve.mutateAsync({
        id: e.id!,
        key: idem.key(),
        action,
        account_number: action === 'assign' && assignTo === 'account' ? account.trim() : undefined,
        party_id: action === 'assign' && assignTo === 'party' ? party!.id : undefined,
        note: note.trim() || undefined,
      });
      setDone(r);
    } catch (err) {
      idem.settle(err);
      if (isApiError(err) && ['account_number', 'party_id', 'note'].includes(err.field)) setErrors({ [err.field]: err.message });
      else setRefusal(err);
    }
  };

  return (
    <form noValidate onSubmit={(ev) => { ev.preventDefault(); void submit(); }}>
      <Stack gap="sm">
        <Text size="sm">
          <strong>{reasonLabel(e.reason)}</strong>: {e.message}. {EXCEPTION_REASONS[e.reason ?? '']?.help ?? ''}
        </Text>
        <Text size="sm">
          Check {i.check_number ? `no. ${i.check_number} ` : ''}of {formatMoney(i.check_amount ?? '0')}
          {i.payer ? ` from ${i.payer}` : ''}{i.stub_amount ? `; the stub says ${formatMoney(i.stub_amount)} due` : ''}
          {i.account_number ? ` on account ${i.account_number}` : ''}.
        </Text>
        <Radio.Group label="Resolution" withAsterisk value={action} onChange={(v) => setAction(v as ResolveAction)}>
          <Stack gap={6} mt={4}>
            <Radio value="accept" disabled={!known} label={known ? `Accept ${formatMoney(i.check_amount ?? '0')} on this account as it is` : 'Accept as it is — not possible: the account is not known'} />
            <Radio value="assign" label="Assign to an account or a customer" />
            <Radio value="reject" label="Reject: return the check to the sender" />
          </Stack>
        </Radio.Group>
        {action === 'assign' && (
          <Stack gap="xs" pl="lg">
            <Radio.Group value={assignTo} onChange={(v) => setAssignTo(v as 'account' | 'party')} label="Assign to">
              <Group gap="md" mt={4}>
                <Radio value="account" label="An account number" />
                <Radio value="party" label="A customer (applied by the City’s rules)" />
              </Group>
            </Radio.Group>
            {assignTo === 'account' ? (
              <TextInput label="Account number" withAsterisk inputMode="numeric" autoComplete="off" value={account}
                onChange={(ev) => { setAccount(ev.currentTarget.value); setErrors((x) => ({ ...x, account_number: undefined })); }}
                error={errors.account_number} data-autofocus />
            ) : (
              <PartyPicker label="Customer" value={party} onChange={(p) => { setParty(p); setErrors((x) => ({ ...x, party_id: undefined })); }} error={errors.party_id} />
            )}
          </Stack>
        )}
        <Textarea label="Note" withAsterisk={action === 'reject'} description="Kept with the resolution" autosize minRows={2} maxLength={4000}
          value={note} onChange={(ev) => { setNote(ev.currentTarget.value); setErrors((x) => ({ ...x, note: undefined })); }} error={errors.note} />
        <RefusalAlert error={refusal} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>Cancel</Button>
          <Button type="submit" loading={resolve.isPending} color={action === 'reject' ? 'red.9' : undefined}>
            {action === 'accept' ? 'Accept' : action === 'assign' ? 'Assign' : 'Reject'}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
