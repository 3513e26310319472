import { Alert, Checkbox, Group, Modal, NativeSelect, Stack, Table, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import { usePayment } from '../../api/ledger';
import type { Allocation, Channel, Obligation, Party, PaymentResult, Tender } from '../../api/types';
import { formatDate } from '../../lib/dates';
import { CHANNELS, labelOf, parseAmount, positiveAmountError, TENDERS, useIdempotencyKey } from '../../lib/ledger';
import { formatMoney, toCents } from '../../lib/money';
import { Money } from '../Money';
import { AmountInput, DialogButtons, placeApiError, RefusalAlert, ResultPanel } from './common';

interface PayForm { amount: string; tender: string; channel: string; payer: string; reference: string }

export function isCashOnly(p: Party): boolean {
  return p.flags.some((f) => String(f).toLowerCase().replace(/[_\s]/g, '-') === 'cash-only');
}

export function PaymentDialog({ party, obligations, opened, onClose }: { party: Party; obligations: Obligation[]; opened: boolean; onClose: () => void }) {
  return (
    <Modal opened={opened} onClose={onClose} title={`Take a payment from ${party.display_name}`} size="lg">
      <PaymentFormBody party={party} obligations={obligations} onClose={onClose} />
    </Modal>
  );
}

function PaymentFormBody({ party, obligations, onClose }: { party: Party; obligations: Obligation[]; onClose: () => void }) {
  const idem = useIdempotencyKey();
  const pay = usePayment();
  const cashOnly = isCashOnly(party);
  const [refusal, setRefusal] = useState<unknown>(null);
  const [directed, setDirected] = useState<number[]>([]);
  const [done, setDone] = useState<PaymentResult | null>(null);
  const open = obligations.filter((o) => o.status === 'open' && toCents(o.balance) > 0n);

  const form = useForm<PayForm>({
    initialValues: { amount: '', tender: 'cash', channel: 'counter', payer: party.display_name, reference: '' },
    validate: {
      amount: (v) => positiveAmountError(v),
      tender: (v) => (cashOnly && v !== 'cash' ? 'This customer is cash-only: take cash' : null),
    },
  });

  const submit = form.onSubmit(async (v) => {
    setRefusal(null);
    try {
      const r = await pay.mutateAsync({
        key: idem.key(),
        party_id: party.id,
        amount: parseAmount(v.amount)!,
        tender: v.tender as Tender,
        channel: v.channel as Channel,
        payer: v.payer.trim() || undefined,
        reference: v.reference.trim() || undefined,
        obligations: directed.length ? directed : undefined,
      });
      setDone(r);
    } catch (err) {
      idem.settle(err);
      setRefusal(placeApiError(err, form.setFieldError, ['amount', 'tender', 'channel', 'payer', 'reference']));
    }
  });

  if (done) return <PaymentOutcome result={done} obligations={obligations} onDone={onClose} />;

  const toggle = (id: number, on: boolean) => setDirected((d) => (on ? [...d, id] : d.filter((x) => x !== id)));

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        {cashOnly && (
          <Alert color="orange" variant="light" title="Cash only">
            This customer is cash-only after returned payments: take cash (or a money order if the City allows it at the counter).
          </Alert>
        )}
        <Group grow align="flex-start">
          <AmountInput label="Amount" required data-autofocus {...form.getInputProps('amount')} />
          <NativeSelect label="Tender" data={TENDERS.map((t) => ({ ...t, disabled: cashOnly && t.value !== 'cash' }))} {...form.getInputProps('tender')} />
          <NativeSelect label="Channel" data={[...CHANNELS]} {...form.getInputProps('channel')} />
        </Group>
        <Group grow align="flex-start">
          <TextInput label="Payer" {...form.getInputProps('payer')} />
          <TextInput label="Reference (check no., last 4 of card…)" {...form.getInputProps('reference')} />
        </Group>
        {open.length > 0 && (
          <fieldset style={{ border: 0, padding: 0, margin: 0 }}>
            <legend><Text size="sm" fw={600}>Apply to (optional)</Text></legend>
            <Text size="xs" c="dimmed" mb={4}>
              Leave all unticked to apply by the City’s rules (by kind, oldest first). If you tick some, only those are paid, in the order you tick them; anything left over is kept as credit.
            </Text>
            <Stack gap={4}>
              {open.map((o) => {
                const pos = directed.indexOf(o.id);
                return (
                  <Checkbox
                    key={o.id}
                    checked={pos >= 0}
                    onChange={(e) => toggle(o.id, e.currentTarget.checked)}
                    label={`${pos >= 0 ? `${pos + 1}. ` : ''}${o.description} — due ${formatDate(o.due_date)}, owes ${formatMoney(o.balance)}`}
                  />
                );
              })}
            </Stack>
          </fieldset>
        )}
        <RefusalAlert error={refusal} />
        <DialogButtons onCancel={onClose} submit="Post payment" pending={pay.isPending} />
      </Stack>
    </form>
  );
}

export function PaymentOutcome({ result, obligations, onDone, verb = 'posted' }: { result: PaymentResult; obligations: Obligation[]; onDone: () => void; verb?: string }) {
  const p = result.payment;
  const unapplied = toCents(p.unapplied);
  return (
    <ResultPanel onDone={onDone}>
      <Text role="status" fw={600}>
        Payment no. {p.id} of {formatMoney(p.amount)} by {labelOf(TENDERS, p.tender).toLowerCase()} {verb}.
      </Text>
      <AllocationTable allocations={result.allocations} obligations={obligations} />
      <Text size="sm">
        {unapplied > 0n
          ? `${formatMoney(unapplied)} was more than what is owed and is kept as credit on the customer’s account.`
          : 'All of it went to what is owed; no credit left over.'}
      </Text>
    </ResultPanel>
  );
}

function AllocationTable({ allocations, obligations }: { allocations: Allocation[]; obligations: Obligation[] }) {
  if (allocations.length === 0) return <Text size="sm">Nothing was owed, so none of it was applied to a charge.</Text>;
  const name = (id: number) => obligations.find((o) => o.id === id)?.description ?? `Obligation no. ${id}`;
  const line = (oid: number, lid: number) => {
    const o = obligations.find((x) => x.id === oid);
    const d = o?.lines.find((l) => l.id === lid)?.description;
    return d && d !== o?.description ? d : undefined;
  };
  return (
    <Table withTableBorder aria-label="Where the payment went">
      <Table.Thead>
        <Table.Tr>
          <Table.Th scope="col">Applied to</Table.Th>
          <Table.Th scope="col">Fund</Table.Th>
          <Table.Th scope="col" style={{ textAlign: 'right' }}>Amount</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {allocations.map((a, i) => (
          <Table.Tr key={i}>
            <Table.Td>{name(a.obligation_id)}{line(a.obligation_id, a.line_id) ? ` — ${line(a.obligation_id, a.line_id)}` : ''}</Table.Td>
            <Table.Td>{a.fund}</Table.Td>
            <Table.Td><Money value={a.amount} /></Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
