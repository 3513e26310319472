// The hearing calendar (supervisors, hearing officers): a week's administrative hearings by day,
// and the hearings requested but not yet given a date, oldest request first, each scheduled onto
// a business day in place. The decision is taken on the citation page.
import { Alert, Anchor, Badge, Button, Center, Group, Loader, Paper, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { isApiError } from '../../api/client';
import { statusColor, statusWords, useCitationAction, useCitationQueue, type Citation } from '../../api/citations';
import { useCity } from '../../api/queries';
import { useUser } from '../../auth/session';
import { CitationTabs } from '../../components/citations/CitationTabs';
import { RefusalAlert } from '../../components/ledger/common';
import { formatDate, isIsoDate, todayIn } from '../../lib/dates';
import { can } from '../../lib/permissions';
import { usePageTitle } from '../../lib/usePageTitle';
import { addDays, mondayOf, weekdayName } from './calendarDates';

export function HearingCalendarPage() {
  usePageTitle('Hearing calendar');
  const user = useUser();
  const tz = useCity().data?.time_zone;
  const today = todayIn(tz);
  const [params, setParams] = useSearchParams();
  const asked = params.get('week');
  const monday = mondayOf(isIsoDate(asked) ? asked : today);
  const sunday = addDays(monday, 6);
  const [weekInput, setWeekInput] = useState(monday);
  const [weekError, setWeekError] = useState<string | null>(null);
  const week = useCitationQueue({ hearing_from: monday, hearing_to: sunday, limit: 200 });
  const waiting = useCitationQueue({ status: 'hearing_requested', limit: 200 });
  const mayWrite = can(user, 'citation.write');

  const showWeek = (iso: string) => {
    const next = new URLSearchParams(params);
    next.set('week', mondayOf(iso));
    setParams(next);
    setWeekInput(mondayOf(iso));
    setWeekError(null);
  };
  const days = Array.from({ length: 7 }, (_, i) => addDays(monday, i));
  const byDay = (d: string) => (week.data?.items ?? []).filter((c) => c.hearing_on === d);

  return (
    <Stack gap="sm">
      <Title order={1} size="h2">Hearing calendar</Title>
      <CitationTabs />
      <Paper withBorder p="sm">
        <form aria-label="Choose the week" noValidate onSubmit={(e) => {
          e.preventDefault();
          if (!isIsoDate(weekInput)) { setWeekError('Enter a date as YYYY-MM-DD'); return; }
          showWeek(weekInput);
        }}>
          <Group align="flex-end" gap="xs">
            <TextInput type="date" label="Week of" value={weekInput} onChange={(e) => setWeekInput(e.currentTarget.value)} error={weekError} w={180} />
            <Button type="submit" variant="default">Show the week</Button>
            <Button variant="subtle" onClick={() => showWeek(addDays(monday, -7))}>Previous week</Button>
            <Button variant="subtle" onClick={() => showWeek(today)}>This week</Button>
            <Button variant="subtle" onClick={() => showWeek(addDays(monday, 7))}>Next week</Button>
          </Group>
        </form>
      </Paper>

      <Paper withBorder p="sm" component="section" aria-labelledby="hearing-week">
        <Title order={2} size="h4" id="hearing-week" mb="xs">Hearings, week of {formatDate(monday)}</Title>
        {week.isLoading && <Center p="md"><Loader aria-label="Loading the week's hearings" /></Center>}
        {week.error && <Alert color="red" variant="light" role="alert" title="Could not load the hearings">{week.error.message}</Alert>}
        {week.data && (
          <Stack gap="xs">
            {days.map((d) => {
              const list = byDay(d);
              const weekend = d === addDays(monday, 5) || d === addDays(monday, 6);
              if (weekend && list.length === 0) return null;
              return (
                <section key={d} aria-label={`${weekdayName(d)} ${formatDate(d)}`} data-testid={`hearing-day-${d}`}>
                  <Text fw={600} size="sm">{weekdayName(d)} {formatDate(d)}{d === today ? ' (today)' : ''}</Text>
                  {list.length === 0 ? <Text size="sm" c="dimmed">No hearing.</Text> : <HearingTable items={list} label={`Hearings on ${formatDate(d)}`} />}
                </section>
              );
            })}
            {week.data.next_offset != null && <Text size="sm">More than 200 hearings this week: the first 200 are shown.</Text>}
          </Stack>
        )}
      </Paper>

      <Paper withBorder p="sm" component="section" aria-labelledby="hearing-waiting">
        <Title order={2} size="h4" id="hearing-waiting" mb="xs">Hearings requested, waiting for a date</Title>
        {waiting.isLoading && <Center p="md"><Loader aria-label="Loading the requested hearings" /></Center>}
        {waiting.error && <Alert color="red" variant="light" role="alert" title="Could not load the requested hearings">{waiting.error.message}</Alert>}
        {waiting.data && (waiting.data.items.length === 0 ? <Text size="sm">No hearing is waiting for a date.</Text> : (
          <Table.ScrollContainer minWidth={820}>
            <Table withTableBorder striped aria-label="Hearings waiting for a date">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">Citation</Table.Th>
                  <Table.Th scope="col">Requested on</Table.Th>
                  <Table.Th scope="col">Plate</Table.Th>
                  <Table.Th scope="col">Violation</Table.Th>
                  <Table.Th scope="col">{mayWrite ? 'Schedule' : 'Date'}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {waiting.data.items.map((c) => (
                  <Table.Tr key={c.number} data-testid={`hearing-waiting-${c.number}`}>
                    <Table.Td><Anchor component={Link} to={`/citations/${encodeURIComponent(c.number!)}`} size="sm" underline="always">{c.number}</Anchor></Table.Td>
                    <Table.Td className="nowrap">{formatDate(c.contest_requested_on)}</Table.Td>
                    <Table.Td className="nowrap">{c.plate || 'none'} {c.plate_state}</Table.Td>
                    <Table.Td>{c.violation_code}</Table.Td>
                    <Table.Td>{mayWrite ? <ScheduleForm c={c} onScheduled={showWeek} /> : 'not yet scheduled'}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        ))}
      </Paper>
    </Stack>
  );
}

function HearingTable({ items, label }: { items: Citation[]; label: string }) {
  return (
    <Table withTableBorder aria-label={label}>
      <Table.Thead>
        <Table.Tr>
          <Table.Th scope="col">Citation</Table.Th>
          <Table.Th scope="col">Status</Table.Th>
          <Table.Th scope="col">Plate</Table.Th>
          <Table.Th scope="col">Violation · location</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {items.map((c) => (
          <Table.Tr key={c.number} data-testid={`hearing-row-${c.number}`}>
            <Table.Td><Anchor component={Link} to={`/citations/${encodeURIComponent(c.number!)}`} size="sm" underline="always">{c.number}</Anchor></Table.Td>
            <Table.Td><Badge variant="light" color={statusColor(c.status ?? '')}>{statusWords(c.status ?? '')}</Badge></Table.Td>
            <Table.Td className="nowrap">{c.plate || 'none'} {c.plate_state}</Table.Td>
            <Table.Td><Text size="sm">{c.violation_code}</Text><Text size="xs" c="dimmed">{c.location}</Text></Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

/** A date for one requested hearing; the server's refusal (not a business day, in the past) shows on the field. */
function ScheduleForm({ c, onScheduled }: { c: Citation; onScheduled: (date: string) => void }) {
  const act = useCitationAction(c.number!);
  const [date, setDate] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [refusal, setRefusal] = useState<unknown>(null);
  const submit = async () => {
    setRefusal(null);
    if (!isIsoDate(date)) { setError('Enter the hearing date as YYYY-MM-DD'); return; }
    setError(null);
    try {
      await act.mutateAsync({ path: 'hearing', body: { action: 'schedule', hearing_on: date } });
      onScheduled(date);
    } catch (err) {
      if (isApiError(err) && err.field === 'hearing_on') setError(err.message);
      else setRefusal(err);
    }
  };
  return (
    <form aria-label={`Schedule the hearing of citation ${c.number}`} noValidate onSubmit={(e) => { e.preventDefault(); void submit(); }}>
      <Group gap="xs" align="flex-start" wrap="nowrap">
        <TextInput type="date" label={`Hearing date for citation ${c.number}`} labelProps={{ className: 'visually-hidden' }} value={date} onChange={(e) => setDate(e.currentTarget.value)} error={error} w={170} size="xs" />
        <Button type="submit" size="xs" loading={act.isPending}>Schedule</Button>
      </Group>
      <RefusalAlert error={refusal} />
    </form>
  );
}
