// Read routes for the handheld devices: download a route (CSV in walk order,
// docs/formats/meter-reads.md) and import the results file back — counts and, for each refused
// line, its line number, field and reason. The same file imported again stores nothing new.
//
// Supervisors (billing.routes) also administer them here: billing cycles and their read schedule
// (read day, every 1–3 months), new routes, and a route's walk — stops in walk order with move
// up / move down / remove, add a stop by account number, and save the order. Moves are local until
// "Save walk order" (the server checks every stop is listed once); a removal or an added stop is
// saved at once. The download link always gives the saved walk.
import { Alert, Anchor, Button, FileInput, Group, Modal, NumberInput, Paper, Select, Stack, Table, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useEffect, useState, type FormEvent } from 'react';
import { Link } from 'react-router-dom';
import { useBillingRoutes, useImportReads, type BillingCycle } from '../../api/billing';
import {
  useAddStop, useCreateCycle, useCreateRoute, useRemoveStop, useReorderStops, useRoute, useUpdateCycle,
  type RouteStop,
} from '../../api/billingRoutes';
import { isApiError } from '../../api/client';
import { useUser } from '../../auth/session';
import { formatDate } from '../../lib/dates';
import { can } from '../../lib/permissions';
import { usePageTitle } from '../../lib/usePageTitle';
import { BillingTabs } from './BillingTabs';

function errorText(e: unknown): string {
  if (isApiError(e)) return e.field ? `${e.message} (field: ${e.field})` : e.message;
  return (e as Error)?.message ?? String(e);
}

const PERIODS = [
  { value: '1', label: 'Every month' },
  { value: '2', label: 'Every 2 months' },
  { value: '3', label: 'Every 3 months' },
];
const periodLabel = (n: number) => PERIODS.find((p) => p.value === String(n))?.label ?? `Every ${n} months`;

export function BillingRoutesPage() {
  usePageTitle('Routes and read imports');
  const user = useUser();
  const mayAdminister = can(user, 'billing.routes');
  const routes = useBillingRoutes();
  const [walkOf, setWalkOf] = useState<string | null>(null);
  const cycles = new Map((routes.data?.cycles ?? []).map((c) => [c.code, c]));

  return (
    <Stack gap="sm">
      <Title order={1} size="h2">Routes and read imports</Title>
      <BillingTabs />
      <Paper withBorder p="sm" component="section" aria-labelledby="routes-h">
        <Title order={2} size="h4" id="routes-h" mb="xs">Routes</Title>
        {routes.error && <Alert color="red" variant="light" role="alert">{routes.error.message}</Alert>}
        <Table withTableBorder striped aria-label="Read routes">
          <Table.Thead>
            <Table.Tr><Table.Th scope="col">Route</Table.Th><Table.Th scope="col">Cycle</Table.Th><Table.Th scope="col">Next read</Table.Th><Table.Th scope="col">Download</Table.Th><Table.Th scope="col">Walk</Table.Th></Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(routes.data?.routes ?? []).map((rt) => (
              <Table.Tr key={rt.code}>
                <Table.Td>{rt.code} · {rt.name}</Table.Td>
                <Table.Td>{cycles.get(rt.cycle)?.name ?? rt.cycle}</Table.Td>
                <Table.Td>{formatDate(cycles.get(rt.cycle)?.next_read_on)}</Table.Td>
                <Table.Td>
                  <Anchor href={`/api/v1/billing/routes/${encodeURIComponent(rt.code)}/export`} download={`route-${rt.code}.csv`} underline="always" size="sm">
                    Download route {rt.code} (CSV)
                  </Anchor>
                </Table.Td>
                <Table.Td>
                  <Button size="compact-sm" variant={walkOf === rt.code ? 'filled' : 'default'} aria-pressed={walkOf === rt.code} onClick={() => setWalkOf(rt.code)}>
                    Stops of route {rt.code}
                  </Button>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        {mayAdminister && <NewRouteForm cycles={routes.data?.cycles ?? []} onCreated={setWalkOf} />}
      </Paper>
      {walkOf && <RouteWalk code={walkOf} mayAdminister={mayAdminister} />}
      <CyclesSection cycles={routes.data?.cycles ?? []} mayAdminister={mayAdminister} />
      <ImportSection />
    </Stack>
  );
}

function NewRouteForm({ cycles, onCreated }: { cycles: BillingCycle[]; onCreated: (code: string) => void }) {
  const create = useCreateRoute();
  const [code, setCode] = useState('');
  const [name, setName] = useState('');
  const [cycle, setCycle] = useState<string | null>(null);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate({ code: code.trim(), name: name.trim(), cycle: cycle ?? '' }, {
      onSuccess: (r) => { setCode(''); setName(''); onCreated(r.code); },
    });
  };
  return (
    <form onSubmit={submit} aria-labelledby="new-route-h">
      <Title order={3} size="h5" id="new-route-h" mt="sm" mb={4}>New route</Title>
      <Group align="flex-end" gap="xs">
        <TextInput label="Route code" value={code} onChange={(e) => setCode(e.currentTarget.value)} w={120} required />
        <TextInput label="Route name" value={name} onChange={(e) => setName(e.currentTarget.value)} w={240} required />
        <Select label="Route cycle" data={cycles.map((c) => ({ value: c.code, label: `${c.code} · ${c.name}` }))} value={cycle} onChange={setCycle} w={280} required allowDeselect={false} />
        <Button type="submit" loading={create.isPending}>Create route</Button>
      </Group>
      <div aria-live="polite">
        {create.error && <Alert mt="xs" color="red" variant="light" role="alert">{errorText(create.error)}</Alert>}
      </div>
    </form>
  );
}

function RouteWalk({ code, mayAdminister }: { code: string; mayAdminister: boolean }) {
  const route = useRoute(code);
  const reorder = useReorderStops(code);
  const remove = useRemoveStop(code);
  const add = useAddStop(code);
  // The walk being edited (premise ids) — null while it matches the saved walk.
  const [order, setOrder] = useState<number[] | null>(null);
  const [status, setStatus] = useState('');
  const [focus, setFocus] = useState<string | null>(null);
  const [account, setAccount] = useState<number | string>('');
  const [position, setPosition] = useState<number | string>('');

  // Another route chosen: start from its saved walk (the mutations' answers were the old route's).
  useEffect(() => { setOrder(null); setStatus(''); reorder.reset(); remove.reset(); add.reset(); }, [code]);
  // A moved row is re-inserted in the table, which drops the focus: put it back on its button
  // (after a removal: on the next stop's Remove, or the account number box when none is left).
  useEffect(() => {
    if (!focus) return;
    const el = document.getElementById(focus);
    if (!el) return;  // not rendered yet (the walk is still loading)
    el.focus();
    setFocus(null);
  }, [focus, order, route.data]);

  const saved = route.data?.stops ?? [];
  const byPremise = new Map(saved.map((s) => [s.premise_id, s]));
  const stops: RouteStop[] = order ? order.map((id) => byPremise.get(id)).filter((s): s is RouteStop => !!s) : saved;
  const changed = order !== null;
  const label = (s: RouteStop) => `${s.service_address}${s.account_number ? ` (account ${s.account_number})` : ''}`;

  const move = (i: number, by: -1 | 1) => {
    const ids = stops.map((s) => s.premise_id);
    const j = i + by;
    [ids[i], ids[j]] = [ids[j], ids[i]];
    setOrder(ids);
    const s = stops[i];
    setStatus(`Moved ${label(s)} to position ${j + 1} of ${ids.length}. Save the walk order to keep it.`);
    const edge = j === 0 ? 'down' : j === ids.length - 1 ? 'up' : by === -1 ? 'up' : 'down';
    setFocus(`stop-${edge}-${s.premise_id}`);
  };
  const save = () => {
    if (!order) return;
    reorder.mutate(order, { onSuccess: () => { setOrder(null); setStatus(`Walk order of route ${code} saved.`); } });
  };
  const drop = (s: RouteStop) => {
    const i = stops.findIndex((x) => x.premise_id === s.premise_id);
    const next = stops[i + 1] ?? stops[i - 1];
    remove.mutate(s.premise_id, {
      onSuccess: () => {
        setFocus(next ? `stop-remove-${next.premise_id}` : `add-stop-account-${code}`);
        setOrder((o) => (o ? o.filter((id) => id !== s.premise_id) : null));
        setStatus(`Removed ${label(s)} from route ${code}.`);
      },
    });
  };
  const addStop = (e: FormEvent) => {
    e.preventDefault();
    const n = Number(account);
    add.mutate({ account_number: n, ...(position !== '' ? { position: Number(position) } : {}) }, {
      onSuccess: () => { setOrder(null); setAccount(''); setPosition(''); setStatus(`Added account ${n} to route ${code}.`); },
    });
  };

  return (
    <Paper withBorder p="sm" component="section" aria-labelledby="walk-h">
      <Title order={2} size="h4" id="walk-h" mb="xs">Walk of route {code}{route.data ? ` · ${route.data.name} (cycle ${route.data.cycle})` : ''}</Title>
      {route.error && <Alert color="red" variant="light" role="alert">{errorText(route.error)}</Alert>}
      {route.data && stops.length === 0 && <Text size="sm">No stops on this route yet.</Text>}
      {stops.length > 0 && (
        <Table withTableBorder striped aria-label={`Stops of route ${code} in walk order`}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">Position</Table.Th><Table.Th scope="col">Account</Table.Th><Table.Th scope="col">Customer</Table.Th><Table.Th scope="col">Service address</Table.Th>
              {mayAdminister && <Table.Th scope="col">Change</Table.Th>}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {stops.map((s, i) => (
              <Table.Tr key={s.premise_id}>
                <Table.Td>{i + 1}</Table.Td>
                <Table.Td>{s.account_number ? <Anchor component={Link} to={`/billing/accounts/${s.account_number}`} size="sm">{s.account_number}</Anchor> : 'No active account'}</Table.Td>
                <Table.Td>{s.party_name ?? ''}</Table.Td>
                <Table.Td>{s.service_address}</Table.Td>
                {mayAdminister && (
                  <Table.Td>
                    <Group gap={4} wrap="nowrap">
                      <Button id={`stop-up-${s.premise_id}`} size="compact-sm" variant="default" disabled={i === 0} onClick={() => move(i, -1)} aria-label={`Move ${label(s)} up`}>Move up</Button>
                      <Button id={`stop-down-${s.premise_id}`} size="compact-sm" variant="default" disabled={i === stops.length - 1} onClick={() => move(i, 1)} aria-label={`Move ${label(s)} down`}>Move down</Button>
                      <Button id={`stop-remove-${s.premise_id}`} size="compact-sm" variant="default" color="red" loading={remove.isPending && remove.variables === s.premise_id} onClick={() => drop(s)} aria-label={`Remove ${label(s)} from the route`}>Remove</Button>
                    </Group>
                  </Table.Td>
                )}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {mayAdminister && (
        <Group mt="xs" gap="xs">
          <Button onClick={save} disabled={!changed} loading={reorder.isPending}>Save walk order</Button>
          <Button variant="default" onClick={() => { setOrder(null); setStatus('Changes to the walk order undone.'); }} disabled={!changed}>Undo changes</Button>
          {changed && <Text size="sm" fw={700}>The walk order has unsaved changes.</Text>}
        </Group>
      )}
      <div aria-live="polite">
        {status && <Text size="sm" mt="xs" data-testid="walk-status">{status}</Text>}
        {reorder.error && <Alert mt="xs" color="red" variant="light" role="alert" title="The walk order was not saved">{errorText(reorder.error)}</Alert>}
        {remove.error && <Alert mt="xs" color="red" variant="light" role="alert" title="The stop was not removed">{errorText(remove.error)}</Alert>}
      </div>
      {mayAdminister && (
        <form onSubmit={addStop} aria-labelledby="add-stop-h">
          <Title order={3} size="h5" id="add-stop-h" mt="sm" mb={4}>Add a stop</Title>
          <Group align="flex-end" gap="xs">
            <NumberInput id={`add-stop-account-${code}`} label="Account number" value={account} onChange={setAccount} allowDecimal={false} allowNegative={false} hideControls w={160} required />
            <NumberInput label="At position (empty = last)" value={position} onChange={setPosition} allowDecimal={false} allowNegative={false} min={1} hideControls w={200} />
            <Button type="submit" loading={add.isPending} disabled={account === '' || changed}>Add stop</Button>
          </Group>
          {changed && <Text size="xs" mt={4}>Save or undo the walk order before adding a stop.</Text>}
          <div aria-live="polite">
            {add.error && <Alert mt="xs" color="red" variant="light" role="alert" title="The stop was not added">{errorText(add.error)}</Alert>}
          </div>
        </form>
      )}
    </Paper>
  );
}

function CyclesSection({ cycles, mayAdminister }: { cycles: BillingCycle[]; mayAdminister: boolean }) {
  const create = useCreateCycle();
  const update = useUpdateCycle();
  const [code, setCode] = useState('');
  const [name, setName] = useState('');
  const [readDay, setReadDay] = useState<number | string>(1);
  const [period, setPeriod] = useState<string | null>('1');
  const [editing, setEditing] = useState<BillingCycle | null>(null);
  const [editDay, setEditDay] = useState<number | string>(1);
  const [editPeriod, setEditPeriod] = useState<string | null>('1');

  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate({ code: code.trim(), name: name.trim(), read_day: Number(readDay), period_months: Number(period ?? 1) }, {
      onSuccess: () => { setCode(''); setName(''); setReadDay(1); setPeriod('1'); },
    });
  };
  const openEdit = (c: BillingCycle) => {
    setEditing(c);
    setEditDay(c.read_day);
    setEditPeriod(String(c.period_months));
    update.reset();
  };
  const submitEdit = (e: FormEvent) => {
    e.preventDefault();
    if (!editing) return;
    update.mutate({ code: editing.code, name: editing.name, read_day: Number(editDay), period_months: Number(editPeriod ?? 1) }, {
      onSuccess: () => setEditing(null),
    });
  };

  return (
    <Paper withBorder p="sm" component="section" aria-labelledby="cycles-h">
      <Title order={2} size="h4" id="cycles-h" mb="xs">Billing cycles</Title>
      <Text size="sm" mb="xs">A cycle's meters are read on its read day, every one to three months counted from January; its bill run bills the period between two reads.</Text>
      <Table withTableBorder striped aria-label="Billing cycles">
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">Cycle</Table.Th><Table.Th scope="col">Read day</Table.Th><Table.Th scope="col">Read</Table.Th><Table.Th scope="col">Next read</Table.Th>
            {mayAdminister && <Table.Th scope="col">Change</Table.Th>}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {cycles.map((c) => (
            <Table.Tr key={c.code}>
              <Table.Td>{c.code} · {c.name}</Table.Td>
              <Table.Td>{c.read_day}</Table.Td>
              <Table.Td>{periodLabel(c.period_months)}</Table.Td>
              <Table.Td>{formatDate(c.next_read_on)}</Table.Td>
              {mayAdminister && (
                <Table.Td><Button size="compact-sm" variant="default" onClick={() => openEdit(c)}>Change schedule of {c.code}</Button></Table.Td>
              )}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {mayAdminister && (
        <form onSubmit={submit} aria-labelledby="new-cycle-h">
          <Title order={3} size="h5" id="new-cycle-h" mt="sm" mb={4}>New cycle</Title>
          <Group align="flex-end" gap="xs">
            <TextInput label="Cycle code" value={code} onChange={(e) => setCode(e.currentTarget.value)} w={120} required />
            <TextInput label="Cycle name" value={name} onChange={(e) => setName(e.currentTarget.value)} w={280} required />
            <NumberInput label="Read day (1–28)" value={readDay} onChange={setReadDay} min={1} max={28} allowDecimal={false} w={140} required />
            <Select label="Read every" data={PERIODS} value={period} onChange={setPeriod} w={170} allowDeselect={false} />
            <Button type="submit" loading={create.isPending}>Create cycle</Button>
          </Group>
          <div aria-live="polite">
            {create.error && <Alert mt="xs" color="red" variant="light" role="alert">{errorText(create.error)}</Alert>}
          </div>
        </form>
      )}
      <Modal opened={editing !== null} onClose={() => setEditing(null)} title={`Read schedule of cycle ${editing?.code ?? ''}`}>
        <form onSubmit={submitEdit}>
          <Stack gap="sm">
            <Text size="sm">The next reads and bill periods of every account in the cycle follow the new schedule.</Text>
            <NumberInput label="Read day (1–28)" value={editDay} onChange={setEditDay} min={1} max={28} allowDecimal={false} data-autofocus required />
            <Select label="Read every" data={PERIODS} value={editPeriod} onChange={setEditPeriod} allowDeselect={false} />
            {update.error && <Alert color="red" variant="light" role="alert">{errorText(update.error)}</Alert>}
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setEditing(null)}>Cancel</Button>
              <Button type="submit" loading={update.isPending}>Save schedule</Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </Paper>
  );
}

function ImportSection() {
  const imp = useImportReads();
  const [content, setContent] = useState('');
  const [file, setFile] = useState<File | null>(null);

  const onFile = async (f: File | null) => {
    setFile(f);
    if (f) setContent(await f.text());
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    imp.mutate(content);
  };
  const r = imp.data;
  return (
    <Paper withBorder p="sm" component="section" aria-labelledby="import-h">
      <Title order={2} size="h4" id="import-h" mb="xs">Import route results</Title>
      <form onSubmit={submit}>
        <Stack gap="xs">
          <FileInput label="Results file from the handheld" placeholder="Choose a file" value={file} onChange={(f) => void onFile(f)} accept=".csv,.txt,text/csv,text/plain" clearable w={360} />
          <Textarea label="Or paste the file" value={content} onChange={(e) => setContent(e.currentTarget.value)} autosize minRows={4} maxRows={14} styles={{ input: { fontFamily: 'monospace' } }} />
          <Group><Button type="submit" loading={imp.isPending} disabled={!content.trim()}>Import the reads</Button></Group>
        </Stack>
      </form>
      <div aria-live="polite">
        {imp.error && <Alert mt="sm" color="red" variant="light" role="alert" title="The file was not imported">{isApiError(imp.error) && imp.error.field ? `${imp.error.message} (field: ${imp.error.field})` : imp.error.message}</Alert>}
        {r && (
          <Stack gap={4} mt="sm" data-testid="import-result">
            <Text size="sm" fw={700}>
              {r.rows} rows: {r.accepted} accepted, {r.exceptions} sent to the exception queue, {r.skipped} already stored, {r.unread} not read, {r.refused_count} refused.
            </Text>
            {(r.refused ?? []).length > 0 && (
              <Table withTableBorder striped aria-label="Refused lines">
                <Table.Thead><Table.Tr><Table.Th scope="col">Line</Table.Th><Table.Th scope="col">Field</Table.Th><Table.Th scope="col">Reason</Table.Th></Table.Tr></Table.Thead>
                <Table.Tbody>
                  {(r.refused ?? []).map((x, i) => (
                    <Table.Tr key={i}><Table.Td>{x.line}</Table.Td><Table.Td>{x.field}</Table.Td><Table.Td>{x.message}</Table.Td></Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            )}
          </Stack>
        )}
      </div>
    </Paper>
  );
}
