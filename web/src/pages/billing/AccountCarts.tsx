// The account's refuse carts: size, how many, pickups a week, the days they ran — and, for CSR II
// and up (billing.write), adding a cart and stopping one. A cart is billed for its own days of
// refuse service (src/billing/README.md "Proration"): the stop date is the first day it is not
// collected, so a cart stopped on the 16th is billed to the 15th.
import { Alert, Button, Group, Modal, NumberInput, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import type { BillingAccount } from '../../api/billing';
import { useAddCart, useStopCart } from '../../api/billingRoutes';
import { isApiError } from '../../api/client';
import { useCity } from '../../api/queries';
import { formatDate, todayIn } from '../../lib/dates';

function errorText(e: unknown): string {
  if (isApiError(e)) return e.field ? `${e.message} (field: ${e.field})` : e.message;
  return (e as Error)?.message ?? String(e);
}

const SIZES = ['20', '32', '35', '64', '95', '96'].map((v) => ({ value: v, label: `${v} gallons` }));

export function AccountCarts({ a, canWrite }: { a: BillingAccount; canWrite: boolean }) {
  const number = a.number!;
  const carts = a.refuse_carts ?? [];
  const tz = useCity().data?.time_zone;
  const add = useAddCart(number);
  const stop = useStopCart(number);
  const [adding, setAdding] = useState(false);
  const [size, setSize] = useState<string | null>('64');
  const [count, setCount] = useState<number | string>(1);
  const [pickups, setPickups] = useState<number | string>(1);
  const [startedOn, setStartedOn] = useState('');
  const [stopping, setStopping] = useState<{ id: number; what: string } | null>(null);
  const [stoppedOn, setStoppedOn] = useState('');
  const [status, setStatus] = useState('');

  const what = (c: { size_gallons?: number; count?: number; pickups_per_week?: number }) =>
    `${c.count ?? 1} × ${c.size_gallons} gallon, ${c.pickups_per_week} pickup${c.pickups_per_week === 1 ? '' : 's'} a week`;

  const openAdd = () => {
    setAdding(true);
    setSize('64');
    setCount(1);
    setPickups(1);
    setStartedOn(todayIn(tz));
    add.reset();
  };
  const submitAdd = (e: FormEvent) => {
    e.preventDefault();
    const body = { size_gallons: Number(size), count: Number(count), pickups_per_week: Number(pickups), ...(startedOn ? { started_on: startedOn } : {}) };
    add.mutate(body, { onSuccess: (c) => { setAdding(false); setStatus(`Cart added: ${what(c)} from ${formatDate(c.started_on)}.`); } });
  };
  const submitStop = (e: FormEvent) => {
    e.preventDefault();
    if (!stopping) return;
    stop.mutate({ id: stopping.id, stopped_on: stoppedOn || undefined }, {
      onSuccess: (c) => { setStopping(null); setStatus(`Cart stopped: ${what(c)}, last collected the day before ${formatDate(c.stopped_on)}.`); },
    });
  };

  return (
    <>
      <Group justify="space-between" mt="sm" mb={4}>
        <Title order={3} size="h5">Refuse carts</Title>
        {canWrite && <Button size="compact-sm" variant="default" onClick={openAdd}>Add cart</Button>}
      </Group>
      {carts.length === 0 ? <Text size="sm">No refuse carts.</Text> : (
        <Table withTableBorder aria-label="Refuse carts">
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">Size</Table.Th><Table.Th scope="col">Count</Table.Th><Table.Th scope="col">Pickups a week</Table.Th><Table.Th scope="col">Started</Table.Th><Table.Th scope="col">Stopped</Table.Th>
              {canWrite && <Table.Th scope="col">Action</Table.Th>}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {carts.map((c) => (
              <Table.Tr key={c.id}>
                <Table.Td>{c.size_gallons} gal</Table.Td><Table.Td>{c.count}</Table.Td><Table.Td>{c.pickups_per_week}</Table.Td><Table.Td>{formatDate(c.started_on)}</Table.Td><Table.Td>{formatDate(c.stopped_on)}</Table.Td>
                {canWrite && (
                  <Table.Td>
                    {!c.stopped_on && (
                      <Button size="compact-sm" variant="default" aria-label={`Stop cart: ${what(c)}`} onClick={() => { setStopping({ id: c.id!, what: what(c) }); setStoppedOn(todayIn(tz)); stop.reset(); }}>
                        Stop cart
                      </Button>
                    )}
                  </Table.Td>
                )}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <div aria-live="polite">{status && <Text size="sm" mt={4} data-testid="cart-status">{status}</Text>}</div>
      <Modal opened={adding} onClose={() => setAdding(false)} title="Add a refuse cart">
        <form onSubmit={submitAdd}>
          <Stack gap="sm">
            <Select label="Cart size" data={SIZES} value={size} onChange={setSize} allowDeselect={false} data-autofocus />
            <NumberInput label="How many carts" value={count} onChange={setCount} min={1} max={10} allowDecimal={false} />
            <NumberInput label="Pickups a week" value={pickups} onChange={setPickups} min={1} max={7} allowDecimal={false} />
            <TextInput label="First day collected (YYYY-MM-DD)" value={startedOn} onChange={(e) => setStartedOn(e.currentTarget.value)} />
            {add.error && <Alert color="red" variant="light" role="alert">{errorText(add.error)}</Alert>}
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setAdding(false)}>Cancel</Button>
              <Button type="submit" loading={add.isPending}>Add the cart</Button>
            </Group>
          </Stack>
        </form>
      </Modal>
      <Modal opened={stopping !== null} onClose={() => setStopping(null)} title="Stop a refuse cart">
        <form onSubmit={submitStop}>
          <Stack gap="sm">
            <Text size="sm">{stopping?.what}. The cart is billed up to the day before the stop date.</Text>
            <TextInput label="First day not collected (YYYY-MM-DD)" value={stoppedOn} onChange={(e) => setStoppedOn(e.currentTarget.value)} data-autofocus />
            {stop.error && <Alert color="red" variant="light" role="alert">{errorText(stop.error)}</Alert>}
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setStopping(null)}>Cancel</Button>
              <Button type="submit" loading={stop.isPending}>Stop the cart</Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </>
  );
}
