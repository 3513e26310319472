// The supervisor's view of the counter: every drawer with its open session and running total by
// tender, a session's transactions with VOID, counting and closing a session on a cashier's
// behalf, the card reconciler, the end-of-day balancing report, and drawer administration.
import { Alert, Badge, Button, Group, Loader, Modal, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { useDrawers, useReconcileCards, type CashierSession, type Drawer } from '../api/counter';
import { useCity } from '../api/queries';
import { useUser } from '../auth/session';
import { BalancingReport, fundWords } from '../components/counter/BalancingReport';
import { BlindClose } from '../components/counter/BlindClose';
import { TENDER_KINDS } from '../components/counter/cart';
import { DrawerDialog } from '../components/counter/DrawerDialog';
import { SessionTransactions } from '../components/counter/SessionTransactions';
import { RefusalAlert } from '../components/ledger/common';
import { Money } from '../components/Money';
import { formatDateTime, isIsoDate, todayIn } from '../lib/dates';
import { useIdempotencyKey } from '../lib/ledger';
import { formatMoney } from '../lib/money';
import { can } from '../lib/permissions';
import { usePageTitle } from '../lib/usePageTitle';
import { ScrollRegion } from '../components/counter/ScrollRegion';

export function DrawersPage() {
  usePageTitle('Drawers');
  const user = useUser();
  const tz = useCity().data?.time_zone;
  const drawers = useDrawers();
  const reconcile = useReconcileCards();
  const reconcileKey = useIdempotencyKey();
  const [params, setParams] = useSearchParams();
  const [editing, setEditing] = useState<{ drawer: Drawer | null } | null>(null);
  const [counting, setCounting] = useState<CashierSession | null>(null);
  const [reconcileError, setReconcileError] = useState<unknown>(null);
  const date = params.get('date') ?? todayIn(tz);
  const shownSession = Number(params.get('session') ?? 0);
  const items = drawers.data?.items ?? [];
  const shown = items.find((d) => d.session?.id === shownSession)?.session ?? undefined;
  const supervise = can(user, 'drawer.supervise');

  const setParam = (k: string, v: string | null) => {
    const next = new URLSearchParams(params);
    if (v) next.set(k, v); else next.delete(k);
    setParams(next, { replace: true });
  };

  const runReconcile = async () => {
    setReconcileError(null);
    try {
      const r = await reconcile.mutateAsync({ key: reconcileKey.key() });
      reconcileKey.reset();
      notifications.show({
        color: r.still_unknown ? 'orange' : 'green',
        title: 'Card payments reconciled',
        message: `${r.approved} approved and posted, ${r.declined} declined, ${r.still_unknown} still unknown.`,
      });
    } catch (err) {
      reconcileKey.settle(err);
      setReconcileError(err);
    }
  };

  return (
    <Stack gap="sm">
      <Group justify="space-between" align="flex-end" wrap="wrap">
        <Title order={1} size="h2">Drawers</Title>
        <Group gap="xs">
          <Button variant="default" onClick={runReconcile} loading={reconcile.isPending}>Reconcile unknown card payments</Button>
          {supervise && <Button onClick={() => setEditing({ drawer: null })}>New drawer</Button>}
        </Group>
      </Group>
      <RefusalAlert error={reconcileError} />
      {drawers.error && <Alert color="red" variant="light" role="alert" title="Could not load the drawers">{drawers.error.message}</Alert>}

      <Paper withBorder p="sm" component="section" aria-labelledby="open-sessions">
        <Group justify="space-between" mb="xs">
          <Title order={2} size="h4" id="open-sessions">Drawers and open sessions</Title>
          {drawers.isFetching && <Loader size="xs" aria-label="Loading" />}
        </Group>
        <ScrollRegion label="Drawers (scrolls sideways)" minWidth={1000}>
          <Table withTableBorder striped aria-label="Drawers" data-testid="drawers">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Drawer</Table.Th>
                <Table.Th scope="col">Bank account · printer</Table.Th>
                <Table.Th scope="col">Session</Table.Th>
                <Table.Th scope="col">Running total by tender</Table.Th>
                <Table.Th scope="col" style={{ textAlign: 'right' }}>Expected cash</Table.Th>
                <Table.Th scope="col">Transactions</Table.Th>
                <Table.Th scope="col">Actions</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((d) => {
                const s = d.session;
                const t = d.totals;
                return (
                  <Table.Tr key={d.code} data-testid={`drawer-${d.code}`}>
                    <Table.Th scope="row" style={{ fontWeight: 400 }}>
                      <Text size="sm" fw={700}>{d.code}</Text>
                      <Text size="xs">{d.name} · {d.office}</Text>
                    </Table.Th>
                    <Table.Td><Text size="xs">{d.bank_account}</Text><Text size="xs">{d.printer || 'no printer'}</Text></Table.Td>
                    <Table.Td>
                      {s ? (
                        <>
                          <Text size="sm">{s.cashier}</Text>
                          <Group gap={4}>
                            <Badge size="sm" variant="light" color={s.status === 'open' ? 'green' : 'orange'}>{s.status}</Badge>
                            <Text size="xs">no. {s.id} · since {formatDateTime(s.opened_at, tz)}</Text>
                          </Group>
                        </>
                      ) : <Text size="sm">Free</Text>}
                    </Table.Td>
                    <Table.Td>
                      {t ? (
                        <>
                          {TENDER_KINDS.filter((k) => t.by_tender[k.kind]).map((k) => (
                            <Text size="xs" key={k.kind}>{k.label} <span className="num">{formatMoney(t.by_tender[k.kind])}</span></Text>
                          ))}
                          <Text size="xs" fw={600}>Receipts <span className="num">{formatMoney(t.receipts)}</span></Text>
                          <Text size="xs">{fundWords(t.by_fund)}</Text>
                        </>
                      ) : '—'}
                    </Table.Td>
                    <Table.Td>{t ? <Money value={t.expected_cash} /> : '—'}</Table.Td>
                    <Table.Td>
                      {t ? (
                        <Text size="xs">
                          {t.transactions} posted · {t.voided} voided
                          {t.card_unknown ? <><br /><strong>{t.card_unknown} card payment{t.card_unknown === 1 ? '' : 's'} unknown</strong></> : null}
                        </Text>
                      ) : '—'}
                    </Table.Td>
                    <Table.Td>
                      <Group gap={4}>
                        {s && (
                          <Button size="compact-xs" variant="default" onClick={() => setParam('session', shownSession === s.id ? null : String(s.id))} aria-label={`Transactions of drawer ${d.code}`} aria-expanded={shownSession === s.id}>
                            Transactions
                          </Button>
                        )}
                        {s && supervise && (
                          <Button size="compact-xs" variant="default" onClick={() => setCounting(s)} aria-label={`Count and close drawer ${d.code}`}>
                            {s.status === 'counted' ? 'Close…' : 'Count and close…'}
                          </Button>
                        )}
                        {supervise && <Button size="compact-xs" variant="subtle" onClick={() => setEditing({ drawer: d })} aria-label={`Edit drawer ${d.code}`}>Edit</Button>}
                      </Group>
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </ScrollRegion>
      </Paper>

      {shown && <SessionTransactions session={shown} onClose={() => setParam('session', null)} />}

      <BalancingReport date={date} onDate={(d) => setParam('date', isIsoDate(d) ? d : null)} />

      <DrawerDialog opened={!!editing} drawer={editing?.drawer ?? null} onClose={() => setEditing(null)} key={editing?.drawer?.code ?? 'new'} />
      <Modal opened={!!counting} onClose={() => setCounting(null)} title={counting ? `Count drawer ${counting.drawer} for ${counting.cashier}` : 'Count'} size="xl">
        {counting && <BlindClose session={counting} onCancel={() => setCounting(null)} onDone={() => setCounting(null)} />}
      </Modal>
    </Stack>
  );
}
