import { Anchor, Badge, Button, Group, NumberInput, Paper, SegmentedControl, Stack, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { createColumnHelper } from '@tanstack/react-table';
import { useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { useBatches, useOpenBatch, type BatchStatus, type RemittanceBatch } from '../api/mail';
import { useCity } from '../api/queries';
import { DataTable } from '../components/DataTable';
import { AmountInput, RefusalAlert, placeApiError } from '../components/ledger/common';
import { MailRoomTabs } from '../components/mail/MailRoomTabs';
import { BATCH_STATUS } from '../components/mail/words';
import { Money } from '../components/Money';
import { formatDate, isIsoDate, todayIn } from '../lib/dates';
import { parseAmount, positiveAmountError } from '../lib/ledger';
import { formatMoney, toCents } from '../lib/money';
import { usePageTitle } from '../lib/usePageTitle';

const STATUSES: { value: BatchStatus; label: string }[] = [
  { value: 'open', label: 'Open' },
  { value: 'posting', label: 'Posting' },
  { value: 'posted', label: 'Posted' },
  { value: 'all', label: 'All' },
];

const col = createColumnHelper<RemittanceBatch>();

export function BatchesPage() {
  usePageTitle('Remittance batches');
  const [params, setParams] = useSearchParams();
  const status = (STATUSES.find((s) => s.value === params.get('status'))?.value ?? 'open') as BatchStatus;
  const q = useBatches(status);

  const columns = [
    col.accessor('id', { header: 'Batch', cell: (c) => <Anchor underline="always" component={Link} to={`/batches/${c.getValue()}`} size="sm">No. {c.getValue()}</Anchor> }),
    col.accessor('batch_date', { header: 'Date', cell: (c) => <span className="nowrap">{formatDate(c.getValue())}</span> }),
    col.accessor('source', { header: 'Source', cell: (c) => (c.getValue() === 'lockbox' ? `Lockbox (bank batch ${c.row.original.bank_batch ?? '—'})` : 'Mail') }),
    col.accessor('status', { header: 'Status', cell: (c) => <Badge variant="light" color={BATCH_STATUS[c.getValue() ?? '']?.color ?? 'gray'}>{BATCH_STATUS[c.getValue() ?? '']?.label ?? c.getValue()}</Badge> }),
    col.display({ id: 'count', header: () => <span>Items / control</span>, cell: (c) => <span className="num">{c.row.original.item_count} / {c.row.original.control_count}</span>, meta: { style: { textAlign: 'right' } } }),
    col.accessor('item_total', { header: 'Items total', cell: (c) => <Money value={c.getValue() ?? '0'} />, meta: { style: { textAlign: 'right' } } }),
    col.accessor('control_total', { header: 'Control total', cell: (c) => <Money value={c.getValue() ?? '0'} />, meta: { style: { textAlign: 'right' } } }),
    col.display({
      id: 'diff',
      header: 'Difference',
      cell: (c) => {
        const b = c.row.original;
        if (b.balanced) return <Text size="sm" c="var(--mantine-color-green-light-color)">Balanced</Text>;
        return <Text size="sm" c="red.9">{b.count_difference} items, {formatMoney(b.total_difference ?? '0')}</Text>;
      },
    }),
    col.display({ id: 'exc', header: 'Exceptions', cell: (c) => <span className="num">{c.row.original.exception_count}</span>, meta: { style: { textAlign: 'right' } } }),
    col.accessor('posted_total', { header: 'Posted', cell: (c) => <Money value={c.getValue() ?? '0'} />, meta: { style: { textAlign: 'right' } } }),
    col.accessor('note', { header: 'Note', cell: (c) => c.getValue() || '—' }),
    col.accessor('created_by', { header: 'Opened by' }),
  ];

  return (
    <Stack gap="sm">
      <MailRoomTabs />
      <Title order={1} size="h2">Remittance batches</Title>
      <Text size="sm" c="dimmed">
        Run the adding-machine tape over the checks first, open the batch with that count and total, then scan each stub and check.
        A batch posts only when its items match the control count and total.
      </Text>
      <NewBatchForm />
      <Group justify="space-between" align="flex-end" mt="md">
        <Title order={2} size="h4">Batches</Title>
        <SegmentedControl
          aria-label="Which batches"
          value={status}
          onChange={(v) => {
            const next = new URLSearchParams(params);
            if (v === 'open') next.delete('status'); else next.set('status', v);
            setParams(next, { replace: true });
          }}
          data={STATUSES}
        />
      </Group>
      <DataTable
        caption={`${q.data?.items?.length ?? 0} ${status === 'all' ? '' : `${STATUSES.find((s) => s.value === status)!.label.toLowerCase()} `}batches, newest first`}
        columns={columns}
        data={q.data?.items ?? []}
        getRowId={(b) => String(b.id)}
        loading={q.isFetching}
        error={q.error}
        empty="No batches."
      />
    </Stack>
  );
}

interface NewBatch { control_count: number | string; control_total: string; batch_date: string; note: string }

function NewBatchForm() {
  const open = useOpenBatch();
  const navigate = useNavigate();
  const tz = useCity().data?.time_zone;
  const today = todayIn(tz);
  const [refusal, setRefusal] = useState<unknown>(null);
  const form = useForm<NewBatch>({
    initialValues: { control_count: '', control_total: '', batch_date: '', note: '' },
    validate: {
      control_count: (v) => (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > 5000 ? 'Enter the number of checks (1 to 5,000)' : null),
      control_total: (v) => positiveAmountError(v, 'the control total'),
      batch_date: (v) => (v && !isIsoDate(v) ? 'Enter a date' : null),
    },
  });
  const total = parseAmount(form.values.control_total);
  return (
    <Paper withBorder p="sm">
      <form
        aria-label="Open a batch"
        noValidate
        onSubmit={form.onSubmit(async (v) => {
          setRefusal(null);
          try {
            const b = await open.mutateAsync({
              control_count: Number(v.control_count),
              control_total: parseAmount(v.control_total)!,
              batch_date: v.batch_date || undefined,
              note: v.note.trim() || undefined,
            });
            navigate(`/batches/${b.id}`);
          } catch (err) {
            setRefusal(placeApiError(err, form.setFieldError, ['control_count', 'control_total', 'batch_date', 'note']));
          }
        })}
      >
        <Stack gap="xs">
          <Text fw={600}>Open a batch</Text>
          <Group align="flex-start" grow>
            <NumberInput label="Control count" description="Checks on the tape" withAsterisk min={1} max={5000} allowDecimal={false} allowNegative={false} hideControls data-autofocus {...form.getInputProps('control_count')} />
            <AmountInput label="Control total" description={total && toCents(total) > 0n ? formatMoney(total) : 'The tape’s total'} withAsterisk {...form.getInputProps('control_total')} />
            <TextInput type="date" label="Batch date" description="Blank = today" max={today} {...form.getInputProps('batch_date')} />
            <TextInput label="Note" autoComplete="off" {...form.getInputProps('note')} />
          </Group>
          <RefusalAlert error={refusal} />
          <Group justify="flex-end">
            <Button type="submit" loading={open.isPending}>Open batch</Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
