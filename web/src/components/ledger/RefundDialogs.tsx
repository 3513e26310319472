import { Modal, NativeSelect, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import { useIssueRefund, useRequestRefund } from '../../api/ledger';
import type { Party, Refund, RefundMethod } from '../../api/types';
import { parseAmount, positiveAmountError, REFUND_METHOD_LABEL, useIdempotencyKey } from '../../lib/ledger';
import { centsToDecimal, formatMoney, toCents } from '../../lib/money';
import { AmountInput, DialogButtons, placeApiError, RefusalAlert, ResultPanel } from './common';

export function RequestRefundDialog({ party, credit, opened, onClose }: { party: Party; credit: string; opened: boolean; onClose: () => void }) {
  return (
    <Modal opened={opened} onClose={onClose} title={`Request a refund for ${party.display_name}`}>
      <RequestBody party={party} credit={credit} onClose={onClose} />
    </Modal>
  );
}

function RequestBody({ party, credit, onClose }: { party: Party; credit: string; onClose: () => void }) {
  const idem = useIdempotencyKey();
  const m = useRequestRefund();
  const [refusal, setRefusal] = useState<unknown>(null);
  const [done, setDone] = useState<Refund | null>(null);
  const form = useForm({
    initialValues: { amount: centsToDecimal(toCents(credit)), method: 'check', note: '' },
    validate: {
      amount: (v) => {
        const e = positiveAmountError(v);
        if (e) return e;
        return toCents(parseAmount(v)!) > toCents(credit) ? `The customer’s credit is ${formatMoney(credit)}: refund at most that` : null;
      },
    },
  });

  const submit = form.onSubmit(async (v) => {
    setRefusal(null);
    try {
      setDone(await m.mutateAsync({ key: idem.key(), party_id: party.id, amount: parseAmount(v.amount)!, method: v.method as RefundMethod, note: v.note.trim() || undefined }));
    } catch (err) {
      idem.settle(err);
      setRefusal(placeApiError(err, form.setFieldError, ['amount', 'method', 'note']));
    }
  });

  if (done) {
    return (
      <ResultPanel onDone={onClose}>
        <Text role="status" fw={600}>
          Refund of {formatMoney(done.amount)} requested (no. {done.id}) — sent for approval. A different user with refund approval
          (finance or a supervisor) decides it on the Approvals page; once approved it can be issued from the Refunds tab.
        </Text>
      </ResultPanel>
    );
  }
  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        <Text size="sm">The customer has {formatMoney(credit)} of credit. A refund waits for a different user’s approval.</Text>
        <AmountInput label="Amount" required data-autofocus {...form.getInputProps('amount')} />
        <NativeSelect label="Method" data={Object.entries(REFUND_METHOD_LABEL).map(([value, label]) => ({ value, label }))} {...form.getInputProps('method')} />
        <Textarea label="Note" autosize minRows={2} {...form.getInputProps('note')} />
        <RefusalAlert error={refusal} />
        <DialogButtons onCancel={onClose} submit="Request refund" pending={m.isPending} />
      </Stack>
    </form>
  );
}

export function IssueRefundDialog({ refund, opened, onClose }: { refund: Refund | null; opened: boolean; onClose: () => void }) {
  return (
    <Modal opened={opened} onClose={onClose} title={refund ? `Issue refund no. ${refund.id}` : 'Issue refund'}>
      {refund && <IssueBody refund={refund} onClose={onClose} />}
    </Modal>
  );
}

function IssueBody({ refund, onClose }: { refund: Refund; onClose: () => void }) {
  const idem = useIdempotencyKey();
  const m = useIssueRefund();
  const [refusal, setRefusal] = useState<unknown>(null);
  const [done, setDone] = useState<Refund | null>(null);
  const form = useForm({
    initialValues: { check_number: '' },
    validate: { check_number: (v) => (v.trim() ? null : 'Enter the check number from the check register') },
  });
  const submit = form.onSubmit(async (v) => {
    setRefusal(null);
    try {
      setDone(await m.mutateAsync({ key: idem.key(), id: refund.id, check_number: v.check_number.trim() }));
    } catch (err) {
      idem.settle(err);
      setRefusal(placeApiError(err, form.setFieldError, ['check_number']));
    }
  });
  if (done) {
    return (
      <ResultPanel onDone={onClose}>
        <Text role="status" fw={600}>Refund no. {done.id} of {formatMoney(done.amount)} issued on check {done.check_number}.</Text>
      </ResultPanel>
    );
  }
  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        <Text size="sm">Issues the approved refund of {formatMoney(refund.amount)} ({REFUND_METHOD_LABEL[refund.method] ?? refund.method}) and records it in the check register.</Text>
        <TextInput label="Check number" required data-autofocus {...form.getInputProps('check_number')} />
        <RefusalAlert error={refusal} />
        <DialogButtons onCancel={onClose} submit="Issue refund" pending={m.isPending} />
      </Stack>
    </form>
  );
}
