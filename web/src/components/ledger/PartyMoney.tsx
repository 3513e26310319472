// The money half of the customer page: what they owe (by kind), the ledger in plain words,
// payments and refunds, and the actions this user's role allows.
import { Alert, Anchor, Badge, Button, Group, Loader, Paper, SegmentedControl, Stack, Table, Tabs, Text, Title } from '@mantine/core';
import { Fragment, useMemo, useState, type ReactNode } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import {
  useLedgerSettings, usePartyLedger, usePartyObligations, usePartyPayments, usePartyRefunds, type ObligationAction,
} from '../../api/ledger';
import { useCity } from '../../api/queries';
import type { LedgerSettings, Obligation, Party, PartyBalance, Payment, Refund } from '../../api/types';
import { useUser } from '../../auth/session';
import { formatDate, formatDateTime, todayIn } from '../../lib/dates';
import {
  CHANNELS, effectWords, entryKindWords, kindName, labelOf, PAYMENT_STATUS_LABEL, REFUND_METHOD_LABEL, REFUND_STATUS_LABEL,
  STATUS_COLOR, STATUS_LABEL, TENDERS,
} from '../../lib/ledger';
import { formatMoney, sumCents, toCents } from '../../lib/money';
import { can } from '../../lib/permissions';
import { Money } from '../Money';
import { AdjustDialog } from './AdjustDialog';
import { ChargeDialog } from './ChargeDialog';
import { ObligationActionDialog } from './ObligationActionDialog';
import { isCashOnly, PaymentDialog } from './PaymentDialog';
import { ReturnPaymentDialog, TransferPaymentDialog } from './PaymentDialogs';
import { IssueRefundDialog, RequestRefundDialog } from './RefundDialogs';

type Dialog =
  | { kind: 'charge' }
  | { kind: 'pay' }
  | { kind: 'adjust'; o: Obligation }
  | { kind: 'obligation'; o: Obligation; action: ObligationAction }
  | { kind: 'return'; p: Payment }
  | { kind: 'transfer'; p: Payment }
  | { kind: 'refund' }
  | { kind: 'issue'; r: Refund };

const TABS = ['owed', 'ledger', 'payments', 'refunds'] as const;
type Tab = (typeof TABS)[number];

const right = { textAlign: 'right' } as const;

export function PartyMoney({ party }: { party: Party }) {
  const user = useUser();
  const [params, setParams] = useSearchParams();
  const tab: Tab = (TABS as readonly string[]).includes(params.get('tab') ?? '') ? (params.get('tab') as Tab) : 'owed';
  const setTab = (t: string | null) => {
    const next = new URLSearchParams(params);
    if (!t || t === 'owed') next.delete('tab'); else next.set('tab', t);
    setParams(next, { replace: true });
  };
  const [dialog, setDialog] = useState<Dialog | null>(null);
  // A new number each time a dialog opens: its form (and Idempotency-Key) start afresh.
  const [openCount, setOpenCount] = useState(0);
  const openDialog = (d: Dialog) => { setOpenCount((n) => n + 1); setDialog(d); };
  const close = () => setDialog(null);

  const settings = useLedgerSettings();
  const obligations = usePartyObligations(party.id);
  const ledger = usePartyLedger(party.id);
  const balance = ledger.data?.balance;
  const credit = balance?.credit ?? '0.00';
  const obls = obligations.data?.items ?? [];

  return (
    <Paper withBorder p="sm" component="section" aria-labelledby="sec-money" data-testid="obligations">
      <Group justify="space-between" align="flex-start" mb="xs" wrap="wrap">
        <Title order={2} size="h4" id="sec-money">What they owe</Title>
        <Group gap="xs" wrap="wrap">
          {can(user, 'ledger.charge') && <Button size="xs" variant="default" onClick={() => openDialog({ kind: 'charge' })}>New charge</Button>}
          {can(user, 'payment.post') && <Button size="xs" onClick={() => openDialog({ kind: 'pay' })}>Take payment</Button>}
          {can(user, 'refund.request') && toCents(credit) > 0n && (
            <Button size="xs" variant="default" onClick={() => openDialog({ kind: 'refund' })}>Request refund</Button>
          )}
          <Button size="xs" variant="subtle" component={Link} to={`/parties/${party.id}/statement`}>Statement</Button>
        </Group>
      </Group>

      <BalanceSummary balance={balance} loading={ledger.isLoading} error={ledger.error} party={party} />

      <Tabs value={tab} onChange={setTab} mt="sm" keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="owed">Obligations{obligations.data ? ` (${obls.length})` : ''}</Tabs.Tab>
          <Tabs.Tab value="ledger">Ledger</Tabs.Tab>
          <Tabs.Tab value="payments">Payments</Tabs.Tab>
          <Tabs.Tab value="refunds">Refunds</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="owed" pt="sm">
          <ObligationsByKind
            obligations={obls}
            loading={obligations.isLoading}
            error={obligations.error}
            settings={settings.data}
            onAction={(o, action) => openDialog(action === 'adjust' ? { kind: 'adjust', o } : { kind: 'obligation', o, action })}
          />
        </Tabs.Panel>
        <Tabs.Panel value="ledger" pt="sm">
          <LedgerEntries loading={ledger.isLoading} error={ledger.error} entries={ledger.data?.entries ?? []} />
        </Tabs.Panel>
        <Tabs.Panel value="payments" pt="sm">
          <PaymentsTab partyId={party.id} onReturn={(p) => openDialog({ kind: 'return', p })} onTransfer={(p) => openDialog({ kind: 'transfer', p })} />
        </Tabs.Panel>
        <Tabs.Panel value="refunds" pt="sm">
          <RefundsTab partyId={party.id} onIssue={(r) => openDialog({ kind: 'issue', r })} />
        </Tabs.Panel>
      </Tabs>

      <Fragment key={openCount}>
        <ChargeDialog party={party} opened={dialog?.kind === 'charge'} onClose={close} />
        <PaymentDialog party={party} obligations={obls} opened={dialog?.kind === 'pay'} onClose={close} />
        <AdjustDialog obligation={dialog?.kind === 'adjust' ? dialog.o : null} opened={dialog?.kind === 'adjust'} onClose={close} />
        <ObligationActionDialog
          obligation={dialog?.kind === 'obligation' ? dialog.o : null}
          action={dialog?.kind === 'obligation' ? dialog.action : 'write-off'}
          opened={dialog?.kind === 'obligation'}
          onClose={close}
        />
        <ReturnPaymentDialog payment={dialog?.kind === 'return' ? dialog.p : null} opened={dialog?.kind === 'return'} onClose={close} />
        <TransferPaymentDialog payment={dialog?.kind === 'transfer' ? dialog.p : null} party={party} opened={dialog?.kind === 'transfer'} onClose={close} />
        <RequestRefundDialog party={party} credit={credit} opened={dialog?.kind === 'refund'} onClose={close} />
        <IssueRefundDialog refund={dialog?.kind === 'issue' ? dialog.r : null} opened={dialog?.kind === 'issue'} onClose={close} />
      </Fragment>
    </Paper>
  );
}

function Stat({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) {
  return (
    <div data-testid={testId}>
      <Text size="xs" c="dimmed" fw={600} tt="uppercase">{label}</Text>
      <Text size="lg" fw={700} component="div"><span style={{ display: 'inline-block' }}>{children}</span></Text>
    </div>
  );
}

function BalanceSummary({ balance, loading, error, party }: { balance?: PartyBalance; loading: boolean; error: unknown; party: Party }) {
  if (loading) return <Loader size="sm" aria-label="Loading the balance" />;
  if (error || !balance) {
    return <Alert color="red" variant="light" role="alert" title="Could not load the balance">{error instanceof Error ? error.message : 'Unknown error'}</Alert>;
  }
  const net = toCents(balance.receivable) - toCents(balance.credit);
  return (
    <Group gap="xl" align="flex-end" wrap="wrap" data-testid="balance-summary">
      <Stat label="Owes" testId="balance-owes"><Money value={balance.receivable} /></Stat>
      <Stat label="Credit" testId="balance-credit"><Money value={balance.credit} /></Stat>
      <Stat label={net < 0n ? 'Net: in credit' : 'Net owed after credit'} testId="balance-net"><Money value={net < 0n ? -net : net} /></Stat>
      <Stat label="Returned payments" testId="balance-returns">
        <span className="num">{balance.returned_payments}</span>
      </Stat>
      {isCashOnly(party) && (
        <Badge color="orange" variant="filled" size="lg" data-testid="cash-only">Cash only — no checks or cards</Badge>
      )}
    </Group>
  );
}

function ObligationsByKind({ obligations, loading, error, settings, onAction }: {
  obligations: Obligation[];
  loading: boolean;
  error: unknown;
  settings?: LedgerSettings;
  onAction: (o: Obligation, action: ObligationAction | 'adjust') => void;
}) {
  const [show, setShow] = useState<'all' | 'open'>('all');
  const tz = useCity().data?.time_zone;
  const today = todayIn(tz);
  const groups = useMemo(() => {
    const list = show === 'open' ? obligations.filter((o) => o.status === 'open') : obligations;
    const byKind = new Map<string, Obligation[]>();
    for (const o of list) byKind.set(o.kind, [...(byKind.get(o.kind) ?? []), o]);
    const prio = (k: string) => settings?.obligation_kinds.find((x) => x.code === k)?.priority ?? 1000;
    return [...byKind.entries()]
      .sort(([a], [b]) => prio(a) - prio(b) || a.localeCompare(b))
      .map(([kind, items]) => ({
        kind,
        items: [...items].sort((a, b) => Number(b.status === 'open') - Number(a.status === 'open') || a.due_date.localeCompare(b.due_date)),
      }));
  }, [obligations, show, settings]);

  if (loading) return <Loader size="sm" aria-label="Loading obligations" />;
  if (error) return <Alert color="red" variant="light" role="alert" title="Could not load obligations">{error instanceof Error ? error.message : String(error)}</Alert>;
  if (obligations.length === 0) return <Text size="sm">Nothing owed: no charges on this customer yet.</Text>;

  return (
    <Stack gap="md">
      <SegmentedControl
        size="xs"
        w="fit-content"
        value={show}
        onChange={(v) => setShow(v as 'all' | 'open')}
        data={[{ value: 'all', label: 'All' }, { value: 'open', label: 'Open only' }]}
        aria-label="Which obligations to show"
      />
      {groups.length === 0 && <Text size="sm">Nothing open.</Text>}
      {groups.map((g) => {
        const open = g.items.filter((o) => o.status === 'open' && toCents(o.balance) > 0n);
        const owed = sumCents(open.map((o) => o.balance));
        const next = open.map((o) => o.due_date).sort()[0];
        const headingId = `kind-${g.kind}`;
        return (
          <section key={g.kind} aria-labelledby={headingId} data-testid={`kind-${g.kind}`}>
            <Group gap="sm" align="baseline" mb={4} wrap="wrap">
              <Title order={3} size="h5" id={headingId}>{kindName(settings, g.kind)}</Title>
              <Text size="sm">
                {open.length ? `${open.length} open · owes ${formatMoney(owed)} · next due ${formatDate(next)}` : 'nothing open'}
              </Text>
            </Group>
            <ObligationTable items={g.items} today={today} caption={kindName(settings, g.kind)} onAction={onAction} />
          </section>
        );
      })}
    </Stack>
  );
}

function ObligationTable({ items, today, caption, onAction }: { items: Obligation[]; today: string; caption: string; onAction: (o: Obligation, action: ObligationAction | 'adjust') => void }) {
  const user = useUser();
  const [expanded, setExpanded] = useState<Set<number>>(new Set());
  const toggle = (id: number) => setExpanded((s) => { const n = new Set(s); if (n.has(id)) n.delete(id); else n.add(id); return n; });
  return (
    <Table.ScrollContainer minWidth={720}>
      <Table withTableBorder striped aria-label={`${caption} obligations`} style={{ tableLayout: 'fixed' }}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col" style={{ width: 70 }}>Lines</Table.Th>
            <Table.Th scope="col">Description</Table.Th>
            <Table.Th scope="col" style={{ width: 105 }}>Due</Table.Th>
            <Table.Th scope="col" style={{ width: 170 }}>Status</Table.Th>
            <Table.Th scope="col" style={{ ...right, width: 115 }}>Original</Table.Th>
            <Table.Th scope="col" style={{ ...right, width: 115 }}>Balance</Table.Th>
            <Table.Th scope="col" style={{ width: 215 }}>Actions</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((o) => {
            const isOpen = expanded.has(o.id);
            const pastDue = o.status === 'open' && toCents(o.balance) > 0n && o.due_date < today;
            const owes = toCents(o.balance) > 0n;
            return (
              <Fragment key={o.id}>
                <Table.Tr data-testid={`obligation-${o.id}`}>
                  <Table.Td>
                    <Button size="compact-xs" variant="subtle" aria-expanded={isOpen} aria-controls={`lines-${o.id}`} onClick={() => toggle(o.id)}
                      aria-label={`${isOpen ? 'Hide' : 'Show'} lines of ${o.description}`}>
                      {isOpen ? '▾' : '▸'} {o.lines.length}
                    </Button>
                  </Table.Td>
                  <Table.Td>
                    {o.description}
                    {o.account_ref && <Text span size="xs" c="dimmed"> · {o.account_ref}</Text>}
                    <Text span size="xs" c="dimmed"> · no. {o.id}</Text>
                  </Table.Td>
                  <Table.Td className="nowrap">{formatDate(o.due_date)}</Table.Td>
                  <Table.Td>
                    <Group gap={4} wrap="nowrap">
                      <Badge variant="light" color={STATUS_COLOR[o.status]}>{STATUS_LABEL[o.status] ?? o.status}</Badge>
                      {pastDue && <Badge variant="light" color="red">Past due</Badge>}
                    </Group>
                  </Table.Td>
                  <Table.Td><Money value={o.original} /></Table.Td>
                  <Table.Td><Money value={o.balance} /></Table.Td>
                  <Table.Td>
                    <Group gap={4} wrap="nowrap">
                      {can(user, 'adjustment.request') && o.status === 'open' && (
                        <Button size="compact-xs" variant="default" aria-label={`Adjust ${o.description}`} onClick={() => onAction(o, 'adjust')}>Adjust</Button>
                      )}
                      {can(user, 'writeoff.post') && o.status === 'open' && owes && (
                        <Button size="compact-xs" variant="default" aria-label={`Write off ${o.description}`} onClick={() => onAction(o, 'write-off')}>Write off</Button>
                      )}
                      {can(user, 'writeoff.post') && o.status === 'written_off' && (
                        <Button size="compact-xs" variant="default" aria-label={`Recover ${o.description}`} onClick={() => onAction(o, 'recovery')}>Recover</Button>
                      )}
                      {can(user, 'adjustment.approve') && o.status === 'open' && (
                        <Button size="compact-xs" variant="default" color="red" aria-label={`Cancel ${o.description}`} onClick={() => onAction(o, 'cancel')}>Cancel</Button>
                      )}
                    </Group>
                  </Table.Td>
                </Table.Tr>
                {isOpen && (
                  <Table.Tr id={`lines-${o.id}`}>
                    <Table.Td />
                    <Table.Td colSpan={6} style={{ background: 'var(--mantine-color-gray-0)' }}>
                      <Table withRowBorders={false} verticalSpacing={2} aria-label={`Lines of ${o.description}`}>
                        <Table.Thead>
                          <Table.Tr>
                            <Table.Th scope="col">Line</Table.Th>
                            <Table.Th scope="col">Revenue account</Table.Th>
                            <Table.Th scope="col">Fund</Table.Th>
                            <Table.Th scope="col" style={right}>Amount</Table.Th>
                            <Table.Th scope="col" style={right}>Balance</Table.Th>
                          </Table.Tr>
                        </Table.Thead>
                        <Table.Tbody>
                          {o.lines.map((l) => (
                            <Table.Tr key={l.id}>
                              <Table.Td>{l.description}{l.is_penalty && <Badge ml={6} size="xs" variant="light" color="gray">Penalty</Badge>}</Table.Td>
                              <Table.Td>{l.revenue_account}</Table.Td>
                              <Table.Td>{l.fund}</Table.Td>
                              <Table.Td><Money value={l.amount} /></Table.Td>
                              <Table.Td><Money value={l.balance} /></Table.Td>
                            </Table.Tr>
                          ))}
                        </Table.Tbody>
                      </Table>
                      {toCents(o.written_off) !== 0n && <Text size="xs" mt={4}>Written off: {formatMoney(o.written_off)}</Text>}
                    </Table.Td>
                  </Table.Tr>
                )}
              </Fragment>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function LedgerEntries({ entries, loading, error }: { entries: import('../../api/types').EntrySummary[]; loading: boolean; error: unknown }) {
  const tz = useCity().data?.time_zone;
  if (loading) return <Loader size="sm" aria-label="Loading the ledger" />;
  if (error) return <Alert color="red" variant="light" role="alert" title="Could not load the ledger">{error instanceof Error ? error.message : String(error)}</Alert>;
  if (entries.length === 0) return <Text size="sm">No entries yet.</Text>;
  return (
    <Table.ScrollContainer minWidth={720}>
      <Table withTableBorder striped aria-label="Ledger entries, newest first" data-testid="ledger-entries">
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">Date</Table.Th>
            <Table.Th scope="col">What happened</Table.Th>
            <Table.Th scope="col">By</Table.Th>
            <Table.Th scope="col" style={right}>Owed</Table.Th>
            <Table.Th scope="col" style={right}>Credit</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {entries.map((e) => (
            <Table.Tr key={e.id}>
              <Table.Td className="nowrap" title={formatDateTime(e.at, tz)}>{formatDate(e.posting_date)}</Table.Td>
              <Table.Td>
                <Text size="sm"><Text span fw={600}>{entryKindWords(e.kind)}:</Text> {e.memo}</Text>
                <Text size="xs" c="dimmed">
                  {effectWords(e.receivable_change, e.credit_change)}
                  {e.reverses_entry_id ? ` · reverses entry no. ${e.reverses_entry_id}` : ''} · entry no. {e.id}
                </Text>
              </Table.Td>
              <Table.Td>{e.username}</Table.Td>
              <Table.Td><Money value={e.receivable_change} plusSign /></Table.Td>
              <Table.Td><Money value={e.credit_change} plusSign /></Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function PaymentsTab({ partyId, onReturn, onTransfer }: { partyId: number; onReturn: (p: Payment) => void; onTransfer: (p: Payment) => void }) {
  const user = useUser();
  const tz = useCity().data?.time_zone;
  const q = usePartyPayments(partyId);
  if (q.isLoading) return <Loader size="sm" aria-label="Loading payments" />;
  if (q.error) return <Alert color="red" variant="light" role="alert" title="Could not load payments">{q.error.message}</Alert>;
  const items = q.data?.items ?? [];
  if (items.length === 0) return <Text size="sm">No payments yet.</Text>;
  return (
    <Table.ScrollContainer minWidth={820}>
      <Table withTableBorder striped aria-label="Payments, newest first" data-testid="payments">
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">No.</Table.Th>
            <Table.Th scope="col">Received</Table.Th>
            <Table.Th scope="col" style={right}>Amount</Table.Th>
            <Table.Th scope="col">Tender</Table.Th>
            <Table.Th scope="col">Channel</Table.Th>
            <Table.Th scope="col">Payer · reference</Table.Th>
            <Table.Th scope="col">Status</Table.Th>
            <Table.Th scope="col" style={right}>Unapplied</Table.Th>
            <Table.Th scope="col">Actions</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((p) => (
            <Table.Tr key={p.id}>
              <Table.Td className="num">{p.id}</Table.Td>
              <Table.Td className="nowrap">{formatDateTime(p.received_at, tz)}</Table.Td>
              <Table.Td><Money value={p.amount} /></Table.Td>
              <Table.Td>{labelOf(TENDERS, p.tender)}</Table.Td>
              <Table.Td>{labelOf(CHANNELS, p.channel)}</Table.Td>
              <Table.Td>
                {[p.payer, p.reference && `ref ${p.reference}`].filter(Boolean).join(' · ') || '—'}
                {p.transferred_from_payment_id ? <Text size="xs" c="dimmed">moved here from payment no. {p.transferred_from_payment_id}</Text> : null}
              </Table.Td>
              <Table.Td><Badge variant="light" color={p.status === 'posted' ? 'green' : 'gray'}>{PAYMENT_STATUS_LABEL[p.status] ?? p.status}</Badge></Table.Td>
              <Table.Td><Money value={p.unapplied} /></Table.Td>
              <Table.Td>
                <Group gap={4} wrap="nowrap">
                  {p.status === 'posted' && can(user, 'payment.return') && (
                    <Button size="compact-xs" variant="default" aria-label={`Return payment no. ${p.id}`} onClick={() => onReturn(p)}>Return</Button>
                  )}
                  {p.status === 'posted' && can(user, 'payment.transfer') && (
                    <Button size="compact-xs" variant="default" aria-label={`Transfer payment no. ${p.id}`} onClick={() => onTransfer(p)}>Transfer</Button>
                  )}
                </Group>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function RefundsTab({ partyId, onIssue }: { partyId: number; onIssue: (r: Refund) => void }) {
  const user = useUser();
  const q = usePartyRefunds(partyId);
  if (q.isLoading) return <Loader size="sm" aria-label="Loading refunds" />;
  if (q.error) return <Alert color="red" variant="light" role="alert" title="Could not load refunds">{q.error.message}</Alert>;
  const items = q.data?.items ?? [];
  if (items.length === 0) return <Text size="sm">No refunds.</Text>;
  return (
    <Table withTableBorder striped aria-label="Refunds" data-testid="refunds">
      <Table.Thead>
        <Table.Tr>
          <Table.Th scope="col">No.</Table.Th>
          <Table.Th scope="col" style={right}>Amount</Table.Th>
          <Table.Th scope="col">Method</Table.Th>
          <Table.Th scope="col">Status</Table.Th>
          <Table.Th scope="col">Check no.</Table.Th>
          <Table.Th scope="col">Approval</Table.Th>
          <Table.Th scope="col">Actions</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {items.map((r) => (
          <Table.Tr key={r.id}>
            <Table.Td className="num">{r.id}</Table.Td>
            <Table.Td><Money value={r.amount} /></Table.Td>
            <Table.Td>{REFUND_METHOD_LABEL[r.method] ?? r.method}</Table.Td>
            <Table.Td><Badge variant="light" color={r.status === 'issued' ? 'green' : r.status === 'denied' ? 'gray' : 'blue'}>{REFUND_STATUS_LABEL[r.status] ?? r.status}</Badge></Table.Td>
            <Table.Td>{r.check_number || '—'}</Table.Td>
            <Table.Td>
              {can(user, 'refund.approve', 'adjustment.approve')
                ? <Anchor component={Link} to={`/approvals?status=${r.status === 'requested' ? 'pending' : r.status === 'denied' ? 'denied' : 'approved'}`} size="sm">request no. {r.approval_id}</Anchor>
                : `request no. ${r.approval_id}`}
            </Table.Td>
            <Table.Td>
              {r.status === 'approved' && can(user, 'refund.approve') && (
                <Button size="compact-xs" aria-label={`Issue refund no. ${r.id}`} onClick={() => onIssue(r)}>Issue</Button>
              )}
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
