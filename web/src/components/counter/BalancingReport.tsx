import { Alert, Group, Loader, Paper, Table, Text, TextInput, Title } from '@mantine/core';
import { useBalancing, type FundTotals } from '../../api/counter';
import { isIsoDate } from '../../lib/dates';
import { formatMoney } from '../../lib/money';
import { Money } from '../Money';
import { overShortWords } from './BlindClose';
import { TENDER_KINDS } from './cart';
import { ScrollRegion } from './ScrollRegion';

const right = { textAlign: 'right' } as const;

export function fundWords(m: Record<string, string> | undefined): string {
  const e = Object.entries(m ?? {});
  return e.length ? e.map(([k, v]) => `${k} ${formatMoney(v)}`).join(' · ') : '—';
}

function TenderCells({ t }: { t: FundTotals }) {
  return (
    <>
      {TENDER_KINDS.map((k) => <Table.Td key={k.kind}><Money value={t.by_tender[k.kind] ?? '0.00'} /></Table.Td>)}
    </>
  );
}

/** End-of-day balancing per session and per office, by tender and fund, with over/short. */
export function BalancingReport({ date, onDate }: { date: string; onDate: (d: string) => void }) {
  const q = useBalancing(date, isIsoDate(date));
  const r = q.data;
  const head = (first: string) => (
    <Table.Thead>
      <Table.Tr>
        <Table.Th scope="col" style={{ minWidth: 200 }}>{first}</Table.Th>
        {TENDER_KINDS.map((k) => <Table.Th key={k.kind} scope="col" style={right}>{k.label}</Table.Th>)}
        <Table.Th scope="col" style={right}>Receipts</Table.Th>
        <Table.Th scope="col" style={right}>Float</Table.Th>
        <Table.Th scope="col" style={right}>Expected cash</Table.Th>
        <Table.Th scope="col" style={right}>Counted</Table.Th>
        <Table.Th scope="col">Over / short</Table.Th>
        <Table.Th scope="col">By fund</Table.Th>
      </Table.Tr>
    </Table.Thead>
  );
  return (
    <Paper withBorder p="sm" component="section" aria-labelledby="balancing-title" data-testid="balancing">
      <Group justify="space-between" align="flex-end" mb="xs">
        <Title order={2} size="h4" id="balancing-title">Balancing report</Title>
        <Group gap="xs" align="flex-end">
          {q.isFetching && <Loader size="xs" aria-label="Loading" />}
          <TextInput type="date" size="xs" label="Business date" value={date} onChange={(e) => onDate(e.currentTarget.value)} error={isIsoDate(date) ? null : 'Choose a date'} />
        </Group>
      </Group>
      {q.error && <Alert color="red" variant="light" role="alert">{q.error.message}</Alert>}
      {r && (
        <ScrollRegion label="Balancing report (scrolls sideways)" minWidth={1100}>
          <Table withTableBorder striped aria-label={`Balancing by session, ${r.date}`}>
            {head('Session')}
            <Table.Tbody>
              {r.sessions.length === 0 && <Table.Tr><Table.Td colSpan={12}><Text size="sm">No session on this business date.</Text></Table.Td></Table.Tr>}
              {r.sessions.map(({ session: s, totals: t }) => (
                <Table.Tr key={s.id} data-testid={`balancing-session-${s.id}`}>
                  <Table.Th scope="row" style={{ fontWeight: 400 }}>
                    <Text size="sm" fw={600}>{s.drawer} · no. {s.id}</Text>
                    <Text size="xs">{s.cashier} · {s.status}</Text>
                    {s.over_short_reason ? <Text size="xs">Reason: {s.over_short_reason}</Text> : null}
                  </Table.Th>
                  <TenderCells t={t} />
                  <Table.Td><Money value={t.receipts} /></Table.Td>
                  <Table.Td><Money value={t.float} /></Table.Td>
                  <Table.Td><Money value={t.expected_cash} /></Table.Td>
                  <Table.Td>{s.status === 'open' ? '—' : <Money value={t.counted} />}</Table.Td>
                  <Table.Td className="nowrap">{s.status === 'open' ? 'not counted' : overShortWords(t.over_short)}</Table.Td>
                  <Table.Td><Text size="xs">{fundWords(t.by_fund)}</Text></Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          <Table withTableBorder striped mt="sm" aria-label={`Balancing by office, ${r.date}`}>
            {head('Office')}
            <Table.Tbody>
              {r.offices.map((o) => (
                <Table.Tr key={o.office}>
                  <Table.Th scope="row">{o.office} <Text size="xs" component="span" fw={400}>({o.sessions} session{o.sessions === 1 ? '' : 's'})</Text></Table.Th>
                  <TenderCells t={o.totals} />
                  <Table.Td><Money value={o.totals.receipts} /></Table.Td>
                  <Table.Td><Money value={o.totals.float} /></Table.Td>
                  <Table.Td><Money value={o.totals.expected_cash} /></Table.Td>
                  <Table.Td><Money value={o.totals.counted} /></Table.Td>
                  <Table.Td className="nowrap">{overShortWords(o.totals.over_short)}</Table.Td>
                  <Table.Td><Text size="xs">{fundWords(o.totals.by_fund)}</Text></Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollRegion>
      )}
    </Paper>
  );
}
