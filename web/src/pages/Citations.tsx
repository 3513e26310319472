// Parking citations: one search by plate (and state) or by citation number answers "what do I
// owe and why"; several citations go to the counter's cart together.
import { Alert, Anchor, Badge, Button, Checkbox, Group, Paper, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { statusColor, statusWords, usePlateCitations, type Citation } from '../api/citations';
import { useUser } from '../auth/session';
import { CitationTabs } from '../components/citations/CitationTabs';
import { counterLinkFor } from '../components/citations/counterHandOff';
import { Money } from '../components/Money';
import { formatDate } from '../lib/dates';
import { formatMoney, sumCents, toCents } from '../lib/money';
import { can } from '../lib/permissions';
import { usePageTitle } from '../lib/usePageTitle';
import { planEnrolLink } from './citations/Plans';

const right = { textAlign: 'right' } as const;

export function CitationsPage() {
  usePageTitle('Citations');
  const user = useUser();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const plate = params.get('plate') ?? '';
  const state = params.get('state') ?? '';
  const [plateInput, setPlateInput] = useState(plate);
  const [stateInput, setStateInput] = useState(state);
  const [numberInput, setNumberInput] = useState('');
  const [numberError, setNumberError] = useState<string | null>(null);
  const [plateError, setPlateError] = useState<string | null>(null);
  const q = usePlateCitations(plate, state);
  const items = q.data?.items ?? [];
  const [selected, setSelected] = useState<string[]>([]);
  useEffect(() => { setSelected([]); setPlateInput(plate); setStateInput(state); }, [plate, state]);

  const payable = (c: Citation) => toCents(c.amount_due ?? '0') > 0n;
  const selectedDue = sumCents(items.filter((c) => selected.includes(c.number!)).map((c) => c.amount_due ?? '0'));
  const mayPay = can(user, 'cashier.operate');

  const searchPlate = () => {
    const p = plateInput.trim();
    if (!p) { setPlateError('Enter the plate, e.g. 7ABC123'); return; }
    const s = stateInput.trim().toUpperCase();
    if (s && !/^[A-Z]{2}$/.test(s)) { setPlateError(null); return; }
    setPlateError(null);
    const next = new URLSearchParams();
    next.set('plate', p);
    if (s) next.set('state', s);
    setParams(next);
  };
  const stateError = stateInput.trim() && !/^[A-Za-z]{2}$/.test(stateInput.trim()) ? 'Two letters, e.g. CA (or leave empty for every state)' : null;

  const openNumber = () => {
    const n = numberInput.trim().toUpperCase();
    if (!n) { setNumberError('Enter the citation number'); return; }
    setNumberError(null);
    navigate(`/citations/${encodeURIComponent(n)}`);
  };

  return (
    <Stack gap="sm">
      <Title order={1} size="h2">Parking citations</Title>
      <CitationTabs />
      <Group align="flex-start" gap="md" wrap="wrap">
        <Paper withBorder p="sm">
          <form aria-label="Find citations by plate" noValidate onSubmit={(e) => { e.preventDefault(); searchPlate(); }}>
            <Group align="flex-start" gap="xs">
              <TextInput label="Plate" value={plateInput} onChange={(e) => setPlateInput(e.currentTarget.value)} error={plateError} autoComplete="off" w={160} data-autofocus autoFocus />
              <TextInput label="State" description="Empty: every state" value={stateInput} onChange={(e) => setStateInput(e.currentTarget.value)} error={stateError} autoComplete="off" w={130} maxLength={2} />
              <Button type="submit" mt={24}>Find by plate</Button>
            </Group>
          </form>
        </Paper>
        <Paper withBorder p="sm">
          <form aria-label="Open a citation by number" noValidate onSubmit={(e) => { e.preventDefault(); openNumber(); }}>
            <Group align="flex-start" gap="xs">
              <TextInput label="Citation number" value={numberInput} onChange={(e) => setNumberInput(e.currentTarget.value)} error={numberError} autoComplete="off" w={200} />
              <Button type="submit" variant="default" mt={24}>Open citation</Button>
            </Group>
          </form>
        </Paper>
      </Group>

      {q.error && <Alert color="red" variant="light" role="alert" title="Could not look the plate up">{q.error.message}</Alert>}
      {plate && q.data && (
        <Paper withBorder p="sm" component="section" aria-labelledby="plate-results">
          <Group justify="space-between" mb="xs" wrap="wrap">
            <Title order={2} size="h4" id="plate-results">Plate {plate.toUpperCase()}{state ? ` (${state})` : ' (every state)'}</Title>
            <Group gap="sm">
              <Text size="sm" data-testid="plate-total">Total due for the plate: <strong className="num">{formatMoney(q.data.total_due ?? '0')}</strong></Text>
              {can(user, 'citation.write') && toCents(q.data.total_due ?? '0') > 0n && (
                <Button size="xs" variant="default" onClick={() => navigate(planEnrolLink({ plate: plate.toUpperCase(), state }))}>Payment plan for the plate</Button>
              )}
            </Group>
          </Group>
          {items.length === 0 ? (
            <Text size="sm">No citation for this plate.</Text>
          ) : (
            <Table.ScrollContainer minWidth={900}>
              <Table withTableBorder striped highlightOnHover aria-label={`Citations of plate ${plate.toUpperCase()}`}>
                <Table.Thead>
                  <Table.Tr>
                    {mayPay && <Table.Th scope="col" w={40}><span className="visually-hidden">Select to pay</span></Table.Th>}
                    <Table.Th scope="col">Citation</Table.Th>
                    <Table.Th scope="col">Status</Table.Th>
                    <Table.Th scope="col">Issued</Table.Th>
                    <Table.Th scope="col">Violation · location</Table.Th>
                    <Table.Th scope="col" style={right}>Fine</Table.Th>
                    <Table.Th scope="col" style={right}>Penalties</Table.Th>
                    <Table.Th scope="col" style={right}>Amount due</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {items.map((c) => (
                    <Table.Tr key={c.number} data-testid={`citation-row-${c.number}`}>
                      {mayPay && (
                        <Table.Td>
                          {payable(c) && (
                            <Checkbox
                              aria-label={`Select citation ${c.number} (${formatMoney(c.amount_due ?? '0')} due)`}
                              checked={selected.includes(c.number!)}
                              onChange={(e) => { const on = e.currentTarget.checked; setSelected((s) => (on ? [...s, c.number!] : s.filter((x) => x !== c.number))); }}
                            />
                          )}
                        </Table.Td>
                      )}
                      <Table.Td><Anchor component={Link} to={`/citations/${encodeURIComponent(c.number!)}`} size="sm" underline="always">{c.number}</Anchor></Table.Td>
                      <Table.Td>
                        <Group gap={4}>
                          <Badge variant="light" color={statusColor(c.status ?? '')}>{statusWords(c.status ?? '')}</Badge>
                          {c.dmv_hold && <Badge variant="light" color="red">DMV hold</Badge>}
                        </Group>
                      </Table.Td>
                      <Table.Td className="nowrap">{formatDate(c.issued_on)}{c.issued_time ? ` ${c.issued_time}` : ''}</Table.Td>
                      <Table.Td><Text size="sm">{c.violation_code}</Text><Text size="xs" c="dimmed">{c.location}</Text></Table.Td>
                      <Table.Td><Money value={c.fine ?? '0'} /></Table.Td>
                      <Table.Td><Money value={c.penalties ?? '0'} /></Table.Td>
                      <Table.Td><Money value={c.amount_due ?? '0'} /></Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )}
          {mayPay && items.some(payable) && (
            <Group justify="space-between" mt="xs">
              <Group gap="xs">
                <Button size="xs" variant="default" onClick={() => setSelected(items.filter(payable).map((c) => c.number!))}>Select all due</Button>
                <Text size="sm">{selected.length} selected · <span className="num">{formatMoney(selectedDue)}</span></Text>
              </Group>
              <Button disabled={selected.length === 0} onClick={() => navigate(counterLinkFor(selected))}>Pay selected at the counter</Button>
            </Group>
          )}
        </Paper>
      )}
    </Stack>
  );
}
