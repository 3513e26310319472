import { ActionIcon, Button, Checkbox, Group, Modal, NativeSelect, Stack, Table, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import { useCharge, useLedgerSettings } from '../../api/ledger';
import { useCity } from '../../api/queries';
import type { Obligation, Party } from '../../api/types';
import { formatDate, todayIn } from '../../lib/dates';
import { kindName, parseAmount, positiveAmountError, useIdempotencyKey } from '../../lib/ledger';
import { formatMoney, sumCents } from '../../lib/money';
import { Money } from '../Money';
import { AmountInput, DialogButtons, placeApiError, RefusalAlert, ResultPanel } from './common';

interface LineForm { description: string; revenue_account: string; amount: string; is_penalty: boolean }
interface ChargeForm { kind: string; description: string; due_date: string; account_ref: string; lines: LineForm[] }

function plusDays(iso: string, days: number): string {
  const d = new Date(`${iso}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export function ChargeDialog({ party, opened, onClose }: { party: Party; opened: boolean; onClose: () => void }) {
  return (
    <Modal opened={opened} onClose={onClose} title={`New charge for ${party.display_name}`} size="xl">
      <ChargeFormBody party={party} onClose={onClose} />
    </Modal>
  );
}

function ChargeFormBody({ party, onClose }: { party: Party; onClose: () => void }) {
  const settings = useLedgerSettings();
  const tz = useCity().data?.time_zone;
  const idem = useIdempotencyKey();
  const charge = useCharge();
  const [refusal, setRefusal] = useState<unknown>(null);
  const [done, setDone] = useState<Obligation | null>(null);
  const kinds = settings.data?.obligation_kinds ?? [];
  const accounts = settings.data?.revenue_accounts ?? [];

  const form = useForm<ChargeForm>({
    initialValues: {
      kind: '',
      description: '',
      due_date: plusDays(todayIn(tz), 30),
      account_ref: '',
      lines: [{ description: '', revenue_account: '', amount: '', is_penalty: false }],
    },
    validate: {
      kind: (v) => (v ? null : 'Choose what kind of charge this is'),
      description: (v) => (v.trim() ? null : 'Describe the charge (it is what the customer sees)'),
      due_date: (v) => (/^\d{4}-\d{2}-\d{2}$/.test(v) ? null : 'Enter the due date'),
      lines: {
        revenue_account: (v) => (v ? null : 'Choose the revenue account'),
        amount: (v) => positiveAmountError(v),
      },
    },
  });

  const total = (() => {
    try { return sumCents(form.values.lines.map((l) => parseAmount(l.amount) ?? '0')); } catch { return 0n; }
  })();

  const submit = form.onSubmit(async (v) => {
    setRefusal(null);
    try {
      const o = await charge.mutateAsync({
        key: idem.key(),
        party_id: party.id,
        kind: v.kind,
        description: v.description.trim(),
        due_date: v.due_date,
        account_ref: v.account_ref.trim() || undefined,
        lines: v.lines.map((l) => ({
          description: l.description.trim() || v.description.trim(),
          revenue_account: l.revenue_account,
          amount: parseAmount(l.amount)!,
          is_penalty: l.is_penalty,
        })),
      });
      setDone(o);
    } catch (err) {
      idem.settle(err);
      const fields = ['kind', 'description', 'due_date', 'account_ref', ...v.lines.flatMap((_, i) => [`lines.${i}.description`, `lines.${i}.revenue_account`, `lines.${i}.amount`])];
      setRefusal(placeApiError(err, form.setFieldError, fields));
    }
  });

  if (done) {
    return (
      <ResultPanel onDone={onClose}>
        <Text role="status">
          Charged {formatMoney(done.original)} to {party.display_name}: {done.description} ({kindName(settings.data, done.kind)}),
          due {formatDate(done.due_date)}. It is obligation no. {done.id}.
        </Text>
      </ResultPanel>
    );
  }

  const accountOptions = [{ value: '', label: 'Choose…' }, ...accounts.map((a) => ({ value: a.code, label: `${a.code} — ${a.name}` }))];

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        <Group grow align="flex-start">
          <NativeSelect
            label="Kind"
            required
            data={[{ value: '', label: 'Choose…' }, ...kinds.map((k) => ({ value: k.code, label: k.name }))]}
            {...form.getInputProps('kind')}
            data-autofocus
          />
          <TextInput label="Due date" type="date" required {...form.getInputProps('due_date')} />
        </Group>
        <Group grow align="flex-start">
          <TextInput label="Description" required placeholder="e.g. Sidewalk repair, 12 Oak St" {...form.getInputProps('description')} />
          <TextInput label="Account reference (optional)" placeholder="e.g. utility:1001" {...form.getInputProps('account_ref')} />
        </Group>

        <Table withTableBorder verticalSpacing={4} aria-label="Charge lines">
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">Line description (blank = as above)</Table.Th>
              <Table.Th scope="col">Revenue account</Table.Th>
              <Table.Th scope="col" style={{ width: 130 }}>Amount</Table.Th>
              <Table.Th scope="col" style={{ width: 80 }}>Penalty</Table.Th>
              <Table.Th scope="col" style={{ width: 40 }}><span className="visually-hidden">Remove</span></Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {form.values.lines.map((_, i) => (
              <Table.Tr key={i}>
                <Table.Td><TextInput aria-label={`Line ${i + 1} description`} size="xs" {...form.getInputProps(`lines.${i}.description`)} /></Table.Td>
                <Table.Td><NativeSelect aria-label={`Line ${i + 1} revenue account`} size="xs" data={accountOptions} {...form.getInputProps(`lines.${i}.revenue_account`)} /></Table.Td>
                <Table.Td><AmountInput aria-label={`Line ${i + 1} amount`} size="xs" {...form.getInputProps(`lines.${i}.amount`)} /></Table.Td>
                <Table.Td><Checkbox aria-label={`Line ${i + 1} is a penalty`} {...form.getInputProps(`lines.${i}.is_penalty`, { type: 'checkbox' })} /></Table.Td>
                <Table.Td>
                  {form.values.lines.length > 1 && (
                    <ActionIcon variant="subtle" color="red" aria-label={`Remove line ${i + 1}`} onClick={() => form.removeListItem('lines', i)}>×</ActionIcon>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        <Group justify="space-between">
          <Button variant="subtle" size="compact-sm" disabled={form.values.lines.length >= 100}
            onClick={() => form.insertListItem('lines', { description: '', revenue_account: '', amount: '', is_penalty: false })}>
            Add a line
          </Button>
          <Text size="sm" fw={600}>Total <span style={{ display: 'inline-block', minWidth: 100 }}><Money value={total} /></span></Text>
        </Group>
        <RefusalAlert error={refusal} />
        <DialogButtons onCancel={onClose} submit="Post charge" pending={charge.isPending} />
      </Stack>
    </form>
  );
}
