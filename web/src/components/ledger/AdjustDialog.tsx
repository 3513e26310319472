import { Alert, Group, Modal, NativeSelect, Radio, Stack, Text, Textarea } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import { useAdjustment, useLedgerSettings } from '../../api/ledger';
import { useRoles } from '../../api/queries';
import type { AdjustmentResult, Obligation } from '../../api/types';
import { useUser } from '../../auth/session';
import {
  adjustmentAuthority, approverTitles, authorityWords, orList, parseAmount, positiveAmountError, useIdempotencyKey,
} from '../../lib/ledger';
import { formatMoney, toCents } from '../../lib/money';
import { AmountInput, DialogButtons, placeApiError, RefusalAlert, ResultPanel } from './common';

interface AdjustForm { direction: 'credit' | 'debit'; amount: string; reason_code: string; line_id: string; note: string }

export function AdjustDialog({ obligation, opened, onClose }: { obligation: Obligation | null; opened: boolean; onClose: () => void }) {
  return (
    <Modal opened={opened} onClose={onClose} title={obligation ? `Adjust “${obligation.description}”` : 'Adjust'} size="lg">
      {obligation && <AdjustFormBody obligation={obligation} onClose={onClose} />}
    </Modal>
  );
}

/** "Adjustments over $25.00 need a CSR III or supervisor — sent for approval" */
export function sentForApprovalWords(limitCents: bigint | null, approvers: string[]): string {
  const who = approvers.length ? orList(approvers) : 'a supervisor';
  const over = limitCents === null ? 'Adjustments by your role' : `Adjustments over ${formatMoney(limitCents)}`;
  return `${over} need a ${who} — sent for approval`;
}

function AdjustFormBody({ obligation, onClose }: { obligation: Obligation; onClose: () => void }) {
  const user = useUser();
  const settings = useLedgerSettings();
  const roles = useRoles();
  const idem = useIdempotencyKey();
  const adjust = useAdjustment(obligation.party_id);
  const [refusal, setRefusal] = useState<unknown>(null);
  const [done, setDone] = useState<{ r: AdjustmentResult; amount: string; direction: string } | null>(null);
  const authority = adjustmentAuthority(settings.data, user.role);

  const form = useForm<AdjustForm>({
    initialValues: { direction: 'credit', amount: '', reason_code: '', line_id: '', note: '' },
    validate: {
      amount: (v) => positiveAmountError(v),
      reason_code: (v) => (v ? null : 'Choose the reason for the adjustment'),
    },
  });

  const submit = form.onSubmit(async (v) => {
    setRefusal(null);
    const amount = parseAmount(v.amount)!;
    try {
      const r = await adjust.mutateAsync({
        key: idem.key(),
        obligation_id: obligation.id,
        line_id: v.line_id ? Number(v.line_id) : undefined,
        direction: v.direction,
        amount,
        reason_code: v.reason_code,
        note: v.note.trim() || undefined,
      });
      setDone({ r, amount, direction: v.direction });
    } catch (err) {
      idem.settle(err);
      setRefusal(placeApiError(err, form.setFieldError, ['amount', 'reason_code', 'line_id', 'note', 'direction']));
    }
  });

  if (done) {
    const what = `${done.direction === 'credit' ? 'Credit' : 'Debit'} adjustment of ${formatMoney(done.amount)} on “${obligation.description}”`;
    if (done.r.posted) {
      return (
        <ResultPanel onDone={onClose}>
          <Text role="status" fw={600}>{what} posted.</Text>
        </ResultPanel>
      );
    }
    const limit = authority.kind === 'limit' ? authority.cents : null;
    const approvers = approverTitles(settings.data, roles.data?.items, toCents(done.amount));
    return (
      <ResultPanel onDone={onClose}>
        <Alert color="blue" variant="light" role="status" title="Sent for approval" data-testid="sent-for-approval">
          {sentForApprovalWords(limit, approvers)}. {what} waits as request no. {done.r.approval?.id ?? '—'} on the
          Approvals page; nothing is posted until a different user approves it. Your authority as {user.role_title} is {authorityWords(authority)}.
        </Alert>
      </ResultPanel>
    );
  }

  const lines = obligation.lines.map((l) => ({ value: String(l.id), label: `${l.description} (owes ${formatMoney(l.balance)})` }));
  let overLimit = false;
  const parsed = parseAmount(form.values.amount);
  if (parsed && authority.kind === 'limit') overLimit = toCents(parsed) > authority.cents;
  if (parsed && authority.kind === 'none') overLimit = true;

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        <Text size="sm">
          Owes {formatMoney(obligation.balance)} of {formatMoney(obligation.original)}. Your adjustment authority as {user.role_title}: {authorityWords(authority)}.
        </Text>
        <Radio.Group label="Direction" {...form.getInputProps('direction')}>
          <Group mt={4}>
            <Radio value="credit" label="Credit — lowers what is owed" />
            <Radio value="debit" label="Debit — raises what is owed" />
          </Group>
        </Radio.Group>
        <Group grow align="flex-start">
          <AmountInput label="Amount" required data-autofocus {...form.getInputProps('amount')} />
          <NativeSelect
            label="Reason"
            required
            data={[{ value: '', label: 'Choose…' }, ...(settings.data?.adjustment_reasons ?? []).map((r) => ({ value: r.code, label: r.name }))]}
            {...form.getInputProps('reason_code')}
          />
        </Group>
        {lines.length > 1 && (
          <NativeSelect label="Charge line" data={[{ value: '', label: 'Whole obligation' }, ...lines]} {...form.getInputProps('line_id')} />
        )}
        <Textarea label="Note" autosize minRows={2} maxRows={5} {...form.getInputProps('note')} />
        {overLimit && (
          <Text size="sm" c="blue.9" role="status">
            This is above your authority: it will be sent for approval, not posted now.
          </Text>
        )}
        <RefusalAlert error={refusal} />
        <DialogButtons onCancel={onClose} submit={overLimit ? 'Send for approval' : 'Post adjustment'} pending={adjust.isPending} />
      </Stack>
    </form>
  );
}
