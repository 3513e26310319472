// Corrections to a posted payment: returned (NSF/chargeback) and transferred to another customer.
import { Alert, Combobox, Loader, Modal, NativeSelect, Stack, Text, Textarea, TextInput, useCombobox } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useDebouncedValue } from '@mantine/hooks';
import { useState } from 'react';
import { useObligation, usePartyObligations, useReturnPayment, useTransfer } from '../../api/ledger';
import { useSearch } from '../../api/queries';
import type { Party, Payment, PaymentResult, ReturnReason, ReturnResult } from '../../api/types';
import { labelOf, RETURN_REASONS, TENDERS, useIdempotencyKey } from '../../lib/ledger';
import { formatMoney } from '../../lib/money';
import { DialogButtons, placeApiError, RefusalAlert, ResultPanel } from './common';
import { PaymentOutcome } from './PaymentDialog';

function paymentWords(p: Payment): string {
  return `payment no. ${p.id} of ${formatMoney(p.amount)} by ${labelOf(TENDERS, p.tender).toLowerCase()}${p.reference ? ` (ref ${p.reference})` : ''}`;
}

export function ReturnPaymentDialog({ payment, opened, onClose }: { payment: Payment | null; opened: boolean; onClose: () => void }) {
  return (
    <Modal opened={opened} onClose={onClose} title={payment ? `Return payment no. ${payment.id}` : 'Return payment'}>
      {payment && <ReturnBody payment={payment} onClose={onClose} />}
    </Modal>
  );
}

function ReturnBody({ payment, onClose }: { payment: Payment; onClose: () => void }) {
  const idem = useIdempotencyKey();
  const m = useReturnPayment(payment.party_id);
  const [refusal, setRefusal] = useState<unknown>(null);
  const [done, setDone] = useState<ReturnResult | null>(null);
  const fee = useObligation(done?.fee_obligation_id || undefined);
  const form = useForm<{ reason: string }>({
    initialValues: { reason: '' },
    validate: { reason: (v) => (v ? null : 'Choose why the bank returned it') },
  });

  const submit = form.onSubmit(async (v) => {
    setRefusal(null);
    try {
      setDone(await m.mutateAsync({ key: idem.key(), id: payment.id, reason: v.reason as ReturnReason }));
    } catch (err) {
      idem.settle(err);
      setRefusal(placeApiError(err, form.setFieldError, ['reason']));
    }
  });

  if (done) {
    return (
      <ResultPanel onDone={onClose}>
        <Text role="status" fw={600}>Returned {paymentWords(payment)}. What it paid is owed again.</Text>
        {done.fee_obligation_id ? (
          <Text size="sm">
            Returned-payment fee charged{fee.data ? `: ${formatMoney(fee.data.original)}` : ''} (obligation no. {done.fee_obligation_id}).
          </Text>
        ) : (
          <Text size="sm">No returned-payment fee was charged.</Text>
        )}
        <Text size="sm">Returned payments on this customer: {done.returns_on_party}.</Text>
        {done.now_cash_only ? (
          <Alert color="orange" variant="light" title="Now cash-only">
            This customer is now cash-only: from now on only cash is taken from them.
          </Alert>
        ) : (
          <Text size="sm">The customer is not cash-only.</Text>
        )}
      </ResultPanel>
    );
  }
  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        <Text size="sm">
          Reverses {paymentWords(payment)}: what it paid is owed again, the City’s returned-payment fee is charged,
          and after repeated returns the customer becomes cash-only.
        </Text>
        <NativeSelect label="Reason" required data-autofocus data={[{ value: '', label: 'Choose…' }, ...RETURN_REASONS]} {...form.getInputProps('reason')} />
        <RefusalAlert error={refusal} />
        <DialogButtons onCancel={onClose} submit="Return payment" pending={m.isPending} />
      </Stack>
    </form>
  );
}

export function TransferPaymentDialog({ payment, party, opened, onClose }: { payment: Payment | null; party: Party; opened: boolean; onClose: () => void }) {
  return (
    <Modal opened={opened} onClose={onClose} title={payment ? `Transfer payment no. ${payment.id}` : 'Transfer payment'} size="lg">
      {payment && <TransferBody payment={payment} party={party} onClose={onClose} />}
    </Modal>
  );
}

function TransferBody({ payment, party, onClose }: { payment: Payment; party: Party; onClose: () => void }) {
  const idem = useIdempotencyKey();
  const m = useTransfer(party.id);
  const [refusal, setRefusal] = useState<unknown>(null);
  const [done, setDone] = useState<PaymentResult | null>(null);
  const [target, setTarget] = useState<{ id: number; title: string } | null>(null);
  // The other customer's obligations, to name where the moved payment went.
  const targetObligations = usePartyObligations(done ? done.payment.party_id : 0);
  const form = useForm({
    initialValues: { reason: '' },
    validate: { reason: (v) => (v.trim() ? null : 'Say why the payment belongs to the other customer') },
  });

  const submit = form.onSubmit(async (v) => {
    setRefusal(null);
    if (!target) { form.setFieldError('to_party_id', 'Choose the customer the payment belongs to'); return; }
    try {
      setDone(await m.mutateAsync({ key: idem.key(), payment_id: payment.id, to_party_id: target.id, reason: v.reason.trim() }));
    } catch (err) {
      idem.settle(err);
      setRefusal(placeApiError(err, form.setFieldError, ['reason', 'to_party_id']));
    }
  });

  if (done) {
    return (
      <>
        <Text size="sm" mb="xs">Moved to {target?.title}. Both customers’ histories show the transfer.</Text>
        <PaymentOutcome result={done} obligations={targetObligations.data?.items ?? []} onDone={onClose} verb="now on their account" />
      </>
    );
  }
  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        <Text size="sm">
          Moves {paymentWords(payment)} from {party.display_name} to another customer: it comes off what it paid here (owed again),
          and is applied to the other customer’s charges.
        </Text>
        <PartyPicker
          value={target}
          onChange={(t) => { setTarget(t); form.clearFieldError('to_party_id'); }}
          excludeId={party.id}
          error={form.errors.to_party_id as string | undefined}
        />
        <Textarea label="Reason" required autosize minRows={2} {...form.getInputProps('reason')} />
        <RefusalAlert error={refusal} />
        <DialogButtons onCancel={onClose} submit="Transfer payment" pending={m.isPending} />
      </Stack>
    </form>
  );
}

/** Pick a customer with the search API (name, phone, address…). */
export function PartyPicker({ value, onChange, excludeId, error }: {
  value: { id: number; title: string } | null;
  onChange: (v: { id: number; title: string } | null) => void;
  excludeId?: number;
  error?: string;
}) {
  const [q, setQ] = useState('');
  const [debounced] = useDebouncedValue(q, 150);
  const search = useSearch(debounced);
  const combobox = useCombobox({ onDropdownClose: () => combobox.resetSelectedOption() });
  const hits = (search.data?.results ?? []).filter((r) => r.kind === 'party' && Number(r.id) !== excludeId);

  return (
    <Combobox
      store={combobox}
      withinPortal={false}
      onOptionSubmit={(v) => {
        const h = hits[Number(v)];
        if (h) { onChange({ id: Number(h.id), title: h.title }); setQ(h.title); }
        combobox.closeDropdown();
      }}
    >
      <Combobox.Target>
        <TextInput
          label="Move to customer"
          required
          data-autofocus
          placeholder="Search by name, phone or address"
          value={q}
          error={error}
          description={value ? `Chosen: ${value.title} (customer no. ${value.id})` : undefined}
          rightSection={search.isFetching ? <Loader size="xs" aria-label="Searching" /> : null}
          onChange={(e) => { setQ(e.currentTarget.value); onChange(null); combobox.openDropdown(); combobox.updateSelectedOptionIndex(); }}
          onFocus={() => combobox.openDropdown()}
          onBlur={() => combobox.closeDropdown()}
          onKeyDown={(e) => {
            // Esc first closes the list of customers, then (pressed again) the dialog.
            if (e.key === 'Escape' && combobox.dropdownOpened) { e.stopPropagation(); combobox.closeDropdown(); }
          }}
        />
      </Combobox.Target>
      <Combobox.Dropdown hidden={!debounced.trim()}>
        <Combobox.Options aria-label="Customers found">
          {hits.length === 0 ? (
            <Combobox.Empty>{search.isFetching ? 'Searching…' : 'No customer found'}</Combobox.Empty>
          ) : hits.map((h, i) => (
            <Combobox.Option value={String(i)} key={String(h.id)}>
              <Text size="sm" fw={600}>{h.title}</Text>
              {h.subtitle && <Text size="xs" c="dimmed">{h.subtitle}</Text>}
            </Combobox.Option>
          ))}
        </Combobox.Options>
      </Combobox.Dropdown>
    </Combobox>
  );
}
