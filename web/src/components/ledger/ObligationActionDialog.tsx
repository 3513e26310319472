import { Modal, Stack, Text, Textarea } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import { useObligationAction, type ObligationAction } from '../../api/ledger';
import type { Obligation } from '../../api/types';
import { STATUS_LABEL, useIdempotencyKey } from '../../lib/ledger';
import { formatMoney } from '../../lib/money';
import { DialogButtons, placeApiError, RefusalAlert, ResultPanel } from './common';

const WORDS: Record<ObligationAction, { title: string; submit: string; explain: (o: Obligation) => string; done: (o: Obligation) => string }> = {
  'write-off': {
    title: 'Write off',
    submit: 'Write off',
    explain: (o) => `Writes off the ${formatMoney(o.balance)} still owed as uncollectible. The customer no longer owes it; it can be recovered later.`,
    done: (o) => `Written off: ${formatMoney(o.written_off)}. Now ${STATUS_LABEL[o.status].toLowerCase()}.`,
  },
  recovery: {
    title: 'Recover',
    submit: 'Recover',
    explain: (o) => `Reinstates the ${formatMoney(o.written_off)} written off: the customer owes it again.`,
    done: (o) => `Recovered: the customer owes ${formatMoney(o.balance)} again. Now ${STATUS_LABEL[o.status].toLowerCase()}.`,
  },
  cancel: {
    title: 'Cancel',
    submit: 'Cancel the charge',
    explain: () => 'Reverses the charge as if it had never been made. Anything already paid on it becomes credit on the customer’s account.',
    done: (o) => `Cancelled. The charge of ${formatMoney(o.original)} is reversed; anything paid on it is now credit.`,
  },
};

export function ObligationActionDialog({ obligation, action, opened, onClose }: { obligation: Obligation | null; action: ObligationAction; opened: boolean; onClose: () => void }) {
  const w = WORDS[action];
  return (
    <Modal opened={opened} onClose={onClose} title={obligation ? `${w.title} “${obligation.description}”` : w.title}>
      {obligation && <Body obligation={obligation} action={action} onClose={onClose} />}
    </Modal>
  );
}

function Body({ obligation, action, onClose }: { obligation: Obligation; action: ObligationAction; onClose: () => void }) {
  const w = WORDS[action];
  const idem = useIdempotencyKey();
  const m = useObligationAction();
  const [refusal, setRefusal] = useState<unknown>(null);
  const [done, setDone] = useState<Obligation | null>(null);
  const form = useForm({
    initialValues: { reason: '' },
    validate: { reason: (v) => (v.trim() ? null : 'Say why (it is kept in the ledger and the audit log)') },
  });

  const submit = form.onSubmit(async (v) => {
    setRefusal(null);
    try {
      setDone(await m.mutateAsync({ key: idem.key(), id: obligation.id, action, reason: v.reason.trim() }));
    } catch (err) {
      idem.settle(err);
      setRefusal(placeApiError(err, form.setFieldError, ['reason']));
    }
  });

  if (done) {
    return (
      <ResultPanel onDone={onClose}>
        <Text role="status" fw={600}>{w.done(done)}</Text>
      </ResultPanel>
    );
  }
  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        <Text size="sm">{w.explain(obligation)}</Text>
        <Textarea label="Reason" required autosize minRows={2} data-autofocus {...form.getInputProps('reason')} />
        <RefusalAlert error={refusal} />
        <DialogButtons onCancel={onClose} submit={w.submit} pending={m.isPending} />
      </Stack>
    </form>
  );
}
