// One parking citation: the vehicle, where and what, the fine and penalties, what is due, the
// deadlines to contest (with their dates), the escalation steps, the history and the contest
// history, and the actions this user's role may take.
import { Alert, Anchor, Badge, Button, Center, Group, Loader, Paper, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { isApiError } from '../api/client';
import { statusColor, statusWords, useCitation, type Citation, type CitationEvent } from '../api/citations';
import { useUser } from '../auth/session';
import { CitationActions } from '../components/citations/CitationActions';
import { CitationTabs } from '../components/citations/CitationTabs';
import { counterLinkFor } from '../components/citations/counterHandOff';
import { Money } from '../components/Money';
import { formatDate } from '../lib/dates';
import { formatMoney, toCents } from '../lib/money';
import { can } from '../lib/permissions';
import { usePageTitle } from '../lib/usePageTitle';
import { planEnrolLink } from './citations/Plans';

const right = { textAlign: 'right' } as const;

const EVENT_WORDS: Record<string, string> = {
  issue: 'Issued',
  pay: 'Paid',
  send_notice: 'Notice of delinquency sent',
  mark_delinquent: 'Delinquent',
  place_hold: 'DMV hold placed',
  release_hold: 'DMV hold released',
  request_review: 'Initial review requested',
  uphold_review: 'Review: upheld',
  reduce_review: 'Review: reduced',
  dismiss_on_review: 'Review: dismissed',
  request_hearing: 'Hearing requested',
  schedule_hearing: 'Hearing scheduled',
  uphold_at_hearing: 'Hearing: upheld',
  reduce_at_hearing: 'Hearing: reduced',
  dismiss_at_hearing: 'Hearing: dismissed',
  note_court_appeal: 'Court appeal noted',
  uphold_in_court: 'Court: upheld',
  dismiss_in_court: 'Court: dismissed',
  enrol_plan: 'Payment plan',
  complete_plan: 'Plan completed',
  default_plan: 'Plan defaulted',
  write_off: 'Written off',
  send_to_collections: 'Sent to collections',
  dismiss: 'Dismissed',
  void: 'Voided',
};
const CONTEST_EVENTS = /review|hearing|court/;
const NOTICE_WORDS: Record<string, string> = { held: 'Held: owner not yet known', ready: 'Ready for the next batch', printed: 'Printed and mailed', withdrawn: 'Withdrawn' };
// Owed and not contested, on a plan or closed: a plan may take it (the server decides).
const PLAN_ELIGIBLE = ['issued', 'notice_sent', 'delinquent', 'review_decided', 'hearing_decided', 'court_decided', 'plan_defaulted'];

const DEADLINE_WORDS: Record<string, string> = {
  review_request: 'Request an initial review by',
  hearing_request: 'Request a hearing by',
  court_appeal: 'Appeal to court by',
};

export function eventWords(e: string): string {
  return EVENT_WORDS[e] ?? e.replace(/_/g, ' ');
}

export function CitationPage() {
  const { number = '' } = useParams();
  usePageTitle(`Citation ${number}`);
  const q = useCitation(number);

  let body;
  if (q.isLoading) body = <Center p="xl"><Loader aria-label="Loading the citation" /></Center>;
  else if (q.error) {
    body = (
      <Alert color="red" variant="light" role="alert" title={isApiError(q.error) && q.error.status === 404 ? 'No such citation' : 'Could not load the citation'}>
        {q.error.message}
      </Alert>
    );
  } else if (q.data) body = <CitationView c={q.data} />;

  return (
    <Stack gap="sm">
      <CitationTabs />
      {body ?? <Title order={1} size="h2">Citation {number}</Title>}
    </Stack>
  );
}

function Field({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dimmed" component="dt">{label}</Text>
      <Text size="sm" component="dd" m={0}>{children || '—'}</Text>
    </div>
  );
}

function CitationView({ c }: { c: Citation }) {
  const user = useUser();
  const navigate = useNavigate();
  const due = toCents(c.amount_due ?? '0');
  const events = c.events ?? [];
  const contest = events.filter((e) => CONTEST_EVENTS.test(e.event));
  const steps = c.steps ?? [];
  const plateLink = `/citations?plate=${encodeURIComponent(c.plate ?? '')}${c.plate_state ? `&state=${encodeURIComponent(c.plate_state)}` : ''}`;

  return (
    <Stack gap="sm">
      <Group justify="space-between" align="flex-start" wrap="wrap">
        <div>
          <Title order={1} size="h2">Citation {c.number}</Title>
          <Group gap={6} mt={4}>
            <Badge variant="light" color={statusColor(c.status ?? '')} data-testid="citation-status">{statusWords(c.status ?? '')}</Badge>
            {c.dmv_hold && <Badge variant="light" color="red">DMV registration hold</Badge>}
            {c.source && <Text size="xs" c="dimmed">entered: {c.source}</Text>}
          </Group>
        </div>
        <Paper withBorder p="sm">
          <Text size="sm">Amount due</Text>
          <Text size="xl" fw={700} className="num" data-testid="citation-amount-due">{formatMoney(c.amount_due ?? '0')}</Text>
          {due > 0n && can(user, 'cashier.operate') && (
            <Button size="xs" mt={4} onClick={() => navigate(counterLinkFor([c.number!]))}>Pay at the counter</Button>
          )}
          {due > 0n && can(user, 'citation.write') && PLAN_ELIGIBLE.includes(c.status ?? '') && (
            <Button size="xs" mt={4} ml={4} variant="default" onClick={() => navigate(planEnrolLink({ citation: c.number! }))}>Payment plan</Button>
          )}
        </Paper>
      </Group>

      <SimpleGrid cols={{ base: 1, md: 3 }} spacing="sm">
        <Paper withBorder p="sm" component="section" aria-labelledby="cit-vehicle">
          <Title order={2} size="h4" id="cit-vehicle" mb="xs">Vehicle</Title>
          <SimpleGrid cols={2} spacing={6} component="dl" m={0}>
            <Field label="Plate"><Anchor component={Link} to={plateLink} size="sm" underline="always">{c.plate || 'none'} {c.plate_state}</Anchor></Field>
            <Field label="Make · color">{[c.make, c.color].filter(Boolean).join(' · ')}</Field>
            <Field label="VIN">{c.vin}</Field>
            <Field label="Registered owner">
              {c.owner_party_id ? <Anchor component={Link} to={`/parties/${c.owner_party_id}`} size="sm" underline="always" data-testid="citation-owner">{c.owner?.name || `Customer no. ${c.owner_party_id}`}</Anchor> : 'not yet known'}
            </Field>
          </SimpleGrid>
        </Paper>
        <Paper withBorder p="sm" component="section" aria-labelledby="cit-where">
          <Title order={2} size="h4" id="cit-where" mb="xs">Violation</Title>
          <SimpleGrid cols={2} spacing={6} component="dl" m={0}>
            <Field label="Issued">{formatDate(c.issued_on)}{c.issued_time ? ` ${c.issued_time}` : ''}</Field>
            <Field label="Code">{c.violation_code}</Field>
            <Field label="Location">{c.location}</Field>
            <Field label="Officer · device">{[c.officer_id, c.device_id].filter(Boolean).join(' · ')}</Field>
            <Field label="Notes">{c.notes}</Field>
          </SimpleGrid>
        </Paper>
        <Paper withBorder p="sm" component="section" aria-labelledby="cit-money">
          <Title order={2} size="h4" id="cit-money" mb="xs">Fine and penalties</Title>
          <Table aria-label="Fine and penalties">
            <Table.Tbody>
              <Table.Tr><Table.Th scope="row">Fine</Table.Th><Table.Td><Money value={c.fine ?? '0'} /></Table.Td></Table.Tr>
              <Table.Tr><Table.Th scope="row">Penalties</Table.Th><Table.Td><Money value={c.penalties ?? '0'} /></Table.Td></Table.Tr>
              <Table.Tr><Table.Th scope="row">Amount due</Table.Th><Table.Td><strong><Money value={c.amount_due ?? '0'} /></strong></Table.Td></Table.Tr>
            </Table.Tbody>
          </Table>
          <Text size="xs" mt={4}>
            {c.next_step_due_on ? `Next escalation step due ${formatDate(c.next_step_due_on)} if unpaid and not contested.` : 'No escalation step pending.'}
          </Text>
        </Paper>
      </SimpleGrid>

      <Paper withBorder p="sm" component="section" aria-labelledby="cit-deadlines">
        <Title order={2} size="h4" id="cit-deadlines" mb="xs">Deadlines</Title>
        {(c.deadlines ?? []).length === 0 ? <Text size="sm">No contest deadline is open.</Text> : (
          <Table withTableBorder aria-label="Deadlines" data-testid="citation-deadlines">
            <Table.Thead><Table.Tr><Table.Th scope="col">What</Table.Th><Table.Th scope="col">Last day</Table.Th><Table.Th scope="col">Why</Table.Th></Table.Tr></Table.Thead>
            <Table.Tbody>
              {(c.deadlines ?? []).map((d) => (
                <Table.Tr key={d.name}>
                  <Table.Td>{DEADLINE_WORDS[d.name ?? ''] ?? d.name}</Table.Td>
                  <Table.Td className="nowrap">{formatDate(d.last_day)}</Table.Td>
                  <Table.Td><Text size="sm">{d.description}</Text></Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
        {(c.hearing_on || c.decision_on || c.notice_mailed_on) && (
          <Group gap="lg" mt="xs">
            {c.notice_mailed_on && <Text size="sm">Notice mailed {formatDate(c.notice_mailed_on)}</Text>}
            {c.hearing_on && <Text size="sm">Hearing on <strong>{formatDate(c.hearing_on)}</strong></Text>}
            {c.decision_on && <Text size="sm">Decided {formatDate(c.decision_on)}</Text>}
          </Group>
        )}
      </Paper>

      <CitationActions c={c} />

      {(c.dmv_hold || (c.dmv_hold_files ?? []).length > 0) && (
        <Paper withBorder p="sm" component="section" aria-labelledby="cit-holds">
          <Title order={2} size="h4" id="cit-holds" mb="xs">DMV registration holds</Title>
          {(c.dmv_hold_files ?? []).length === 0 ? <Text size="sm">The hold is to be placed by the next hold file.</Text> : (
            <Table withTableBorder aria-label="DMV hold history">
              <Table.Thead><Table.Tr><Table.Th scope="col">Hold file date</Table.Th><Table.Th scope="col">What</Table.Th><Table.Th scope="col">File</Table.Th></Table.Tr></Table.Thead>
              <Table.Tbody>
                {(c.dmv_hold_files ?? []).map((h) => (
                  <Table.Tr key={`${h.file_id}-${h.action}`}>
                    <Table.Td className="nowrap">{formatDate(h.date)}</Table.Td>
                    <Table.Td>{h.action === 'place' ? 'Hold placed' : h.action === 'release' ? 'Hold released' : h.action}</Table.Td>
                    <Table.Td className="num">{h.file_id}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
        </Paper>
      )}

      <Paper withBorder p="sm" component="section" aria-labelledby="cit-contest">
        <Title order={2} size="h4" id="cit-contest" mb="xs">Contest history</Title>
        {contest.length === 0 ? <Text size="sm">Not contested.</Text> : <EventTable events={contest} all={events} number={c.number ?? ''} label="Contest history" />}
      </Paper>

      <Paper withBorder p="sm" component="section" aria-labelledby="cit-notices">
        <Title order={2} size="h4" id="cit-notices" mb="xs">Notices</Title>
        {(c.notices ?? []).length === 0 ? <Text size="sm">No notice sent.</Text> : (
          <Table withTableBorder aria-label="Notice history" data-testid="citation-notices">
            <Table.Thead><Table.Tr>
              <Table.Th scope="col">Recorded</Table.Th><Table.Th scope="col">Status</Table.Th><Table.Th scope="col">To</Table.Th>
              <Table.Th scope="col" style={right}>Amount due</Table.Th><Table.Th scope="col">Pay or contest by</Table.Th><Table.Th scope="col">Mailed</Table.Th>
            </Table.Tr></Table.Thead>
            <Table.Tbody>
              {(c.notices ?? []).map((n) => {
                const notice = n as { id?: number; notice_on?: string; status?: string; addressee_name?: string; amount_due?: string; review_deadline?: string; mailed_on?: string | null; batch_id?: number | null };
                return (
                  <Table.Tr key={notice.id}>
                    <Table.Td className="nowrap">{formatDate(notice.notice_on)}</Table.Td>
                    <Table.Td>{NOTICE_WORDS[notice.status ?? ''] ?? notice.status}</Table.Td>
                    <Table.Td>{notice.addressee_name}</Table.Td>
                    <Table.Td><Money value={notice.amount_due ?? '0'} /></Table.Td>
                    <Table.Td className="nowrap">{formatDate(notice.review_deadline)}</Table.Td>
                    <Table.Td className="nowrap">{notice.mailed_on ? `${formatDate(notice.mailed_on)} (batch ${notice.batch_id})` : '—'}</Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        )}
      </Paper>

      <Paper withBorder p="sm" component="section" aria-labelledby="cit-steps">
        <Title order={2} size="h4" id="cit-steps" mb="xs">Escalation steps posted</Title>
        {steps.length === 0 ? <Text size="sm">None yet.</Text> : (
          <Table withTableBorder aria-label="Escalation steps posted">
            <Table.Thead><Table.Tr>
              <Table.Th scope="col">Step</Table.Th><Table.Th scope="col">Due</Table.Th><Table.Th scope="col">Posted</Table.Th>
              <Table.Th scope="col" style={right}>Amount</Table.Th><Table.Th scope="col">Note</Table.Th>
            </Table.Tr></Table.Thead>
            <Table.Tbody>
              {steps.map((s) => (
                <Table.Tr key={s.step}>
                  <Table.Td>{s.step}. {s.name}</Table.Td>
                  <Table.Td className="nowrap">{formatDate(s.due_on)}</Table.Td>
                  <Table.Td className="nowrap">{formatDate(s.posted_on)}</Table.Td>
                  <Table.Td><Money value={s.amount || '0'} /></Table.Td>
                  <Table.Td><Text size="sm">{s.without_effect ? 'without effect' : ''}{s.note ? ` ${s.note}` : ''}</Text></Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Paper>

      <Paper withBorder p="sm" component="section" aria-labelledby="cit-history">
        <Title order={2} size="h4" id="cit-history" mb="xs">History</Title>
        <EventTable events={events} all={events} number={c.number ?? ''} label="History" />
      </Paper>
    </Stack>
  );
}

// The decisions of a review, hearing or court, each with its letter (PDF).
const DECISION_EVENTS = /^(uphold|reduce|dismiss)_(review|on_review|at_hearing|in_court)$/;

// The server names a decision by its 1-based position in all of the citation's events.
function decisionLetterUrl(number: string, position: number) {
  return `/api/v1/citations/${encodeURIComponent(number)}/decision-letter?event=${position}`;
}

function EventTable({ events, all, number, label }: { events: CitationEvent[]; all: CitationEvent[]; number: string; label: string }) {
  return (
    <Table withTableBorder striped aria-label={label}>
      <Table.Thead><Table.Tr>
        <Table.Th scope="col">On</Table.Th><Table.Th scope="col">What</Table.Th><Table.Th scope="col">Status</Table.Th>
        <Table.Th scope="col">Reason</Table.Th><Table.Th scope="col">By</Table.Th>
      </Table.Tr></Table.Thead>
      <Table.Tbody>
        {events.map((e, i) => (
          <Table.Tr key={i}>
            <Table.Td className="nowrap">{formatDate(e.on)}</Table.Td>
            <Table.Td>
              {eventWords(e.event)}{e.dmv_hold ? ' (DMV hold)' : ''}
              {DECISION_EVENTS.test(e.event) && (
                <>
                  <br />
                  <a className="plain-link" href={decisionLetterUrl(number, all.indexOf(e) + 1)} target="_blank" rel="noopener">
                    Decision letter (PDF)<span className="visually-hidden">{`, ${eventWords(e.event)} of ${formatDate(e.on)}, opens in a new tab`}</span>
                  </a>
                </>
              )}
            </Table.Td>
            <Table.Td>{e.from_status === e.to_status ? statusWords(e.to_status) : `${statusWords(e.from_status)} → ${statusWords(e.to_status)}`}</Table.Td>
            <Table.Td><Text size="sm">{e.reason || '—'}</Text></Table.Td>
            <Table.Td>{e.by}{e.approved_by ? `, approved by ${e.approved_by}` : ''}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
