import { Alert, Anchor, Badge, Button, Group, Loader, Paper, Stack, Table, Tabs, Text, TextInput, Title } from '@mantine/core';
import { Fragment, useEffect, useMemo, useState, type FormEvent } from 'react';
import { useSearchParams } from 'react-router-dom';
import { useCity } from '../api/queries';
import { AGING_BUCKETS, journalUrl, useAging, useTrialBalance, type AgingReport, type AgingRow } from '../api/reports';
import { EChart, type EChartOption } from '../components/EChart';
import { Money } from '../components/Money';
import { formatDate, isIsoDate, todayIn } from '../lib/dates';
import { formatMoney, toCents } from '../lib/money';
import { usePageTitle } from '../lib/usePageTitle';

const right = { textAlign: 'right' } as const;
const TABS = ['aging', 'trial-balance', 'journal'] as const;
type Tab = (typeof TABS)[number];
const TAB_LABEL: Record<Tab, string> = { aging: 'Aging', 'trial-balance': 'Trial balance', journal: 'Journal export' };

export function ReportsPage() {
  const tz = useCity().data?.time_zone;
  const today = todayIn(tz);
  const [params, setParams] = useSearchParams();
  const tab: Tab = (TABS as readonly string[]).includes(params.get('tab') ?? '') ? (params.get('tab') as Tab) : 'aging';
  const date = isIsoDate(params.get('date')) ? params.get('date')! : today;
  usePageTitle(`${TAB_LABEL[tab]} · Reports`);

  const set = (patch: Record<string, string | null>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(patch)) if (v) next.set(k, v); else next.delete(k);
    setParams(next);
  };

  return (
    <Stack gap="sm">
      <Title order={1} size="h2">Reports</Title>
      <Tabs value={tab} onChange={(t) => set({ tab: t === 'aging' ? null : t })} keepMounted={false}>
        <Tabs.List>
          {TABS.map((t) => <Tabs.Tab key={t} value={t}>{TAB_LABEL[t]}</Tabs.Tab>)}
        </Tabs.List>
        <Stack gap="sm" pt="sm">
          <DateForm date={date} today={today} label={tab === 'journal' ? 'Posting date' : 'As of'} onDate={(d) => set({ date: d === today ? null : d })} />
          <Tabs.Panel value="aging"><AgingPanel date={date} /></Tabs.Panel>
          <Tabs.Panel value="trial-balance"><TrialBalancePanel date={date} /></Tabs.Panel>
          <Tabs.Panel value="journal"><JournalPanel date={date} /></Tabs.Panel>
        </Stack>
      </Tabs>
    </Stack>
  );
}

function DateForm({ date, today, label, onDate }: { date: string; today: string; label: string; onDate: (d: string) => void }) {
  const [draft, setDraft] = useState(date);
  const [error, setError] = useState<string>();
  useEffect(() => setDraft(date), [date]);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!isIsoDate(draft)) { setError('Enter a date'); return; }
    setError(undefined);
    onDate(draft);
  };
  return (
    <form onSubmit={submit} aria-label="Report date">
      <Group align="flex-end" gap="sm">
        <TextInput type="date" label={label} value={draft} max={today} error={error} onChange={(e) => setDraft(e.currentTarget.value)} />
        <Button type="submit" variant="default">Show</Button>
        {date !== today && <Button variant="subtle" onClick={() => onDate(today)}>Today</Button>}
      </Group>
    </form>
  );
}

// Colour-blind-safe (Okabe–Ito) from calm to urgent; decals tell the series apart without colour.
const BUCKET_COLORS = ['#009E73', '#56B4E9', '#E69F00', '#D55E00', '#8B1A1A'];

function agingChart(r: AgingReport): EChartOption {
  const funds = r.fund_totals.map((f) => f.fund_name || f.fund);
  return {
    aria: { enabled: true, decal: { show: true }, label: { description: `Aging by fund as of ${formatDate(r.as_of)}: stacked bars of what is owed by how long past due.` } },
    color: BUCKET_COLORS,
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      valueFormatter: (v: unknown) => formatMoney(String(Number(v).toFixed(2))),
    },
    legend: { top: 0 },
    grid: { left: 8, right: 16, bottom: 8, top: 36, containLabel: true },
    xAxis: { type: 'category', data: funds },
    yAxis: { type: 'value', axisLabel: { formatter: (v: number) => `$${v.toLocaleString('en-US')}` } },
    series: AGING_BUCKETS.map((b) => ({
      name: b.label,
      type: 'bar',
      stack: 'owed',
      emphasis: { focus: 'series' },
      // Chart only: display values as numbers (the table beside it shows the exact amounts).
      data: r.fund_totals.map((f) => Number(f[b.key])),
    })),
  };
}

function AgingPanel({ date }: { date: string }) {
  const q = useAging(date);
  const r = q.data;
  const option = useMemo(() => (r ? agingChart(r) : null), [r]);
  if (q.isLoading) return <Loader aria-label="Loading the aging report" />;
  if (q.error) return <Alert color="red" variant="light" role="alert" title="Could not load the aging report">{q.error.message}</Alert>;
  if (!r) return null;

  const byFund = r.fund_totals.map((ft) => ({ total: ft, rows: r.rows.filter((x) => x.fund === ft.fund) }));
  const cells = (row: AgingRow | AgingReport['total'], strong = false) => (
    <>
      {AGING_BUCKETS.map((b) => <Table.Td key={b.key} fw={strong ? 700 : undefined}><Money value={row[b.key]} /></Table.Td>)}
      <Table.Td fw={700}><Money value={row.total} /></Table.Td>
    </>
  );

  return (
    <Stack gap="sm" data-testid="aging">
      <Text size="sm">What is owed to the City as of {formatDate(r.as_of)}, by how long it is past its due date. {q.isFetching && <Loader size="xs" aria-label="Refreshing" />}</Text>
      {r.fund_totals.length === 0 ? (
        <Text size="sm">Nothing is owed as of this date.</Text>
      ) : (
        <>
          <Paper withBorder p="xs">
            {option && <EChart option={option} label={`Chart: aging by fund as of ${formatDate(r.as_of)}. The same figures are in the table below.`} />}
          </Paper>
          <Table.ScrollContainer minWidth={900}>
            <Table withTableBorder aria-label={`Aging by fund and kind as of ${formatDate(r.as_of)}`}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">Fund</Table.Th>
                  <Table.Th scope="col">Kind</Table.Th>
                  {AGING_BUCKETS.map((b) => <Table.Th key={b.key} scope="col" style={right}>{b.label}</Table.Th>)}
                  <Table.Th scope="col" style={right}>Total</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {byFund.map(({ total, rows }) => (
                  <Fragment key={total.fund}>
                    {rows.map((row) => (
                      <Table.Tr key={`${row.fund}-${row.kind}`}>
                        <Table.Td>{row.fund_name || row.fund}</Table.Td>
                        <Table.Td>{row.kind_name || row.kind}</Table.Td>
                        {cells(row)}
                      </Table.Tr>
                    ))}
                    <Table.Tr style={{ background: 'var(--mantine-color-gray-1)' }}>
                      <Table.Th scope="row" colSpan={2}>{total.fund_name || total.fund} — all kinds</Table.Th>
                      {cells(total, true)}
                    </Table.Tr>
                  </Fragment>
                ))}
              </Table.Tbody>
              <Table.Tfoot>
                <Table.Tr>
                  <Table.Th scope="row" colSpan={2}>All funds</Table.Th>
                  {cells(r.total, true)}
                </Table.Tr>
              </Table.Tfoot>
            </Table>
          </Table.ScrollContainer>
        </>
      )}
    </Stack>
  );
}

function TrialBalancePanel({ date }: { date: string }) {
  const q = useTrialBalance(date);
  const tb = q.data;
  if (q.isLoading) return <Loader aria-label="Loading the trial balance" />;
  if (q.error) return <Alert color="red" variant="light" role="alert" title="Could not load the trial balance">{q.error.message}</Alert>;
  if (!tb) return null;
  return (
    <Stack gap="md" data-testid="trial-balance">
      <Text size="sm">
        Every account’s debits and credits posted on or before {formatDate(tb.as_of)}, fund by fund. Each fund is its own set of books:
        its debits must equal its credits. {q.isFetching && <Loader size="xs" aria-label="Refreshing" />}
      </Text>
      {tb.funds.length === 0 && <Text size="sm">Nothing posted as of this date.</Text>}
      {tb.funds.map((f) => (
        <section key={f.fund} aria-labelledby={`tb-${f.fund}`}>
          <Group gap="sm" mb={4}>
            <Title order={2} size="h5" id={`tb-${f.fund}`}>{f.name ? `${f.name} (${f.fund})` : f.fund}</Title>
            {f.balanced
              ? <Badge color="green" variant="light">Balanced</Badge>
              : <Badge color="red" variant="filled">Out of balance by {formatMoney(toCents(f.debits) - toCents(f.credits))}</Badge>}
          </Group>
          <Table.ScrollContainer minWidth={760}>
            <Table withTableBorder striped aria-label={`Trial balance of ${f.name || f.fund}`} style={{ tableLayout: 'fixed' }}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col" style={{ width: 160 }}>Account</Table.Th>
                  <Table.Th scope="col">Name</Table.Th>
                  <Table.Th scope="col" style={{ width: 100 }}>Type</Table.Th>
                  <Table.Th scope="col" style={{ ...right, width: 150 }}>Debits</Table.Th>
                  <Table.Th scope="col" style={{ ...right, width: 150 }}>Credits</Table.Th>
                  <Table.Th scope="col" style={{ ...right, width: 170 }}>Balance</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {f.accounts.map((a) => {
                  const net = toCents(a.net);
                  return (
                    <Table.Tr key={a.account}>
                      <Table.Td ff="monospace">{a.account}</Table.Td>
                      <Table.Td>{a.name || '—'}</Table.Td>
                      <Table.Td>{a.type || '—'}</Table.Td>
                      <Table.Td><Money value={a.debits} /></Table.Td>
                      <Table.Td><Money value={a.credits} /></Table.Td>
                      <Table.Td className="num">{net === 0n ? formatMoney(0n) : `${formatMoney(net < 0n ? -net : net)} ${net > 0n ? 'Dr' : 'Cr'}`}</Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
              <Table.Tfoot>
                <Table.Tr>
                  <Table.Th scope="row" colSpan={3}>{f.fund} totals</Table.Th>
                  <Table.Td fw={700}><Money value={f.debits} /></Table.Td>
                  <Table.Td fw={700}><Money value={f.credits} /></Table.Td>
                  <Table.Td />
                </Table.Tr>
              </Table.Tfoot>
            </Table>
          </Table.ScrollContainer>
        </section>
      ))}
      {tb.funds.length > 0 && (
        <Text size="sm" fw={600}>All funds: debits {formatMoney(tb.debits)}, credits {formatMoney(tb.credits)}.</Text>
      )}
    </Stack>
  );
}

function JournalPanel({ date }: { date: string }) {
  return (
    <Stack gap="xs" data-testid="journal-export">
      <Text size="sm">Every journal line posted on {formatDate(date)}, as a CSV file for the general ledger.</Text>
      <Anchor href={journalUrl(date)} download={`journal-${date}.csv`} fw={600}>
        Download the journal for {formatDate(date)} (CSV)
      </Anchor>
    </Stack>
  );
}
