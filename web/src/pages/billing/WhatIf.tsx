// The rate what-if: what a usage figure (or an account's latest period) costs under the rates in
// force, the proposed version or a named one — every line with its explanation. Nothing is stored.
// The meter size (its fixed charge) is chosen from the sizes the tariff prices; on an account it
// defaults to the account's own meter, and another size answers "what would a bigger meter cost?".
import { Alert, Button, Group, NativeSelect, NumberInput, Paper, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useWhatIf, type WhatIfBody } from '../../api/billing';
import { useWhatIfOptions } from '../../api/billingQueue';
import { isApiError } from '../../api/client';
import { Money } from '../../components/Money';
import { formatDate } from '../../lib/dates';
import { usePageTitle } from '../../lib/usePageTitle';
import { BillingTabs } from './BillingTabs';

const VERSIONS = [
  { value: 'current', label: 'Current (in force)' },
  { value: 'proposed', label: 'Proposed' },
];

export function WhatIfPanel({ accountNumber }: { accountNumber?: number }) {
  const w = useWhatIf();
  const [version, setVersion] = useState<string>('current');
  const [usage, setUsage] = useState('');
  const [rateClass, setRateClass] = useState('RES');
  const [days, setDays] = useState<number | string>(30);
  // '' on an account: its own meter's size.
  const [meterSize, setMeterSize] = useState(accountNumber ? '' : '5/8"');
  const options = useWhatIfOptions();
  const sizes = options.data?.meter_sizes ?? ['5/8"'];
  const sizeChoices = [
    ...(accountNumber ? [{ value: '', label: 'The account’s meter' }] : []),
    ...sizes.map((s) => ({ value: s, label: s })),
  ];
  const idPrefix = accountNumber ? `whatif-${accountNumber}` : 'whatif';

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const body: WhatIfBody = { rate_version: version };
    if (accountNumber) body.account_number = accountNumber;
    else body.rate_class = rateClass.trim();
    if (meterSize) body.meter_size = meterSize;
    if (usage.trim()) body.usage_ccf = usage.trim();
    if (days !== '' && (!accountNumber || usage.trim())) body.days = Number(days);
    w.mutate(body);
  };

  const r = w.data;
  return (
    <Paper withBorder p="sm" component="section" aria-labelledby={`${idPrefix}-h`}>
      <Title order={2} size="h4" id={`${idPrefix}-h`} mb="xs">Rate what-if</Title>
      <Text size="sm" mb="xs">
        {accountNumber
          ? 'Price this account’s latest period (or a usage figure) under the current or proposed rates. Nothing is stored.'
          : 'Price a usage figure for a water rate class under the current or proposed rates. Nothing is stored.'}
      </Text>
      <form onSubmit={submit}>
        <Group align="flex-end" wrap="wrap">
          <Select label="Rate version" data={VERSIONS} value={version} onChange={(v) => setVersion(v ?? 'current')} allowDeselect={false} w={200} />
          {!accountNumber && <TextInput label="Rate class" value={rateClass} onChange={(e) => setRateClass(e.currentTarget.value)} w={120} />}
          <NativeSelect label={accountNumber ? 'Meter size to price' : 'Meter size'} value={meterSize} onChange={(e) => setMeterSize(e.currentTarget.value)} data={sizeChoices} w={accountNumber ? 190 : 120} />
          <TextInput label={accountNumber ? 'Usage in CCF (blank: latest period)' : 'Usage in CCF'} value={usage} onChange={(e) => setUsage(e.currentTarget.value)} w={220} />
          <NumberInput label="Days" value={days} onChange={setDays} min={1} max={400} allowDecimal={false} w={100} />
          <Button type="submit" loading={w.isPending}>Price it</Button>
        </Group>
      </form>
      <div aria-live="polite">
        {w.error && <Alert mt="sm" color="red" variant="light" role="alert" title="Could not price it">{isApiError(w.error) && w.error.field ? `${w.error.message} (field: ${w.error.field})` : w.error.message}</Alert>}
        {r && (
          <Stack gap={4} mt="sm">
            <Text size="sm">
              Rate version {r.rate_version}{r.proposed ? ' (proposed)' : ''}: {formatDate(r.from)} to {formatDate(r.to)} ({r.days} days), {r.usage_ccf} CCF{r.meter_size ? `, meter ${r.meter_size}` : ''}.
            </Text>
            {(r.warnings ?? []).map((x) => <Alert key={x} color="yellow" variant="light">{x}</Alert>)}
            <Table withTableBorder striped aria-label="What-if charges">
              <Table.Thead>
                <Table.Tr><Table.Th scope="col">Service</Table.Th><Table.Th scope="col">Charge and how it was computed</Table.Th><Table.Th scope="col" style={{ textAlign: 'right' }}>Amount</Table.Th></Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {(r.lines ?? []).map((l, i) => (
                  <Table.Tr key={i}>
                    <Table.Td>{l.service}</Table.Td>
                    <Table.Td><Text size="sm">{l.description}</Text><Text size="xs">{l.explanation}</Text></Table.Td>
                    <Table.Td><Money value={l.amount ?? '0'} /></Table.Td>
                  </Table.Tr>
                ))}
                <Table.Tr><Table.Th scope="row" colSpan={2}>Total</Table.Th><Table.Td fw={700}><Money value={r.total ?? '0'} /></Table.Td></Table.Tr>
              </Table.Tbody>
            </Table>
          </Stack>
        )}
      </div>
    </Paper>
  );
}

export function WhatIfPage() {
  usePageTitle('Rate what-if');
  return (
    <Stack gap="sm">
      <Title order={1} size="h2">Rate what-if</Title>
      <BillingTabs />
      <WhatIfPanel />
    </Stack>
  );
}
