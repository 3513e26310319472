// The counter: a cashier's screen, made for speed and the keyboard. Without an open session the
// cashier takes a drawer and counts the float; then: find the customer → tick what they pay →
// cart (amounts editable) → tenders → post → receipt with the change due in large type. The
// drawer's running total is never shown here (blind close); the cashier closes with a blind count.
import { Alert, Button, Center, Grid, Group, Kbd, Loader, Stack, Text, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useRef, useState } from 'react';
import { get, isApiError } from '../api/client';
import {
  ck, useMySession, usePostTransaction, useReconcileCards, type CashierSession, type CounterTransaction, type TenderKind,
} from '../api/counter';
import type { Obligation } from '../api/types';
import { useCity } from '../api/queries';
import { CitationHandOffNote, useCitationHandOff } from '../components/citations/counterHandOff';
import { BlindClose } from '../components/counter/BlindClose';
import { CartTable } from '../components/counter/CartTable';
import {
  centsOf, draftKey, newKey, newTender, sums as sumsOf, TENDER_KINDS, toCart, validate, type CartLine, type DraftErrors, type TenderDraft,
} from '../components/counter/cart';
import { ObligationPicker } from '../components/counter/ObligationPicker';
import { OpenSessionPanel } from '../components/counter/OpenSessionPanel';
import { PartyPicker } from '../components/counter/PartyPicker';
import { ReceiptPanel } from '../components/counter/ReceiptPanel';
import { brandName } from '../components/counter/sandboxTerminal';
import { TenderList } from '../components/counter/TenderList';
import { RefusalAlert } from '../components/ledger/common';
import { formatDateTime } from '../lib/dates';
import { useIdempotencyKey } from '../lib/ledger';
import { centsToDecimal, formatMoney } from '../lib/money';
import { usePageTitle } from '../lib/usePageTitle';

export function CounterPage() {
  usePageTitle('Counter');
  const my = useMySession();
  const qc = useQueryClient();
  // The session being closed stays on screen until the cashier has seen the result.
  const [closing, setClosing] = useState<CashierSession | null>(null);

  let body;
  if (closing || my.data?.status === 'counted') {
    const s = closing ?? my.data!;
    body = (
      <BlindClose
        session={s}
        onCancel={() => setClosing(null)}
        onDone={() => { setClosing(null); void qc.invalidateQueries({ queryKey: ck.mySession }); }}
      />
    );
  } else if (my.isLoading) {
    body = <Center p="xl"><Loader aria-label="Loading your drawer" /></Center>;
  } else if (my.error) {
    body = <Alert color="red" variant="light" role="alert" title="Could not load your drawer">{my.error.message}</Alert>;
  } else if (!my.data) {
    body = <OpenSessionPanel />;
  } else {
    body = <CounterWorkspace session={my.data} onClose={() => setClosing(my.data!)} />;
  }

  return (
    <Stack gap="sm">
      <Title order={1} size="h2">Counter</Title>
      {body}
    </Stack>
  );
}

function CounterWorkspace({ session, onClose }: { session: CashierSession; onClose: () => void }) {
  const tz = useCity().data?.time_zone;
  const idem = useIdempotencyKey();
  const postTxn = usePostTransaction();
  const reconcile = useReconcileCards();
  const reconcileKey = useIdempotencyKey();
  const [partyId, setPartyId] = useState(0);
  const [lines, setLines] = useState<CartLine[]>([]);
  const [tenders, setTenders] = useState<TenderDraft[]>([]);
  const [errors, setErrors] = useState<DraftErrors>({});
  const [focusKey, setFocusKey] = useState<string | null>(null);
  const [refusal, setRefusal] = useState<unknown>(null);
  const [declined, setDeclined] = useState<{ message: string; txn: CounterTransaction } | null>(null);
  const [unknown, setUnknown] = useState<CounterTransaction | null>(null);
  const [posted, setPosted] = useState<CounterTransaction | null>(null);
  const searchRef = useRef<HTMLInputElement>(null);
  // "Pay at the counter" from a citation search: /counter?citations=N1,N2 fills the cart.
  const handOff = useCitationHandOff((add) => setLines((ls) => [...ls, ...add.filter((l) => !ls.some((x) => x.obligationId === l.obligationId))]));

  const sums = sumsOf(lines, tenders);

  const focusSearch = useCallback(() => { searchRef.current?.focus(); searchRef.current?.select(); }, []);
  useEffect(() => { focusSearch(); }, [focusSearch]);

  const clearMessages = () => { setRefusal(null); setDeclined(null); setErrors({}); };

  const next = useCallback(() => {
    setPartyId(0);
    setLines([]);
    setTenders([]);
    setErrors({});
    setRefusal(null);
    setDeclined(null);
    setUnknown(null);
    setPosted(null);
    idem.reset();
    setTimeout(() => { searchRef.current?.focus(); }, 0);
  }, [idem]);

  const addTender = useCallback((kind: TenderKind) => {
    if (posted || unknown) return;
    const s = sumsOf(lines, tenders);
    const t = newTender(kind, s.remaining > 0n ? centsToDecimal(s.remaining) : '');
    setTenders((ts) => [...ts, t]);
    setFocusKey(t.key);
  }, [lines, tenders, posted, unknown]);

  const toggleObligation = (o: Obligation, partyName: string, on: boolean) => {
    clearMessages();
    setLines((ls) => on
      ? (ls.some((l) => l.obligationId === o.id) ? ls : [...ls, { key: newKey('l'), partyId: o.party_id, partyName, obligationId: o.id, description: o.description, owes: o.balance, amount: o.balance }])
      : ls.filter((l) => l.obligationId !== o.id));
  };

  const addByRules = (partyName: string, owes: string) => {
    clearMessages();
    setLines((ls) => {
      if (ls.some((l) => l.partyId === partyId && l.obligationId === null)) return ls;
      const directed = ls.filter((l) => l.partyId === partyId).reduce((a, l) => a + centsOf(l.amount), 0n);
      const left = centsOf(owes) - directed;
      return [...ls, { key: newKey('l'), partyId, partyName, obligationId: null, description: 'By the City’s rules', owes, amount: left > 0n ? centsToDecimal(left) : '' }];
    });
  };

  const submit = useCallback(async () => {
    if (posted || unknown || postTxn.isPending) return;
    setRefusal(null);
    setDeclined(null);
    const errs = validate(lines, tenders);
    setErrors(errs);
    if (Object.keys(errs).length) return;
    try {
      const t = await postTxn.mutateAsync({ key: idem.key(), cart: toCart(lines, tenders) });
      if (t.status === 'card_unknown' || t.status === 'pending') setUnknown(t);
      else setPosted(t);
    } catch (err) {
      idem.settle(err);
      const txn = isApiError(err) ? (err.details?.transaction as CounterTransaction | undefined) : undefined;
      if (txn && (txn.status === 'declined' || txn.status === 'failed')) {
        setDeclined({ message: (err as Error).message, txn });
        return;
      }
      if (isApiError(err) && err.field) setErrors({ [draftKey(err.field)]: err.message });
      setRefusal(err);
    }
  }, [posted, unknown, postTxn, lines, tenders, idem]);

  const askGateway = async () => {
    if (!unknown) return;
    setRefusal(null);
    try {
      await reconcile.mutateAsync({ key: reconcileKey.key() });
      reconcileKey.reset();
      const t = await get<CounterTransaction>(`/counter/transactions/${unknown.id}`);
      if (t.status === 'posted') { setUnknown(null); setPosted(t); }
      else if (t.status === 'declined' || t.status === 'failed') {
        setUnknown(null);
        idem.reset();
        setDeclined({ message: 'The card was declined once the gateway answered; nothing was posted — take another tender as a new transaction.', txn: t });
      } else setUnknown(t);
    } catch (err) {
      reconcileKey.settle(err);
      setRefusal(err);
    }
  };

  // The counter's keys. F-keys and Alt+letter (by physical key, so they work on any layout).
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.defaultPrevented) return;
      // Not while a dialog (e.g. the ? help) is open over the counter.
      if (document.querySelector('[role="dialog"][aria-modal="true"]')) return;
      const alt = e.altKey && !e.shiftKey;
      const tender = alt ? TENDER_KINDS.find((t) => t.code === e.code) : undefined;
      let handled = true;
      if ((e.key === 'F2' && !e.altKey) || (alt && e.code === 'KeyS')) focusSearch();
      else if (tender) addTender(tender.kind);
      else if ((e.key === 'F9' && !e.altKey) || (alt && e.code === 'KeyP')) void submit();
      else if ((e.key === 'F8' && !e.altKey) || (alt && e.code === 'KeyN')) next();
      else if (alt && e.code === 'KeyL') onClose();
      else handled = false;
      if (handled) e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [focusSearch, addTender, submit, next, onClose]);

  return (
    <Stack gap="sm">
      <Group justify="space-between" wrap="wrap" data-testid="counter-session">
        <Text size="sm">
          Drawer <strong>{session.drawer}</strong> · {session.office} · session no. {session.id} · opened {formatDateTime(session.opened_at, tz)} ·
          float <span className="num">{formatMoney(session.float)}</span>
        </Text>
        <Button variant="default" size="xs" onClick={onClose} aria-keyshortcuts="Alt+L">Close drawer (blind count)&nbsp;<Kbd size="xs" aria-hidden="true">Alt+L</Kbd></Button>
      </Group>
      <Text size="xs" c="dimmed">
        Keys: <Kbd size="xs">F2</Kbd> find customer · <Kbd size="xs">Alt+C</Kbd> cash · <Kbd size="xs">Alt+K</Kbd> check · <Kbd size="xs">Alt+M</Kbd> money order ·
        {' '}<Kbd size="xs">Alt+R</Kbd> card · <Kbd size="xs">Alt+A</Kbd> ACH · <Kbd size="xs">F9</Kbd> post · <Kbd size="xs">F8</Kbd> next customer · <Kbd size="xs">?</Kbd> all shortcuts
      </Text>

      <CitationHandOffNote state={handOff} />
      {posted ? (
        <ReceiptPanel txn={posted} onNext={next} />
      ) : (
        <Grid gutter="sm">
          <Grid.Col span={{ base: 12, lg: 6 }}>
            <Stack gap="sm">
              <PartyPicker inputRef={searchRef} onPick={(id) => { setPartyId(id); }} />
              {partyId > 0 && (
                <ObligationPicker
                  partyId={partyId}
                  inCart={(id) => lines.some((l) => l.obligationId === id)}
                  onToggle={toggleObligation}
                  onAddByRules={addByRules}
                  onClear={() => { setPartyId(0); focusSearch(); }}
                />
              )}
            </Stack>
          </Grid.Col>
          <Grid.Col span={{ base: 12, lg: 6 }}>
            <Stack gap="sm">
              <CartTable
                lines={lines}
                errors={errors}
                due={sums.due}
                onAmount={(key, amount) => setLines((ls) => ls.map((l) => (l.key === key ? { ...l, amount } : l)))}
                onRemove={(key) => setLines((ls) => ls.filter((l) => l.key !== key))}
              />
              <TenderList
                tenders={tenders}
                errors={errors}
                sums={sums}
                focusKey={focusKey}
                onAdd={addTender}
                onChange={(key, p) => { setDeclined(null); setTenders((ts) => ts.map((t) => (t.key === key ? { ...t, ...p } : t))); }}
                onRemove={(key) => setTenders((ts) => ts.filter((t) => t.key !== key))}
              />
              {declined && (
                <Alert color="red" variant="light" role="alert" title="Card declined" data-testid="card-declined">
                  {declined.txn.tenders.filter((t) => t.kind === 'card').map((t) => `${brandName(t.card_brand)} ending ${t.card_last4}: `).join('')}
                  {declined.message}
                </Alert>
              )}
              {unknown && (
                <Alert color="orange" variant="light" role="alert" title="No answer from the card gateway" data-testid="card-unknown">
                  <Stack gap="xs">
                    <Text size="sm">
                      The gateway did not answer in time. Nothing is posted yet and no receipt number was used. Do not run the card again:
                      the money may have moved. Ask the gateway again, or go on with the next customer and let a supervisor reconcile it (transaction no. {unknown.id}).
                    </Text>
                    <Group gap="xs">
                      <Button size="xs" onClick={askGateway} loading={reconcile.isPending}>Ask the gateway again</Button>
                      <Button size="xs" variant="default" onClick={next}>Next customer</Button>
                    </Group>
                  </Stack>
                </Alert>
              )}
              <RefusalAlert error={refusal} />
              <Group justify="space-between">
                <Text size="sm" c="dimmed">Only cash makes change; other tenders may not exceed what is due.</Text>
                <Button size="md" onClick={() => void submit()} loading={postTxn.isPending} disabled={!!unknown} aria-keyshortcuts="F9">
                  Post {formatMoney(sums.due)}&nbsp;<Kbd size="xs" aria-hidden="true">F9</Kbd>
                </Button>
              </Group>
            </Stack>
          </Grid.Col>
        </Grid>
      )}
    </Stack>
  );
}
