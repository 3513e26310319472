import { Alert, Anchor, Button, Group, Loader, Paper, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useEffect, useState, type FormEvent } from 'react';
import { Link, useParams, useSearchParams } from 'react-router-dom';
import { isApiError } from '../api/client';
import { useCity, useParty } from '../api/queries';
import { AGING_BUCKETS, statementUrl, useStatement } from '../api/reports';
import { Money } from '../components/Money';
import { formatDate, isIsoDate, todayIn } from '../lib/dates';
import { usePageTitle } from '../lib/usePageTitle';

const right = { textAlign: 'right' } as const;

function minusDays(iso: string, days: number): string {
  const d = new Date(`${iso}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() - days);
  return d.toISOString().slice(0, 10);
}

export function StatementPage() {
  const { id: idParam } = useParams();
  const id = Number(idParam);
  const party = useParty(id);
  const tz = useCity().data?.time_zone;
  const [params, setParams] = useSearchParams();
  const today = todayIn(tz);
  const to = isIsoDate(params.get('to')) ? params.get('to')! : today;
  const from = isIsoDate(params.get('from')) ? params.get('from')! : minusDays(to, 30);
  const [draft, setDraft] = useState({ from, to });
  const [fieldError, setFieldError] = useState<{ from?: string; to?: string }>({});
  useEffect(() => { setDraft({ from, to }); }, [from, to]);
  usePageTitle(party.data ? `Statement · ${party.data.display_name}` : 'Statement');

  const valid = from <= to;
  const q = useStatement(valid ? id : 0, from, to);
  const s = q.data;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const errs: { from?: string; to?: string } = {};
    if (!isIsoDate(draft.from)) errs.from = 'Enter the first day of the period';
    if (!isIsoDate(draft.to)) errs.to = 'Enter the last day of the period';
    if (!errs.from && !errs.to && draft.from > draft.to) errs.from = 'The period must start on or before its last day';
    setFieldError(errs);
    if (errs.from || errs.to) return;
    setParams({ from: draft.from, to: draft.to });
  };

  if (!Number.isInteger(id) || id <= 0) {
    return <Alert color="red" role="alert" title="Not a customer number">“{idParam}” is not a customer number.</Alert>;
  }

  const apiFieldError = isApiError(q.error) ? q.error.field : '';

  return (
    <Stack gap="sm">
      <div>
        <Anchor component={Link} to={`/parties/${id}`} size="sm">← {party.data?.display_name ?? `Customer no. ${id}`}</Anchor>
        <Title order={1} size="h2">Statement of account</Title>
      </div>

      <form onSubmit={submit} aria-label="Statement period">
        <Group align="flex-end" gap="sm" wrap="wrap">
          <TextInput type="date" label="From" value={draft.from} max={draft.to || undefined}
            onChange={(e) => setDraft((d) => ({ ...d, from: e.currentTarget.value }))}
            error={fieldError.from ?? (apiFieldError === 'from' ? (q.error as Error).message : undefined)} />
          <TextInput type="date" label="To" value={draft.to}
            onChange={(e) => setDraft((d) => ({ ...d, to: e.currentTarget.value }))}
            error={fieldError.to ?? (apiFieldError === 'to' ? (q.error as Error).message : undefined)} />
          <Button type="submit" variant="default">Show</Button>
          <Button component="a" href={statementUrl(id, from, to, 'pdf')} target="_blank" rel="noopener" disabled={!valid}
            aria-label={`PDF of the statement from ${formatDate(from)} to ${formatDate(to)}`}>
            PDF
          </Button>
          {q.isFetching && <Loader size="xs" aria-label="Loading the statement" />}
        </Group>
      </form>

      {q.error && !apiFieldError && (
        <Alert color="red" variant="light" role="alert" title="Could not make the statement">{q.error.message}</Alert>
      )}
      {q.isLoading && <Loader aria-label="Loading the statement" />}

      {s && (
        <Paper withBorder p="md" data-testid="statement">
          <Group justify="space-between" align="flex-start" mb="sm" wrap="wrap">
            <div>
              <Text fw={700}>{s.city}</Text>
              <Text fw={600} mt="xs">{s.party.name}</Text>
              {s.party.address.map((l, i) => <Text size="sm" key={i}>{l}</Text>)}
            </div>
            <div style={{ textAlign: 'right' }}>
              <Text size="sm">Customer no. {s.party.id}</Text>
              <Text size="sm">Period {formatDate(s.from)} – {formatDate(s.to)}</Text>
            </div>
          </Group>

          <SimpleGrid cols={{ base: 2, md: 5 }} spacing="sm" mb="md">
            <Figure label="Opening balance" value={s.opening_balance} />
            <Figure label="Charges" value={s.total_charges} />
            <Figure label="Payments and credits" value={s.total_payments} />
            <Figure label="Closing balance" value={s.closing_balance} strong />
            <Figure label="Of which credit on account" value={s.closing_credit} />
          </SimpleGrid>

          <Table.ScrollContainer minWidth={720}>
            <Table withTableBorder striped aria-label="Statement entries">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">Date</Table.Th>
                  <Table.Th scope="col">What happened</Table.Th>
                  <Table.Th scope="col" style={right}>Charges</Table.Th>
                  <Table.Th scope="col" style={right}>Payments</Table.Th>
                  <Table.Th scope="col" style={right}>Balance</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                <Table.Tr>
                  <Table.Td className="nowrap">{formatDate(s.from)}</Table.Td>
                  <Table.Td><Text size="sm" fw={600}>Opening balance</Text></Table.Td>
                  <Table.Td />
                  <Table.Td />
                  <Table.Td><Money value={s.opening_balance} /></Table.Td>
                </Table.Tr>
                {s.entries.length === 0 && (
                  <Table.Tr><Table.Td colSpan={5}><Text size="sm">Nothing happened in this period.</Text></Table.Td></Table.Tr>
                )}
                {s.entries.map((e) => (
                  <Table.Tr key={e.entry_id}>
                    <Table.Td className="nowrap">{formatDate(e.date)}</Table.Td>
                    <Table.Td><Text size="sm"><Text span fw={600}>{e.description}:</Text> {e.memo}</Text></Table.Td>
                    <Table.Td>{e.charges !== '0.00' && <Money value={e.charges} />}</Table.Td>
                    <Table.Td>{e.payments !== '0.00' && <Money value={e.payments} />}</Table.Td>
                    <Table.Td><Money value={e.balance} /></Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
              <Table.Tfoot>
                <Table.Tr>
                  <Table.Th scope="row" colSpan={2}>Totals · closing balance</Table.Th>
                  <Table.Td><Money value={s.total_charges} /></Table.Td>
                  <Table.Td><Money value={s.total_payments} /></Table.Td>
                  <Table.Td fw={700}><Money value={s.closing_balance} /></Table.Td>
                </Table.Tr>
              </Table.Tfoot>
            </Table>
          </Table.ScrollContainer>

          <Title order={2} size="h5" mt="md" mb="xs">How old the open charges are (as of {formatDate(s.to)})</Title>
          <Table withTableBorder aria-label="Open charges by age" maw={760}>
            <Table.Thead>
              <Table.Tr>
                {AGING_BUCKETS.map((b) => <Table.Th key={b.key} scope="col" style={right}>{b.label}</Table.Th>)}
                <Table.Th scope="col" style={right}>Total owed</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              <Table.Tr>
                {AGING_BUCKETS.map((b) => <Table.Td key={b.key}><Money value={s.aging[b.key]} /></Table.Td>)}
                <Table.Td fw={700}><Money value={s.aging.total} /></Table.Td>
              </Table.Tr>
            </Table.Tbody>
          </Table>
        </Paper>
      )}
    </Stack>
  );
}

function Figure({ label, value, strong }: { label: string; value: string; strong?: boolean }) {
  return (
    <div>
      <Text size="xs" c="dimmed" fw={600} tt="uppercase">{label}</Text>
      <Text size={strong ? 'lg' : 'md'} fw={strong ? 700 : 500} component="div"><span style={{ display: 'inline-block' }}><Money value={value} /></span></Text>
    </div>
  );
}
