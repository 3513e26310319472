// One utility account as a CSR sees it on a call: who and where, the flags that change what may be
// done (cash-only, no-shutoff, landlord — as words, not colour), services, meters with their
// install history, carts, the reads and a year of usage, and entering a read by hand with the read
// checks' answer shown where it was entered (accepted, or sent to the exception queue and why).
import { Alert, Anchor, Badge, Button, Center, Group, Loader, Modal, NumberInput, Paper, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useMemo, useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router-dom';
import {
  useAccountBills, useAccountReads, useBillingAccount, useEnterRead, useExchangeMeter, useStopService,
  type BillingAccount, type BillingRead, type ReadEntryResult,
} from '../../api/billing';
import { isApiError } from '../../api/client';
import { useCity } from '../../api/queries';
import { useUser } from '../../auth/session';
import { EChart, type EChartOption } from '../../components/EChart';
import { Money } from '../../components/Money';
import { formatDate, todayIn } from '../../lib/dates';
import { can } from '../../lib/permissions';
import { usePageTitle } from '../../lib/usePageTitle';
import { BillingTabs } from './BillingTabs';
import { AccountNotices } from '../../components/billing/AccountNotices';
import { WhatIfPanel } from './WhatIf';
import { AccountMaintenance } from './AccountMaintenance';
import { AccountCarts } from './AccountCarts';

const KIND_LABEL: Record<string, string> = { water: 'Water', sewer: 'Sewer', refuse: 'Refuse', stormwater: 'Stormwater' };

function errorText(e: unknown): string {
  if (isApiError(e)) return e.field ? `${e.message} (field: ${e.field})` : e.message;
  return (e as Error)?.message ?? String(e);
}

export function BillingAccountPage() {
  const number = Number(useParams().number);
  const user = useUser();
  usePageTitle(`Utility account ${number}`);
  const acct = useBillingAccount(number);
  const reads = useAccountReads(number, 24);

  if (acct.isLoading) return <Center p="md"><Loader aria-label="Loading the account" /></Center>;
  if (acct.error || !acct.data) {
    return (
      <Stack gap="sm">
        <Title order={1} size="h2">Utility account {number}</Title>
        <BillingTabs />
        <Alert color="red" variant="light" role="alert" title="Could not load the account">{acct.error?.message ?? 'Not found'}</Alert>
      </Stack>
    );
  }
  const a = acct.data;
  return (
    <Stack gap="sm">
      <Title order={1} size="h2">Utility account {a.number}</Title>
      <BillingTabs />
      <AccountHeader a={a} />
      <AccountMaintenance a={a} />
      <ServicesSection a={a} canWrite={can(user, 'billing.write')} />
      <MetersSection a={a} canWrite={can(user, 'billing.write')} />
      {can(user, 'billing.reads') && <EnterReadSection a={a} />}
      <UsageSection reads={reads.data?.items ?? a.recent_reads ?? []} loading={reads.isLoading} error={reads.error} />
      <BillsSection number={a.number!} />
      <AccountNotices number={a.number!} />
      <WhatIfPanel accountNumber={a.number!} />
    </Stack>
  );
}

function AccountHeader({ a }: { a: BillingAccount }) {
  const flags = a.flags ?? {};
  return (
    <Paper withBorder p="sm" component="section" aria-labelledby="acct-h">
      <Title order={2} size="h4" id="acct-h" mb="xs">Customer and premise</Title>
      <SimpleGrid cols={{ base: 1, md: 3 }}>
        <Stack gap={2}>
          <Text size="sm" fw={700}>Customer</Text>
          <Anchor component={Link} to={`/parties/${a.party_id}`} underline="always" size="sm">{a.party_name}</Anchor>
          <Text size="sm">Status: {a.status}{a.closed_on ? ` (closed ${formatDate(a.closed_on)})` : ''}, opened {formatDate(a.opened_on)}</Text>
          <Group gap={4} aria-label="Account flags">
            {flags.cash_only && <Badge color="dark" variant="filled">Cash only</Badge>}
            {flags.no_shutoff && <Badge color="red.9" variant="filled">No shutoff (medical)</Badge>}
            {flags.landlord && <Badge color="blue.9" variant="filled">Landlord</Badge>}
            {!flags.cash_only && !flags.no_shutoff && !flags.landlord && <Text size="xs">No flags</Text>}
          </Group>
        </Stack>
        <Stack gap={2}>
          <Text size="sm" fw={700}>Service address</Text>
          <Text size="sm" data-testid="service-address">{a.premise?.address}</Text>
          <Text size="sm">Premise: {a.premise?.premise_type?.replace('_', ' ')}{a.premise?.parcel_number ? `, parcel ${a.premise.parcel_number}` : ''}</Text>
          {a.mailing && <Text size="sm">Mail to: {[a.mailing.line1, a.mailing.line2, a.mailing.city, a.mailing.state, a.mailing.postal_code].filter(Boolean).join(', ')}</Text>}
        </Stack>
        <Stack gap={2}>
          <Text size="sm" fw={700}>Cycle and route</Text>
          <Text size="sm">Cycle {a.cycle}, route {a.route ?? 'none'}{a.route ? ` (stop ${a.route_sequence})` : ''}</Text>
          <Group gap={4}><Text size="sm">Deposit:</Text><Text size="sm"><Money value={a.deposit ?? '0'} /></Text></Group>
          <Text size="sm">
            Average use: {a.average_daily_use?.ccf_per_day ? `${a.average_daily_use.ccf_per_day} CCF/day over ${a.average_daily_use.days} days` : 'not enough reads yet'}
          </Text>
        </Stack>
      </SimpleGrid>
    </Paper>
  );
}

function ServicesSection({ a, canWrite }: { a: BillingAccount; canWrite: boolean }) {
  const stop = useStopService(a.number!);
  const [stopping, setStopping] = useState<{ id: number; kind: string } | null>(null);
  const [stoppedOn, setStoppedOn] = useState('');
  const tz = useCity().data?.time_zone;
  return (
    <Paper withBorder p="sm" component="section" aria-labelledby="services-h">
      <Title order={2} size="h4" id="services-h" mb="xs">Services</Title>
      <Table withTableBorder striped aria-label="Services">
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">Service</Table.Th>
            <Table.Th scope="col">Rate class</Table.Th>
            <Table.Th scope="col">Started</Table.Th>
            <Table.Th scope="col">Stopped</Table.Th>
            <Table.Th scope="col">Served today</Table.Th>
            {canWrite && <Table.Th scope="col">Action</Table.Th>}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {(a.services ?? []).map((s) => (
            <Table.Tr key={s.id}>
              <Table.Td>{KIND_LABEL[s.kind ?? ''] ?? s.kind}</Table.Td>
              <Table.Td>{s.rate_class}</Table.Td>
              <Table.Td>{formatDate(s.started_on)}</Table.Td>
              <Table.Td>{formatDate(s.stopped_on)}</Table.Td>
              <Table.Td>{s.active ? 'Yes' : 'No'}</Table.Td>
              {canWrite && (
                <Table.Td>
                  {!s.stopped_on && (
                    <Button size="compact-sm" variant="default" onClick={() => { setStopping({ id: s.id!, kind: s.kind! }); setStoppedOn(todayIn(tz)); stop.reset(); }}>
                      Stop {KIND_LABEL[s.kind ?? ''] ?? s.kind}
                    </Button>
                  )}
                </Table.Td>
              )}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <AccountCarts a={a} canWrite={canWrite} />
      <Modal opened={stopping !== null} onClose={() => setStopping(null)} title={`Stop ${stopping ? KIND_LABEL[stopping.kind] ?? stopping.kind : ''} service`}>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (!stopping) return;
            stop.mutate({ id: stopping.id, stopped_on: stoppedOn || undefined }, { onSuccess: () => setStopping(null) });
          }}
        >
          <Stack gap="sm">
            <Text size="sm">The other services and the account go on. The stop date is the first day not served.</Text>
            <TextInput label="First day not served (YYYY-MM-DD)" value={stoppedOn} onChange={(e) => setStoppedOn(e.currentTarget.value)} data-autofocus />
            {stop.error && <Alert color="red" variant="light" role="alert">{errorText(stop.error)}</Alert>}
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setStopping(null)}>Cancel</Button>
              <Button type="submit" loading={stop.isPending}>Stop the service</Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </Paper>
  );
}

function MetersSection({ a, canWrite }: { a: BillingAccount; canWrite: boolean }) {
  const [open, setOpen] = useState(false);
  const meters = a.meters ?? [];
  return (
    <Paper withBorder p="sm" component="section" aria-labelledby="meters-h">
      <Group justify="space-between" mb="xs">
        <Title order={2} size="h4" id="meters-h">Meters</Title>
        {canWrite && meters.some((m) => m.current) && <Button size="compact-sm" variant="default" onClick={() => setOpen(true)}>Exchange meter</Button>}
      </Group>
      {meters.length === 0 ? <Text size="sm">No meter installed.</Text> : (
        <Table withTableBorder striped aria-label="Meters and install history">
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">Serial</Table.Th>
              <Table.Th scope="col">Size · make</Table.Th>
              <Table.Th scope="col">Dials · unit</Table.Th>
              <Table.Th scope="col">Installed</Table.Th>
              <Table.Th scope="col" style={{ textAlign: 'right' }}>Initial read</Table.Th>
              <Table.Th scope="col">Removed</Table.Th>
              <Table.Th scope="col" style={{ textAlign: 'right' }}>Final read</Table.Th>
              <Table.Th scope="col">In service</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {meters.map((m) => (
              <Table.Tr key={m.install_id}>
                <Table.Td>{m.serial}</Table.Td>
                <Table.Td>{[m.size, m.make].filter(Boolean).join(' · ') || '—'}</Table.Td>
                <Table.Td>{m.dials} · {m.unit}{m.multiplier && m.multiplier !== 1 ? ` ×${m.multiplier}` : ''}</Table.Td>
                <Table.Td>{formatDate(m.installed_on)}</Table.Td>
                <Table.Td className="num" style={{ textAlign: 'right' }}>{m.initial_read}</Table.Td>
                <Table.Td>{formatDate(m.removed_on)}</Table.Td>
                <Table.Td className="num" style={{ textAlign: 'right' }}>{m.final_read ?? '—'}</Table.Td>
                <Table.Td>{m.current ? 'Current' : 'Removed'}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {open && <ExchangeDialog a={a} onClose={() => setOpen(false)} />}
    </Paper>
  );
}

function ExchangeDialog({ a, onClose }: { a: BillingAccount; onClose: () => void }) {
  const ex = useExchangeMeter(a.number!);
  const tz = useCity().data?.time_zone;
  const current = (a.meters ?? []).find((m) => m.current);
  const [on, setOn] = useState(todayIn(tz));
  const [finalRead, setFinalRead] = useState<number | string>('');
  const [serial, setSerial] = useState('');
  const [dials, setDials] = useState<number | string>(current?.dials ?? 5);
  const [initial, setInitial] = useState<number | string>(0);
  return (
    <Modal opened onClose={onClose} title={`Exchange meter ${current?.serial ?? ''}`}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          ex.mutate(
            {
              old_serial: current?.serial,
              exchanged_on: on || undefined,
              final_read: Number(finalRead),
              initial_read: Number(initial),
              new_meter: { serial: serial.trim(), dials: Number(dials), unit: current?.unit ?? 'ccf', size: current?.size, multiplier: current?.multiplier ?? 1 },
            },
            { onSuccess: onClose },
          );
        }}
      >
        <Stack gap="sm">
          <TextInput label="Exchange date (YYYY-MM-DD)" value={on} onChange={(e) => setOn(e.currentTarget.value)} data-autofocus />
          <NumberInput label={`Final read of ${current?.serial ?? 'the old meter'}`} value={finalRead} onChange={setFinalRead} min={0} allowDecimal={false} required />
          <TextInput label="New meter serial" value={serial} onChange={(e) => setSerial(e.currentTarget.value)} required />
          <NumberInput label="New meter dials" value={dials} onChange={setDials} min={3} max={10} allowDecimal={false} required />
          <NumberInput label="New meter initial read" value={initial} onChange={setInitial} min={0} allowDecimal={false} required />
          {ex.error && <Alert color="red" variant="light" role="alert">{errorText(ex.error)}</Alert>}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>Cancel</Button>
            <Button type="submit" loading={ex.isPending}>Exchange</Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function EnterReadSection({ a }: { a: BillingAccount }) {
  const enter = useEnterRead(a.number!);
  const tz = useCity().data?.time_zone;
  const [value, setValue] = useState<number | string>('');
  const [on, setOn] = useState(todayIn(tz));
  const [reader, setReader] = useState('');
  const [note, setNote] = useState('');
  const [result, setResult] = useState<ReadEntryResult | null>(null);
  const current = (a.meters ?? []).filter((m) => m.current);
  const [serial, setSerial] = useState('');

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setResult(null);
    enter.mutate(
      { value: Number(value), read_on: on || undefined, meter_serial: serial.trim() || undefined, reader: reader.trim() || undefined, note: note.trim() || undefined },
      { onSuccess: (r) => { setResult(r); setValue(''); } },
    );
  };

  if (current.length === 0) return null;
  return (
    <Paper withBorder p="sm" component="section" aria-labelledby="enter-read-h">
      <Title order={2} size="h4" id="enter-read-h" mb="xs">Enter a read</Title>
      <form onSubmit={submit}>
        <Group align="flex-end" wrap="wrap">
          <NumberInput label="Register reading" value={value} onChange={setValue} min={0} allowDecimal={false} required w={170} />
          <TextInput label="Read on (YYYY-MM-DD)" value={on} onChange={(e) => setOn(e.currentTarget.value)} w={170} />
          {current.length > 1 && <TextInput label="Meter serial" value={serial} onChange={(e) => setSerial(e.currentTarget.value)} w={150} />}
          <TextInput label="Reader" value={reader} onChange={(e) => setReader(e.currentTarget.value)} w={150} />
          <TextInput label="Note" value={note} onChange={(e) => setNote(e.currentTarget.value)} w={220} />
          <Button type="submit" loading={enter.isPending}>Save the read</Button>
        </Group>
      </form>
      <Text size="xs" mt={4}>Meter {current.map((m) => m.serial).join(', ')}: the read is checked against the account&apos;s average use.</Text>
      <div aria-live="polite">
        {enter.error && <Alert mt="sm" color="red" variant="light" role="alert" title="The read was not stored">{errorText(enter.error)}</Alert>}
        {result && !result.exception && (
          <Alert mt="sm" color="green" variant="light" title="Read accepted" data-testid="read-result">
            {result.read?.value} on {formatDate(result.read?.read_on)}: {result.read?.usage_ccf} CCF over {result.read?.days} days. Accepted.
          </Alert>
        )}
        {result?.exception && (
          <Alert mt="sm" color="orange" variant="light" title="Sent to the read exception queue" data-testid="read-result">
            <Text size="sm">{result.read?.value} on {formatDate(result.read?.read_on)}: {result.exception.message}</Text>
            <Text size="sm">Reason: {result.exception.code?.replace(/_/g, ' ')}. A CSR III resolves it in the{' '}
              <Anchor component={Link} to="/billing/read-exceptions" underline="always" c="blue.9">read exception queue</Anchor>.
            </Text>
          </Alert>
        )}
      </div>
    </Paper>
  );
}

function UsageSection({ reads, loading, error }: { reads: BillingRead[]; loading: boolean; error: Error | null }) {
  // A period is an accepted read with days; newest 12, shown oldest first.
  const periods = useMemo(
    () => reads.filter((r) => r.status === 'accepted' && (r.days ?? 0) > 0).slice(0, 12).reverse(),
    [reads],
  );
  const option = useMemo<EChartOption>(() => ({
    // Our own label (with the table below) describes the chart; ECharts' generated one would replace it.
    aria: { enabled: false },
    tooltip: { trigger: 'axis' },
    grid: { left: 48, right: 16, top: 24, bottom: 32 },
    xAxis: { type: 'category', data: periods.map((r) => formatDate(r.read_on) + (r.kind === 'estimated' ? ' (E)' : '')) },
    yAxis: { type: 'value', name: 'CCF' },
    series: [{
      type: 'bar',
      name: 'Usage (CCF)',
      data: periods.map((r) => ({
        value: Number(r.usage_ccf ?? 0),
        itemStyle: r.kind === 'estimated' ? { color: '#ffffff', borderColor: '#1c7ed6', borderWidth: 2, borderType: 'dashed' } : { color: '#1c7ed6' },
      })),
    }],
  }), [periods]);

  return (
    <Paper withBorder p="sm" component="section" aria-labelledby="reads-h">
      <Title order={2} size="h4" id="reads-h" mb="xs">Reads and usage</Title>
      {loading && <Loader aria-label="Loading reads" />}
      {error && <Alert color="red" variant="light" role="alert">{error.message}</Alert>}
      {periods.length > 0 && (
        <EChart option={option} height={220} label={`Usage for the last ${periods.length} periods in CCF; estimated periods are outlined and marked E. The reads table below has the figures.`} />
      )}
      <Table withTableBorder striped aria-label="Reads" mt="xs">
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">Read on</Table.Th>
            <Table.Th scope="col">Meter</Table.Th>
            <Table.Th scope="col" style={{ textAlign: 'right' }}>Read</Table.Th>
            <Table.Th scope="col" style={{ textAlign: 'right' }}>Usage (CCF)</Table.Th>
            <Table.Th scope="col" style={{ textAlign: 'right' }}>Days</Table.Th>
            <Table.Th scope="col">Kind</Table.Th>
            <Table.Th scope="col">Source</Table.Th>
            <Table.Th scope="col">Status</Table.Th>
            <Table.Th scope="col">Check</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {reads.map((r) => (
            <Table.Tr key={r.id}>
              <Table.Td>{formatDate(r.read_on)}</Table.Td>
              <Table.Td>{r.meter_serial}</Table.Td>
              <Table.Td className="num" style={{ textAlign: 'right' }}>{r.value}</Table.Td>
              <Table.Td className="num" style={{ textAlign: 'right' }}>{r.usage_ccf}</Table.Td>
              <Table.Td className="num" style={{ textAlign: 'right' }}>{r.days}</Table.Td>
              <Table.Td>{r.kind}{r.true_up ? ' (true-up)' : ''}</Table.Td>
              <Table.Td>{r.source}</Table.Td>
              <Table.Td>{r.status}</Table.Td>
              <Table.Td>{r.check === 'ok' ? 'ok' : r.check?.replace(/_/g, ' ')}</Table.Td>
            </Table.Tr>
          ))}
          {reads.length === 0 && <Table.Tr><Table.Td colSpan={9}>No reads yet.</Table.Td></Table.Tr>}
        </Table.Tbody>
      </Table>
    </Paper>
  );
}

function BillsSection({ number }: { number: number }) {
  const q = useAccountBills(number);
  const bills = q.data?.bills ?? [];
  return (
    <Paper withBorder p="sm" component="section" aria-labelledby="bills-h">
      <Title order={2} size="h4" id="bills-h" mb="xs">Bills</Title>
      {q.error && <Alert color="red" variant="light" role="alert">{q.error.message}</Alert>}
      {q.data && bills.length === 0 && <Text size="sm">No bill yet.</Text>}
      {bills.length > 0 && (
        <Table withTableBorder striped aria-label="Bills">
          <Table.Thead>
            <Table.Tr><Table.Th scope="col">Bill</Table.Th><Table.Th scope="col">Period</Table.Th><Table.Th scope="col">Billed</Table.Th><Table.Th scope="col">Due</Table.Th><Table.Th scope="col">Kind</Table.Th><Table.Th scope="col">Status</Table.Th><Table.Th scope="col" style={{ textAlign: 'right' }}>Total</Table.Th></Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {bills.map((b) => (
              <Table.Tr key={b.id}>
                <Table.Td><Anchor component={Link} to={`/billing/bills/${b.id}`} underline="always" size="sm" aria-label={`Open bill ${b.id}`}>{b.id}</Anchor></Table.Td>
                <Table.Td>{formatDate(b.period_from)} to {formatDate(b.period_to)}</Table.Td>
                <Table.Td>{formatDate(b.bill_date)}</Table.Td>
                <Table.Td>{formatDate(b.due_date)}</Table.Td>
                <Table.Td>{b.kind}{b.estimated ? ' (estimated)' : ''}</Table.Td>
                <Table.Td>{b.status}</Table.Td>
                <Table.Td><Money value={b.total ?? '0'} /></Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Paper>
  );
}
