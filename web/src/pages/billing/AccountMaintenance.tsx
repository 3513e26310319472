// Account maintenance on the account page (src/http/routes_billing_accounts.cc): the penalty
// holds a CSR sets when a customer disputes a bill or agrees a payment arrangement (with the
// reason, which the audit keeps); the flags, mailing address and deposit record; adding a service;
// installing a meter; and closing the account at move-out with the final bill. Everyone with
// billing.read sees the holds; changes need billing.write (CSR II and up), as the server says.
import { Alert, Anchor, Button, Checkbox, Group, Modal, NumberInput, Paper, Select, Stack, Switch, Text, TextInput, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router-dom';
import type { BillingAccount } from '../../api/billing';
import { useAddService, useCloseAccount, useInstallMeter, useSetHolds, useUpdateAccount, type AccountClose, type InstallMeterBody } from '../../api/billingAccounts';
import { isApiError } from '../../api/client';
import { useCity } from '../../api/queries';
import { useUser } from '../../auth/session';
import { Money } from '../../components/Money';
import { formatDate, todayIn } from '../../lib/dates';
import { useIdempotencyKey } from '../../lib/ledger';
import { can } from '../../lib/permissions';

function errorText(e: unknown): string {
  if (isApiError(e)) return e.field ? `${e.message} (field: ${e.field})` : e.message;
  return (e as Error)?.message ?? String(e);
}

function holdsText(h: { in_dispute?: boolean; payment_arrangement?: boolean } | undefined): string {
  const held = [h?.in_dispute && 'in dispute', h?.payment_arrangement && 'under a payment arrangement'].filter(Boolean);
  return held.length ? `Late penalties held: ${held.join(' and ')}.` : 'No penalty hold: late penalties apply.';
}

export function AccountMaintenance({ a }: { a: BillingAccount }) {
  const user = useUser();
  const canWrite = can(user, 'billing.write');
  const open = a.status === 'active';
  const [dialog, setDialog] = useState<'details' | 'service' | 'meter' | 'close' | null>(null);
  const [status, setStatus] = useState('');
  const [closed, setClosed] = useState<AccountClose | null>(null);
  const done = (message: string) => { setDialog(null); setStatus(message); };
  return (
    <Paper withBorder p="sm" component="section" aria-labelledby="maint-h">
      <Title order={2} size="h4" id="maint-h" mb="xs">Account maintenance</Title>
      <Text size="sm" data-testid="holds-status">{holdsText(a.holds)}</Text>
      {canWrite && <HoldsForm a={a} onSaved={setStatus} />}
      {canWrite && open && (
        <Group gap="xs" mt="sm">
          <Button size="compact-sm" variant="default" onClick={() => setDialog('details')}>Edit flags and mailing address</Button>
          <Button size="compact-sm" variant="default" onClick={() => setDialog('service')}>Add a service</Button>
          <Button size="compact-sm" variant="default" onClick={() => setDialog('meter')}>Install a meter</Button>
          <Button size="compact-sm" color="red.8" onClick={() => setDialog('close')}>Close the account</Button>
        </Group>
      )}
      {canWrite && !open && a.closed_on && <FinalBillButton a={a} onDone={setClosed} />}
      <div aria-live="polite">
        {status && <Text size="sm" mt="xs" data-testid="maintenance-status">{status}</Text>}
        {closed && <CloseResult r={closed} />}
      </div>
      {dialog === 'details' && <DetailsDialog a={a} onClose={() => setDialog(null)} onSaved={() => done('Flags, mailing address and deposit saved.')} />}
      {dialog === 'service' && <ServiceDialog a={a} onClose={() => setDialog(null)} onSaved={(m) => done(m)} />}
      {dialog === 'meter' && <MeterDialog a={a} onClose={() => setDialog(null)} onSaved={(m) => done(m)} />}
      {dialog === 'close' && <CloseDialog a={a} onClose={() => setDialog(null)} onClosed={(r) => { setClosed(r); done(''); }} />}
    </Paper>
  );
}

function HoldsForm({ a, onSaved }: { a: BillingAccount; onSaved: (m: string) => void }) {
  const set = useSetHolds(a.number!);
  const [dispute, setDispute] = useState(!!a.holds?.in_dispute);
  const [arrangement, setArrangement] = useState(!!a.holds?.payment_arrangement);
  const [reason, setReason] = useState('');
  const changed = dispute !== !!a.holds?.in_dispute || arrangement !== !!a.holds?.payment_arrangement;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    set.mutate({ in_dispute: dispute, payment_arrangement: arrangement, reason: reason.trim() }, {
      onSuccess: (h) => { setReason(''); onSaved(`Holds saved. ${holdsText(h)}`); },
    });
  };
  return (
    <form onSubmit={submit} aria-label="Penalty holds">
      <Group align="flex-end" mt="xs" wrap="wrap">
        <Switch label="In dispute" checked={dispute} onChange={(e) => setDispute(e.currentTarget.checked)} />
        <Switch label="Payment arrangement" checked={arrangement} onChange={(e) => setArrangement(e.currentTarget.checked)} />
        <TextInput label="Reason for the hold change" value={reason} onChange={(e) => setReason(e.currentTarget.value)} w={320} maxLength={500}
          error={isApiError(set.error) && set.error.field === 'reason' ? set.error.message : undefined} />
        <Button type="submit" size="sm" variant="default" loading={set.isPending} disabled={!changed}>Save the holds</Button>
      </Group>
      {set.error && !(isApiError(set.error) && set.error.field === 'reason') && <Alert mt="xs" color="red" variant="light" role="alert">{errorText(set.error)}</Alert>}
    </form>
  );
}

function DetailsDialog({ a, onClose, onSaved }: { a: BillingAccount; onClose: () => void; onSaved: () => void }) {
  const update = useUpdateAccount(a.number!);
  const f = a.flags ?? {};
  const m = a.mailing ?? {};
  const [cashOnly, setCashOnly] = useState(!!f.cash_only);
  const [noShutoff, setNoShutoff] = useState(!!f.no_shutoff);
  const [landlord, setLandlord] = useState(!!f.landlord);
  const [line1, setLine1] = useState(m.line1 ?? '');
  const [line2, setLine2] = useState(m.line2 ?? '');
  const [city, setCity] = useState(m.city ?? '');
  const [state, setState] = useState(m.state ?? '');
  const [postal, setPostal] = useState(m.postal_code ?? '');
  const [deposit, setDeposit] = useState(a.deposit ?? '0.00');
  const fieldError = (name: string) => (isApiError(update.error) && update.error.field === name ? update.error.message : undefined);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const any = [line1, line2, city, state, postal].some((s) => s.trim());
    update.mutate({
      cash_only: cashOnly, no_shutoff: noShutoff, landlord,
      mailing: any ? { line1: line1.trim(), line2: line2.trim(), city: city.trim(), state: state.trim(), postal_code: postal.trim() } : null,
      deposit: deposit.trim(),
    }, { onSuccess: onSaved });
  };
  return (
    <Modal opened onClose={onClose} title="Flags, mailing address and deposit">
      <form onSubmit={submit}>
        <Stack gap="sm">
          <Checkbox label="Cash only (returned payments: no checks)" checked={cashOnly} onChange={(e) => setCashOnly(e.currentTarget.checked)} data-autofocus />
          <Checkbox label="No shutoff (medical certificate on file)" checked={noShutoff} onChange={(e) => setNoShutoff(e.currentTarget.checked)} />
          <Checkbox label="Landlord holds the account" checked={landlord} onChange={(e) => setLandlord(e.currentTarget.checked)} />
          <Text size="sm">Mailing address — leave empty to mail bills to the service address.</Text>
          <TextInput label="Mailing line 1" value={line1} onChange={(e) => setLine1(e.currentTarget.value)} error={fieldError('mailing.line1')} />
          <TextInput label="Mailing line 2" value={line2} onChange={(e) => setLine2(e.currentTarget.value)} error={fieldError('mailing.line2')} />
          <Group grow>
            <TextInput label="Mailing city" value={city} onChange={(e) => setCity(e.currentTarget.value)} error={fieldError('mailing.city')} />
            <TextInput label="Mailing state" value={state} onChange={(e) => setState(e.currentTarget.value)} error={fieldError('mailing.state')} />
            <TextInput label="Mailing postal code" value={postal} onChange={(e) => setPostal(e.currentTarget.value)} error={fieldError('mailing.postal_code')} />
          </Group>
          <TextInput label="Deposit held ($)" value={deposit} onChange={(e) => setDeposit(e.currentTarget.value)} error={fieldError('deposit')} />
          {update.error && <Alert color="red" variant="light" role="alert">{errorText(update.error)}</Alert>}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>Cancel</Button>
            <Button type="submit" loading={update.isPending}>Save the changes</Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

const KINDS = [
  { value: 'water', label: 'Water' }, { value: 'sewer', label: 'Sewer' },
  { value: 'refuse', label: 'Refuse' }, { value: 'stormwater', label: 'Stormwater' },
];

function ServiceDialog({ a, onClose, onSaved }: { a: BillingAccount; onClose: () => void; onSaved: (m: string) => void }) {
  const add = useAddService(a.number!);
  const tz = useCity().data?.time_zone;
  const [kind, setKind] = useState<string | null>('water');
  const [rateClass, setRateClass] = useState('RES');
  const [startedOn, setStartedOn] = useState(todayIn(tz));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!kind) return;
    add.mutate({ kind, rate_class: rateClass.trim(), ...(startedOn ? { started_on: startedOn } : {}) }, {
      onSuccess: (s) => onSaved(`Service added: ${s.kind} (${s.rate_class}) from ${formatDate(s.started_on)}.`),
    });
  };
  return (
    <Modal opened onClose={onClose} title="Add a service">
      <form onSubmit={submit}>
        <Stack gap="sm">
          <Select label="Service" data={KINDS} value={kind} onChange={setKind} allowDeselect={false} data-autofocus />
          <TextInput label="Rate class" value={rateClass} onChange={(e) => setRateClass(e.currentTarget.value)} required description="RES residential, COM commercial; STD for stormwater" />
          <TextInput label="First day served (YYYY-MM-DD)" value={startedOn} onChange={(e) => setStartedOn(e.currentTarget.value)} />
          {add.error && <Alert color="red" variant="light" role="alert">{errorText(add.error)}</Alert>}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>Cancel</Button>
            <Button type="submit" loading={add.isPending}>Add the service</Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

const UNITS = [{ value: 'ccf', label: 'CCF (100 cubic feet)' }, { value: 'cubic_feet', label: 'Cubic feet' }, { value: 'gallons', label: 'Gallons' }];
const SIZES = ['5/8"', '3/4"', '1"', '1.5"', '2"'];

function MeterDialog({ a, onClose, onSaved }: { a: BillingAccount; onClose: () => void; onSaved: (m: string) => void }) {
  const install = useInstallMeter(a.number!);
  const tz = useCity().data?.time_zone;
  const [serial, setSerial] = useState('');
  const [size, setSize] = useState<string | null>('5/8"');
  const [make, setMake] = useState('');
  const [dials, setDials] = useState<number | string>(5);
  const [unit, setUnit] = useState<string | null>('ccf');
  const [on, setOn] = useState(todayIn(tz));
  const [initial, setInitial] = useState<number | string>(0);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    install.mutate({
      serial: serial.trim(), size: size ?? undefined, make: make.trim() || undefined, dials: Number(dials), multiplier: 1,
      unit: (unit ?? 'ccf') as InstallMeterBody['unit'], ...(on ? { installed_on: on } : {}), initial_read: Number(initial),
    }, { onSuccess: (m) => onSaved(`Meter ${m.serial} installed on ${formatDate(m.installed_on)} reading ${m.initial_read}.`) });
  };
  return (
    <Modal opened onClose={onClose} title="Install a meter">
      <form onSubmit={submit}>
        <Stack gap="sm">
          <TextInput label="Meter serial" value={serial} onChange={(e) => setSerial(e.currentTarget.value)} required data-autofocus />
          <Group grow>
            <Select label="Meter size" data={SIZES} value={size} onChange={setSize} allowDeselect={false} />
            <TextInput label="Make" value={make} onChange={(e) => setMake(e.currentTarget.value)} />
          </Group>
          <Group grow>
            <NumberInput label="Dials" value={dials} onChange={setDials} min={3} max={10} allowDecimal={false} required />
            <Select label="Register unit" data={UNITS} value={unit} onChange={setUnit} allowDeselect={false} />
          </Group>
          <TextInput label="Install date (YYYY-MM-DD)" value={on} onChange={(e) => setOn(e.currentTarget.value)} />
          <NumberInput label="Initial read" value={initial} onChange={setInitial} min={0} allowDecimal={false} required />
          {install.error && <Alert color="red" variant="light" role="alert">{errorText(install.error)}</Alert>}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>Cancel</Button>
            <Button type="submit" loading={install.isPending}>Install the meter</Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function CloseDialog({ a, onClose, onClosed }: { a: BillingAccount; onClose: () => void; onClosed: (r: AccountClose) => void }) {
  const close = useCloseAccount(a.number!);
  const idem = useIdempotencyKey();
  const tz = useCity().data?.time_zone;
  const [on, setOn] = useState(todayIn(tz));
  const [finalBill, setFinalBill] = useState(true);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    close.mutate({ closed_on: on.trim(), final_bill: finalBill, key: idem.key() }, {
      onSuccess: (r) => { idem.reset(); onClosed(r); },
      onError: (err) => idem.settle(err),
    });
  };
  return (
    <Modal opened onClose={onClose} title={`Close account ${a.number}`}>
      <form onSubmit={submit}>
        <Stack gap="sm">
          <Text size="sm">Every service still running stops on the close date (the first day not served), and the account closes. Enter the final read first so the final bill can be issued.</Text>
          <TextInput label="Close date (YYYY-MM-DD)" value={on} onChange={(e) => setOn(e.currentTarget.value)} required data-autofocus />
          <Checkbox label="Issue the final bill now" checked={finalBill} onChange={(e) => setFinalBill(e.currentTarget.checked)} />
          {close.error && <Alert color="red" variant="light" role="alert">{errorText(close.error)}</Alert>}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>Keep the account open</Button>
            <Button type="submit" color="red.8" loading={close.isPending}>Close the account</Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** A closed account whose final bill was refused (no read...): the close repeated bills it now. */
function FinalBillButton({ a, onDone }: { a: BillingAccount; onDone: (r: AccountClose) => void }) {
  const close = useCloseAccount(a.number!);
  const idem = useIdempotencyKey();
  return (
    <Group gap="xs" mt="sm">
      <Button size="compact-sm" variant="default" loading={close.isPending} onClick={() => close.mutate(
        { closed_on: a.closed_on!, final_bill: true, key: idem.key() },
        { onSuccess: (r) => { idem.reset(); onDone(r); }, onError: (err) => idem.settle(err) },
      )}>Issue the final bill</Button>
      {close.error && <Text size="sm" role="alert" c="red.9">{errorText(close.error)}</Text>}
    </Group>
  );
}

function CloseResult({ r }: { r: AccountClose }) {
  const stopped = r.services_stopped ?? [];
  return (
    <Alert mt="sm" color={r.final_bill_error ? 'orange' : 'green'} variant="light" title={`Account closed on ${formatDate(r.account?.closed_on)}`} data-testid="close-result">
      <Text size="sm">{stopped.length ? `Stopped: ${stopped.map((s) => s.kind).join(', ')}.` : 'No service was still running.'}</Text>
      {r.final_bill && (
        <Text size="sm">
          Final bill{' '}
          <Anchor component={Link} to={`/billing/bills/${r.final_bill.id}`} underline="always" c="blue.9">{r.final_bill.id}</Anchor>
          {' '}for {formatDate(r.final_bill.period_from)} to {formatDate(r.final_bill.period_to)}: <Money value={r.final_bill.total ?? '0'} />, due {formatDate(r.final_bill.due_date)}.
        </Text>
      )}
      {r.final_bill_error && (
        <Text size="sm" role="alert">
          The final bill was not issued: {r.final_bill_error.message} ({r.final_bill_error.field?.replace(/_/g, ' ')}). Fix it (for a missing read, enter the final read) and close again on the same date to bill.
        </Text>
      )}
    </Alert>
  );
}
