import { Alert, Anchor, Badge, Button, Group, NativeSelect, Paper, Stack, Text, TextInput, Textarea, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { createColumnHelper } from '@tanstack/react-table';
import { useEffect, useRef, useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { isApiError } from '../api/client';
import { useBatches, useLogMail, useMailLog, type MailKind, type MailPiece } from '../api/mail';
import { useCity, useDepartments } from '../api/queries';
import { useUser } from '../auth/session';
import { DataTable } from '../components/DataTable';
import { RefusalAlert, placeApiError } from '../components/ledger/common';
import { MailRoomTabs } from '../components/mail/MailRoomTabs';
import { PartyPicker, type PickedParty } from '../components/mail/PartyPicker';
import { MAIL_KINDS, mailKindLabel } from '../components/mail/words';
import { formatDate, isIsoDate, todayIn } from '../lib/dates';
import { formatMoney } from '../lib/money';
import { can } from '../lib/permissions';
import { usePageTitle } from '../lib/usePageTitle';

interface LogForm {
  kind: MailKind;
  from_name: string;
  subject: string;
  note: string;
  batch_id: string;
  department: string;
  received_date: string;
}

const FIELDS = ['kind', 'from_name', 'subject', 'note', 'batch_id', 'department', 'received_date', 'party_id'];

const col = createColumnHelper<MailPiece>();

export function MailLogPage() {
  usePageTitle('Mail log');
  const tz = useCity().data?.time_zone;
  const dept = useDepartments();
  const today = todayIn(tz);
  const [params, setParams] = useSearchParams();
  const dateParam = params.get('date') ?? '';
  const date = isIsoDate(dateParam) ? dateParam : '';
  const log = useMailLog(date);
  const shownDate = log.data?.date ?? (date || today);

  const columns = [
    col.accessor('id', { header: 'No.', cell: (c) => <span className="num">{c.getValue()}</span> }),
    col.accessor('kind', { header: 'Kind', cell: (c) => mailKindLabel(c.getValue()) }),
    col.accessor('from_name', {
      header: 'From',
      cell: (c) => {
        const m = c.row.original;
        return (
          <Stack gap={0}>
            <Text size="sm">{m.from_name}</Text>
            {m.party_id ? <Anchor underline="always" component={Link} to={`/parties/${m.party_id}`} size="xs">Customer no. {m.party_id}</Anchor> : null}
          </Stack>
        );
      },
    }),
    col.accessor('subject', { header: 'Subject', cell: (c) => c.getValue() || '—' }),
    col.display({
      id: 'routed',
      header: 'Routed to',
      cell: (c) => {
        const m = c.row.original;
        if (m.routed_to === 'batch') {
          return <Anchor underline="always" component={Link} to={`/batches/${m.batch_id}`} size="sm">Batch no. {m.batch_id}</Anchor>;
        }
        return <Text size="sm">{dept.name(m.department)} queue</Text>;
      },
    }),
    col.accessor('due_date', { header: 'Due', cell: (c) => <span className="nowrap">{c.getValue() ? formatDate(c.getValue()) : '—'}</span> }),
    col.accessor('logged_by', { header: 'Logged by' }),
  ];

  return (
    <Stack gap="sm">
      <MailRoomTabs />
      <Title order={1} size="h2">Mail log</Title>
      <Text size="sm" c="dimmed">
        Log every piece as it is opened. Payments go to a remittance batch; everything else goes to a department’s work queue,
        due in business days (City holidays skipped). Enter logs the piece and leaves the form ready for the next.
      </Text>
      <LogEntryForm today={today} />
      <Group justify="space-between" align="flex-end" mt="md">
        <Title order={2} size="h4">{shownDate === today ? 'Today’s log' : `Log of ${formatDate(shownDate)}`}</Title>
        <Group gap="xs" align="flex-end">
          <TextInput
            type="date"
            label="Log of"
            size="xs"
            max={today}
            value={shownDate}
            onChange={(e) => {
              const v = e.currentTarget.value;
              const next = new URLSearchParams(params);
              if (!v || v === today) next.delete('date'); else next.set('date', v);
              setParams(next, { replace: true });
            }}
          />
          {shownDate !== today && <Button size="xs" variant="default" onClick={() => setParams({}, { replace: true })}>Today</Button>}
        </Group>
      </Group>
      <div data-testid="mail-log">
        <DataTable
          caption={`${log.data?.items?.length ?? 0} piece${log.data?.items?.length === 1 ? '' : 's'} logged on ${formatDate(shownDate)}`}
          columns={columns}
          data={log.data?.items ?? []}
          getRowId={(m) => String(m.id)}
          loading={log.isFetching}
          error={log.error}
          empty="Nothing logged on this day."
        />
      </div>
    </Stack>
  );
}

function LogEntryForm({ today }: { today: string }) {
  const user = useUser();
  const mayBatch = can(user, 'batch.post');
  const batches = useBatches('open', mayBatch);
  const mailBatches = (batches.data?.items ?? []).filter((b) => b.source === 'mail' && b.status === 'open');
  const logMail = useLogMail();
  const dept = useDepartments();
  const fromRef = useRef<HTMLInputElement>(null);
  const [party, setParty] = useState<PickedParty | null>(null);
  const [partyError, setPartyError] = useState<string | undefined>();
  const [refusal, setRefusal] = useState<unknown>(null);
  const [last, setLast] = useState<MailPiece | null>(null);

  const form = useForm<LogForm>({
    initialValues: { kind: 'correspondence', from_name: '', subject: '', note: '', batch_id: '', department: '', received_date: '' },
    validate: {
      from_name: (v) => (!v.trim() ? 'Enter who the piece is from' : null),
      batch_id: (v, all) => (all.kind === 'payment' && !/^\d+$/.test(v.trim()) ? 'Choose the open batch the payment goes to' : null),
      department: (v, all) => (all.kind !== 'payment' && all.kind !== 'returned_mail' && !v ? 'Choose a department' : null),
      received_date: (v) => (v && !isIsoDate(v) ? 'Enter a date' : v > today ? 'Mail cannot be received in the future' : null),
    },
  });
  const v = form.values;
  const isPayment = v.kind === 'payment';
  const rule = MAIL_KINDS.find((k) => k.value === v.kind);

  // The one open mail batch is chosen for the clerk.
  const onlyBatch = mailBatches.length === 1 ? String(mailBatches[0].id) : '';
  useEffect(() => {
    if (isPayment && onlyBatch && !form.values.batch_id) form.setFieldValue('batch_id', onlyBatch);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [isPayment, onlyBatch]);

  const submit = form.onSubmit(async (vals) => {
    setRefusal(null);
    setPartyError(undefined);
    try {
      const m = await logMail.mutateAsync({
        kind: vals.kind,
        from_name: vals.from_name.trim(),
        subject: vals.subject.trim() || undefined,
        note: vals.note.trim() || undefined,
        party_id: party?.id,
        received_date: vals.received_date || undefined,
        batch_id: vals.kind === 'payment' ? Number(vals.batch_id) : undefined,
        department: vals.kind !== 'payment' && vals.department ? vals.department : undefined,
      });
      setLast(m);
      // Ready for the next piece: same kind, routing and date; who, what and customer cleared.
      form.setValues({ from_name: '', subject: '', note: '' });
      form.resetDirty();
      setParty(null);
      fromRef.current?.focus();
    } catch (err) {
      if (isApiError(err) && err.field === 'party_id') {
        setPartyError(err.message);
        return;
      }
      setRefusal(placeApiError(err, form.setFieldError, FIELDS));
    }
  });

  return (
    <Paper withBorder p="sm">
      <form onSubmit={submit} noValidate aria-label="Log a piece of mail">
        <Stack gap="xs">
          <Group grow align="flex-start">
            <NativeSelect label="Kind" data={MAIL_KINDS.map((k) => ({ value: k.value, label: k.label }))} {...form.getInputProps('kind')} />
            <TextInput label="From" withAsterisk autoComplete="off" ref={fromRef} data-autofocus autoFocus {...form.getInputProps('from_name')} />
            <PartyPicker label="Customer (optional)" value={party} onChange={setParty} error={partyError} />
          </Group>
          <Group grow align="flex-start">
            <TextInput label="Subject" autoComplete="off" maxLength={200} {...form.getInputProps('subject')} />
            {isPayment ? (
              mayBatch ? (
                <NativeSelect
                  label="Remittance batch"
                  withAsterisk
                  description={mailBatches.length === 0 ? 'No mail batch is open' : 'Open mail batches'}
                  data={[
                    { value: '', label: mailBatches.length ? 'Choose…' : 'None open' },
                    ...mailBatches.map((b) => ({
                      value: String(b.id),
                      label: `No. ${b.id} — ${formatDate(b.batch_date)}, ${b.item_count} of ${b.control_count} items, ${formatMoney(b.item_total ?? '0')} of ${formatMoney(b.control_total ?? '0')}${b.note ? ` (${b.note})` : ''}`,
                    })),
                  ]}
                  {...form.getInputProps('batch_id')}
                />
              ) : (
                <TextInput label="Remittance batch no." withAsterisk inputMode="numeric" autoComplete="off" description="Ask the keyer for the open batch’s number" {...form.getInputProps('batch_id')} />
              )
            ) : (
              <NativeSelect
                label="Department queue"
                withAsterisk={v.kind !== 'returned_mail'}
                description={rule?.dueDays ? `Due ${rule.dueDays} business days after receipt` : undefined}
                data={[
                  ...(v.kind === 'returned_mail' ? [] : [{ value: '', label: 'Choose…' }]),
                  ...dept.options(v.department),
                ]}
                {...form.getInputProps('department')}
              />
            )}
            <TextInput type="date" label="Received" description="Blank = today" max={today} {...form.getInputProps('received_date')} />
          </Group>
          <Textarea label="Note" autosize minRows={1} maxRows={4} {...form.getInputProps('note')}
            onKeyDown={(e) => { if (e.key === 'Enter' && !e.shiftKey) { e.preventDefault(); void submit(); } }} />
          {isPayment && mayBatch && mailBatches.length === 0 && !batches.isLoading && (
            <Alert color="blue" variant="light">
              Open a batch with its control count and total first: <Anchor underline="always" component={Link} to="/batches">Remittance batches</Anchor>.
            </Alert>
          )}
          <RefusalAlert error={refusal} />
          <Group justify="space-between" align="center">
            <div role="status" aria-live="polite" data-testid="last-logged">
              {last && <LoggedLine m={last} />}
            </div>
            <Button type="submit" loading={logMail.isPending}>Log piece</Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}

function LoggedLine({ m }: { m: MailPiece }) {
  const dept = useDepartments();
  return (
    <Group gap={6}>
      <Badge color="green" variant="light">Logged</Badge>
      <Text size="sm">
        No. {m.id}: {mailKindLabel(m.kind).toLowerCase()} from {m.from_name} →{' '}
        {m.routed_to === 'batch'
          ? <Anchor underline="always" component={Link} to={`/batches/${m.batch_id}`} size="sm">batch no. {m.batch_id}</Anchor>
          : <>{dept.name(m.department)} queue, due {formatDate(m.due_date)}</>}
      </Text>
    </Group>
  );
}
