// The scofflaw page's boots and tows: record one placed (a field crew's call, entered by a CSR
// or supervisor), and release one once the plate is paid or on a payment plan. A refused
// release is shown on the boot's own row, with the server's count and amount owed.
import { Alert, Button, Group, NativeSelect, Paper, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { isApiError } from '../../api/client';
import { useBoots, usePlaceBoot, useReleaseBoot, type Boot } from '../../api/boots';
import { formatDate } from '../../lib/dates';
import { RefusalAlert } from '../ledger/common';

type Field = 'plate_state' | 'plate' | 'kind' | 'note';

function RecordBootForm() {
  const place = usePlaceBoot();
  const [v, setV] = useState<Record<Field, string>>({ plate_state: 'CA', plate: '', kind: 'boot', note: '' });
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({});
  const [refusal, setRefusal] = useState<unknown>(null);
  const [done, setDone] = useState<Boot | null>(null);
  const set = (f: Field) => (e: React.ChangeEvent<HTMLInputElement | HTMLSelectElement>) => { const x = e.currentTarget.value; setV((o) => ({ ...o, [f]: x })); };

  const submit = async () => {
    setRefusal(null);
    setDone(null);
    const e: Partial<Record<Field, string>> = {};
    if (!v.plate.trim()) e.plate = 'Enter the plate';
    if (!/^[A-Za-z]{2}$/.test(v.plate_state.trim())) e.plate_state = 'Two letters, e.g. CA';
    setErrors(e);
    if (Object.keys(e).length) return;
    try {
      const b = await place.mutateAsync({ plate_state: v.plate_state.trim().toUpperCase(), plate: v.plate.trim(), kind: v.kind as 'boot' | 'tow', note: v.note.trim() || undefined });
      setDone(b);
      setV((o) => ({ ...o, plate: '', note: '' }));
    } catch (err) {
      if (isApiError(err) && ['plate_state', 'plate', 'kind', 'note'].includes(err.field)) setErrors({ [err.field]: err.message });
      else setRefusal(err);
    }
  };

  return (
    <form onSubmit={(e) => { e.preventDefault(); void submit(); }} aria-labelledby="record-boot-title">
      <Stack gap="xs">
        <Title order={2} size="h4" id="record-boot-title">Record boot/tow</Title>
        <Group align="flex-start" gap="sm">
          <TextInput label="Plate state" value={v.plate_state} onChange={set('plate_state')} error={errors.plate_state} w={110} autoComplete="off" />
          <TextInput label="Plate" value={v.plate} onChange={set('plate')} error={errors.plate} w={160} autoComplete="off" />
          <NativeSelect label="Kind" value={v.kind} onChange={set('kind')} data={[{ value: 'boot', label: 'Boot' }, { value: 'tow', label: 'Tow' }]} error={errors.kind} w={110} />
          <TextInput label="Note" value={v.note} onChange={set('note')} error={errors.note} w={260} autoComplete="off" />
        </Group>
        <Group><Button type="submit" loading={place.isPending}>Record boot/tow</Button></Group>
        <RefusalAlert error={refusal} />
        {done && <Alert color="green" variant="light" role="status">Recorded: {done.kind} on {done.plate} {done.plate_state}.</Alert>}
      </Stack>
    </form>
  );
}

function BootRow({ b }: { b: Boot }) {
  const release = useReleaseBoot();
  const [refusal, setRefusal] = useState<unknown>(null);
  const onRelease = async () => {
    setRefusal(null);
    try { await release.mutateAsync(b.id); } catch (err) { setRefusal(err); }
  };
  return (
    <Table.Tr data-testid={`boot-${b.plate_state}-${b.plate}`}>
      <Table.Td>{b.plate} {b.plate_state}</Table.Td>
      <Table.Td>{b.kind === 'tow' ? 'Tow' : 'Boot'}</Table.Td>
      <Table.Td>{formatDate(b.placed_on)} by {b.placed_by}</Table.Td>
      <Table.Td>{b.note}</Table.Td>
      <Table.Td>
        <Stack gap={4}>
          <Button size="xs" variant="light" onClick={() => void onRelease()} loading={release.isPending} aria-label={`Release ${b.kind} on ${b.plate} ${b.plate_state}`}>Release</Button>
          <RefusalAlert error={refusal} title="Not released" />
        </Stack>
      </Table.Td>
    </Table.Tr>
  );
}

export function BootPanel({ canWrite }: { canWrite: boolean }) {
  const q = useBoots('active');
  const items = q.data?.items ?? [];
  return (
    <Paper withBorder p="md">
      <Stack gap="md">
        {canWrite && <RecordBootForm />}
        {q.error && <Alert color="red" variant="light" role="alert" title="Could not load the boots">{q.error.message}</Alert>}
        <Table withTableBorder striped aria-busy={q.isFetching || undefined} data-testid="boots">
          <Table.Caption style={{ captionSide: 'top', textAlign: 'left' }}>{q.isLoading ? 'Loading…' : `Active boots and tows: ${items.length}`}</Table.Caption>
          <Table.Thead><Table.Tr>
            <Table.Th scope="col">Plate</Table.Th><Table.Th scope="col">Kind</Table.Th><Table.Th scope="col">Placed</Table.Th>
            <Table.Th scope="col">Note</Table.Th><Table.Th scope="col">Release</Table.Th>
          </Table.Tr></Table.Thead>
          <Table.Tbody>
            {!q.isLoading && items.length === 0 && <Table.Tr><Table.Td colSpan={5}><Text size="sm" py="sm">No boot or tow is active.</Text></Table.Td></Table.Tr>}
            {items.map((b) => canWrite ? <BootRow key={b.id} b={b} /> : (
              <Table.Tr key={b.id}><Table.Td>{b.plate} {b.plate_state}</Table.Td><Table.Td>{b.kind}</Table.Td><Table.Td>{formatDate(b.placed_on)} by {b.placed_by}</Table.Td><Table.Td>{b.note}</Table.Td><Table.Td /></Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Stack>
    </Paper>
  );
}
