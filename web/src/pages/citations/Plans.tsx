// Indigent payment plans (VC 40220): enrol a plate's owed citations (eligibility attested, the
// number of months, the installments shown before saving), the plan page (installments, paid,
// next due, status), and the list of plans.
import { Alert, Anchor, Badge, Button, Center, Checkbox, Group, Loader, NativeSelect, NumberInput, Paper, SegmentedControl, SimpleGrid, Stack, Table, Text, TextInput, Textarea, Title } from '@mantine/core';
import { useMemo, useState } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { isApiError } from '../../api/client';
import { statusWords, useCitation, usePlateCitations, type Citation } from '../../api/citations';
import { useEnrolPlan, usePlan, usePlans, type CitationPlan } from '../../api/notices';
import { CitationTabs } from '../../components/citations/CitationTabs';
import { RefusalAlert } from '../../components/ledger/common';
import { Money } from '../../components/Money';
import { formatDate } from '../../lib/dates';
import { useIdempotencyKey } from '../../lib/ledger';
import { centsToDecimal, formatMoney, toCents } from '../../lib/money';
import { usePageTitle } from '../../lib/usePageTitle';
import { splitCents } from './planSchedule';

const PLAN_STATUS: Record<string, { label: string; color: string }> = {
  active: { label: 'Active', color: 'blue' },
  kept: { label: 'Kept (paid in full)', color: 'green' },
  defaulted: { label: 'Defaulted', color: 'red' },
};
// A citation in one of these may join a plan (the server decides; this only preselects).
const CLOSED_OR_CONTESTED = ['paid', 'dismissed', 'written_off', 'void', 'on_plan', 'review_requested', 'hearing_requested', 'hearing_scheduled', 'court_appeal', 'collections'];

function PlanStatus({ s }: { s?: string }) {
  const p = PLAN_STATUS[s ?? ''] ?? { label: s ?? '', color: 'gray' };
  return <Badge variant="light" color={p.color} data-testid="plan-status">{p.label}</Badge>;
}

export function PlansPage() {
  usePageTitle('Payment plans');
  const [params, setParams] = useSearchParams();
  const status = params.get('status') ?? '';
  const plans = usePlans(status);
  const items = plans.data?.items ?? [];
  return (
    <Stack gap="sm">
      <Title order={1} size="h2">Payment plans</Title>
      <CitationTabs />
      <Group justify="space-between">
        <SegmentedControl aria-label="Which plans" value={status || 'all'} onChange={(v) => setParams(v === 'all' ? {} : { status: v })}
          data={[{ value: 'all', label: 'All' }, { value: 'active', label: 'Active' }, { value: 'kept', label: 'Kept' }, { value: 'defaulted', label: 'Defaulted' }]} />
        <Text size="sm">Enrol from a plate&rsquo;s lookup or a citation page.</Text>
      </Group>
      {plans.error && <Alert color="red" variant="light" role="alert" title="Could not load the plans">{plans.error.message}</Alert>}
      {plans.data && (items.length === 0 ? <Text size="sm">No plan.</Text> : (
        <Table withTableBorder striped aria-label="Payment plans">
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">Plan</Table.Th><Table.Th scope="col">Plate</Table.Th><Table.Th scope="col">Status</Table.Th><Table.Th scope="col">Enrolled</Table.Th>
              <Table.Th scope="col" style={{ textAlign: 'right' }}>Total</Table.Th><Table.Th scope="col" style={{ textAlign: 'right' }}>Balance</Table.Th><Table.Th scope="col">Next due</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((p) => (
              <Table.Tr key={p.id}>
                <Table.Td><Anchor component={Link} to={`/citations/plans/${p.id}`} size="sm" underline="always">Plan {p.id}</Anchor></Table.Td>
                <Table.Td>{p.plate} {p.plate_state}</Table.Td>
                <Table.Td><PlanStatus s={p.status} /></Table.Td>
                <Table.Td className="nowrap">{formatDate(p.enrolled_on)}</Table.Td>
                <Table.Td><Money value={p.total ?? '0'} /></Table.Td>
                <Table.Td><Money value={p.balance ?? '0'} /></Table.Td>
                <Table.Td className="nowrap">{p.next_due_on ? `${formatDate(p.next_due_on)} (no. ${p.next_installment})` : '—'}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      ))}
    </Stack>
  );
}


export function PlanEnrolPage() {
  usePageTitle('Enrol in a payment plan');
  const [params] = useSearchParams();
  const fromCitation = params.get('citation') ?? '';
  const one = useCitation(fromCitation);
  const plate = params.get('plate') ?? one.data?.plate ?? '';
  const state = params.get('state') ?? one.data?.plate_state ?? '';
  const list = usePlateCitations(plate, state);
  let body;
  if ((fromCitation && one.isLoading) || list.isLoading) body = <Center p="md"><Loader aria-label="Loading the plate's citations" /></Center>;
  else if (one.error || list.error) body = <Alert color="red" variant="light" role="alert" title="Could not load the citations">{(one.error ?? list.error)!.message}</Alert>;
  else if (!plate) body = <Text size="sm">Open the plan from a plate&rsquo;s lookup or a citation page.</Text>;
  else if (list.data) body = <EnrolForm key={`${plate}|${state}`} citations={list.data.items} />;
  return (
    <Stack gap="sm">
      <Title order={1} size="h2">Payment plan for plate {plate.toUpperCase()}{state ? ` (${state})` : ''}</Title>
      <CitationTabs />
      {body}
    </Stack>
  );
}

function EnrolForm({ citations }: { citations: Citation[] }) {
  const navigate = useNavigate();
  const enrol = useEnrolPlan();
  const idem = useIdempotencyKey();
  const eligible = citations.filter((c) => toCents(c.amount_due ?? '0') > 0n && !CLOSED_OR_CONTESTED.includes(c.status ?? ''));
  const [selected, setSelected] = useState<string[]>(() => eligible.map((c) => c.number!));
  const [months, setMonths] = useState<number | string>(12);
  const [proof, setProof] = useState<'attested' | 'documented'>('attested');
  const [attestedBy, setAttestedBy] = useState('');
  const [note, setNote] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [refusal, setRefusal] = useState<unknown>(null);

  // The fines the plan would carry: what is owed less the late fees posted (waived on enrolment).
  const fines = useMemo(() => eligible.filter((c) => selected.includes(c.number!)).reduce((sum, c) => {
    const owed = toCents(c.amount_due ?? '0') - toCents(c.penalties ?? '0');
    return sum + (owed > 0n ? owed : 0n);
  }, 0n), [eligible, selected]);
  const waived = useMemo(() => eligible.filter((c) => selected.includes(c.number!)).reduce((s, c) => s + toCents(c.penalties ?? '0'), 0n), [eligible, selected]);
  const m = typeof months === 'number' ? months : Number(months);
  const monthsOk = Number.isInteger(m) && m >= 1 && m <= 24;
  const schedule = monthsOk && fines > 0n ? splitCents(fines, m) : [];

  const submit = async () => {
    setRefusal(null);
    const e: Record<string, string> = {};
    if (selected.length === 0) e.citation_numbers = 'Choose at least one citation';
    if (!monthsOk) e.months = 'Months is a whole number from 1 to 24';
    if (!attestedBy.trim()) e.attested_by = 'The name of the person who attests they cannot pay in full';
    setErrors(e);
    if (Object.keys(e).length) return;
    try {
      const p = await enrol.mutateAsync({ key: idem.key(), body: { citation_numbers: selected, months: m, proof, attested_by: attestedBy.trim(), ...(note.trim() ? { proof_note: note.trim() } : {}) } });
      idem.reset();
      navigate(`/citations/plans/${p.id}`);
    } catch (err) {
      idem.settle(err);
      if (isApiError(err) && err.field && ['months', 'attested_by', 'proof', 'proof_note'].includes(err.field)) setErrors({ [err.field]: err.message });
      else setRefusal(err);
    }
  };

  if (eligible.length === 0) return <Text size="sm">No citation of this plate may join a plan: none is owed outside a contest or another plan.</Text>;
  return (
    <form aria-label="Enrol in a payment plan" noValidate onSubmit={(e) => { e.preventDefault(); void submit(); }}>
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="sm">
        <Paper withBorder p="sm">
          <Title order={2} size="h4" mb="xs">Citations in the plan</Title>
          <Stack gap={4}>
            {eligible.map((c) => (
              <Checkbox key={c.number} checked={selected.includes(c.number!)}
                label={`${c.number} · ${statusWords(c.status ?? '')} · ${formatMoney(c.amount_due ?? '0')} due`}
                onChange={(ev) => { const on = ev.currentTarget.checked; setSelected((s) => (on ? [...s, c.number!] : s.filter((x) => x !== c.number))); }} />
            ))}
            {errors.citation_numbers && <Text size="xs" c="red" role="alert">{errors.citation_numbers}</Text>}
          </Stack>
          <Stack gap="xs" mt="sm">
            <NumberInput label="Months" description="1 to 24; the monthly installment may not exceed the City's cap" value={months} onChange={setMonths} min={1} max={24} allowDecimal={false} error={errors.months} w={220} />
            <NativeSelect label="Eligibility" value={proof} onChange={(e) => setProof(e.currentTarget.value as typeof proof)} data={[{ value: 'attested', label: 'Attested (signed statement)' }, { value: 'documented', label: 'Documented (benefits or income proof)' }]} error={errors.proof} w={320} />
            <TextInput label="Attested by" description="The person who signs that they cannot pay in full" value={attestedBy} onChange={(e) => setAttestedBy(e.currentTarget.value)} error={errors.attested_by} required w={320} autoComplete="off" />
            <Textarea label="Note (optional)" value={note} onChange={(e) => setNote(e.currentTarget.value)} autosize minRows={2} error={errors.proof_note} />
          </Stack>
        </Paper>
        <Paper withBorder p="sm" component="section" aria-labelledby="plan-preview">
          <Title order={2} size="h4" id="plan-preview" mb="xs">Schedule before saving</Title>
          <Text size="sm">Fines in the plan: <strong className="num" data-testid="plan-preview-fines">{formatMoney(centsToDecimal(fines))}</strong></Text>
          {waived > 0n && <Text size="sm">Late fees waived on enrolment: <span className="num">{formatMoney(centsToDecimal(waived))}</span> (reinstated if the plan defaults)</Text>}
          <Text size="xs" c="dimmed" mb="xs">The City&rsquo;s processing fee is added to the installments when the plan is saved; the plan page shows the final schedule and due dates.</Text>
          {schedule.length > 0 && (
            <Table withTableBorder aria-label="Installments before saving" data-testid="plan-preview">
              <Table.Thead><Table.Tr><Table.Th scope="col">Installment</Table.Th><Table.Th scope="col" style={{ textAlign: 'right' }}>Amount (fines only)</Table.Th></Table.Tr></Table.Thead>
              <Table.Tbody>
                {schedule.map((c, i) => (
                  <Table.Tr key={i}><Table.Td>{i + 1} of {schedule.length}</Table.Td><Table.Td><Money value={centsToDecimal(c)} /></Table.Td></Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
        </Paper>
      </SimpleGrid>
      <RefusalAlert error={refusal} />
      <Group mt="sm">
        <Button type="submit" loading={enrol.isPending}>Enrol in the plan</Button>
      </Group>
    </form>
  );
}

export function PlanPage() {
  const { id = '' } = useParams();
  usePageTitle(`Payment plan ${id}`);
  const q = usePlan(Number(id));
  return (
    <Stack gap="sm">
      <CitationTabs />
      {q.isLoading && <Center p="md"><Loader aria-label="Loading the plan" /></Center>}
      {q.error && <Alert color="red" variant="light" role="alert" title="Could not load the plan">{q.error.message}</Alert>}
      {q.data ? <PlanView p={q.data} /> : <Title order={1} size="h2">Payment plan {id}</Title>}
    </Stack>
  );
}

function PlanView({ p }: { p: CitationPlan }) {
  const rows: [string, React.ReactNode][] = [
    ['Fines', <Money value={p.fines ?? '0'} />],
    ['Processing fee', <Money value={p.processing_fee ?? '0'} />],
    ['Total', <strong><Money value={p.total ?? '0'} /></strong>],
    ['Paid', <Money value={p.paid ?? '0'} />],
    ['Balance', <Money value={p.balance ?? '0'} />],
    ['Due so far', <Money value={p.due_so_far ?? '0'} />],
    ['Late fees waived', <Money value={p.late_fees_waived ?? '0'} />],
    ['Monthly cap', <Money value={p.max_monthly ?? '0'} />],
  ];
  return (
    <Stack gap="sm">
      <Group justify="space-between" align="flex-start">
        <div>
          <Title order={1} size="h2">Payment plan {p.id}</Title>
          <Group gap={6} mt={4}><PlanStatus s={p.status} /><Text size="sm">Plate <Anchor component={Link} to={`/citations?plate=${encodeURIComponent(p.plate ?? '')}&state=${encodeURIComponent(p.plate_state ?? '')}`} underline="always">{p.plate} {p.plate_state}</Anchor></Text></Group>
        </div>
        <Paper withBorder p="sm">
          <Text size="sm">Next installment</Text>
          <Text fw={700} data-testid="plan-next-due">{p.next_due_on ? `${formatDate(p.next_due_on)} (no. ${p.next_installment})` : 'none'}</Text>
        </Paper>
      </Group>
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="sm">
        <Paper withBorder p="sm" component="section" aria-labelledby="plan-money">
          <Title order={2} size="h4" id="plan-money" mb="xs">Money</Title>
          <Table aria-label="Plan totals">
            <Table.Tbody>{rows.map(([k, v]) => <Table.Tr key={k}><Table.Th scope="row">{k}</Table.Th><Table.Td style={{ textAlign: 'right' }}>{v}</Table.Td></Table.Tr>)}</Table.Tbody>
          </Table>
        </Paper>
        <Paper withBorder p="sm" component="section" aria-labelledby="plan-terms">
          <Title order={2} size="h4" id="plan-terms" mb="xs">Terms</Title>
          <Text size="sm">Enrolled {formatDate(p.enrolled_on)} for {p.months} months; eligibility {p.proof}, by {p.attested_by}{p.proof_note ? ` (${p.proof_note})` : ''}.</Text>
          {p.closed_on && <Text size="sm">{p.status === 'defaulted' ? `Defaulted on ${formatDate(p.closed_on)}${p.missed_installment ? `: installment ${p.missed_installment} unpaid past the grace days` : ''}; the waived late fees are reinstated.` : `Kept: paid in full on ${formatDate(p.closed_on)}.`}</Text>}
          <Text size="sm" mt="xs">Citations:</Text>
          <Group gap="xs">
            {(p.citation_numbers ?? []).map((n) => <Anchor key={n} component={Link} to={`/citations/${encodeURIComponent(n)}`} size="sm" underline="always">{n}</Anchor>)}
          </Group>
        </Paper>
      </SimpleGrid>
      <Paper withBorder p="sm" component="section" aria-labelledby="plan-installments">
        <Title order={2} size="h4" id="plan-installments" mb="xs">Installments</Title>
        <Table withTableBorder striped aria-label="Installments">
          <Table.Thead><Table.Tr><Table.Th scope="col">No.</Table.Th><Table.Th scope="col">Due</Table.Th><Table.Th scope="col" style={{ textAlign: 'right' }}>Amount</Table.Th><Table.Th scope="col">Paid</Table.Th></Table.Tr></Table.Thead>
          <Table.Tbody>
            {(p.installments ?? []).map((i) => (
              <Table.Tr key={i.number}>
                <Table.Td className="num">{i.number}</Table.Td>
                <Table.Td className="nowrap">{formatDate(i.due_on)}</Table.Td>
                <Table.Td><Money value={i.amount ?? '0'} /></Table.Td>
                <Table.Td>{i.paid ? 'Paid' : 'Not yet'}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Paper>
    </Stack>
  );
}

/** A link to enrol a plate's citations (from the lookup or a citation page). */
export function planEnrolLink(opts: { plate?: string; state?: string; citation?: string }): string {
  const q = new URLSearchParams();
  if (opts.citation) q.set('citation', opts.citation);
  else {
    if (opts.plate) q.set('plate', opts.plate);
    if (opts.state) q.set('state', opts.state);
  }
  return `/citations/plans/new?${q.toString()}`;
}
