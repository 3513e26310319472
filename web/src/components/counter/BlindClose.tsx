import { Alert, Button, Group, Paper, Stack, Table, Text, Textarea, Title } from '@mantine/core';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { isApiError } from '../../api/client';
import { useCloseSession, useCountSession, type CashierSession } from '../../api/counter';
import { useIdempotencyKey } from '../../lib/ledger';
import { formatMoney, toCents } from '../../lib/money';
import { Money } from '../Money';
import { RefusalAlert } from '../ledger/common';
import { CashCountInput, denominationError } from './CashCountInput';
import { emptyDraft, toCashCount, type CountDraft } from './denominations';

export function overShortWords(v: string | undefined): string {
  if (v === undefined) return '—';
  const c = toCents(v);
  if (c === 0n) return 'Balanced';
  return c > 0n ? `Over by ${formatMoney(c)}` : `Short by ${formatMoney(-c)}`;
}

/** The counted session's figures, as the API shows them once the count is recorded. */
export function CountedFigures({ s }: { s: CashierSession }) {
  return (
    <Table withTableBorder aria-label={`Count of drawer ${s.drawer}`} data-testid="count-result" maw={480}>
      <Table.Tbody>
        <Table.Tr><Table.Th scope="row">Float</Table.Th><Table.Td><Money value={s.float} /></Table.Td></Table.Tr>
        <Table.Tr><Table.Th scope="row">Counted</Table.Th><Table.Td><Money value={s.counted ?? '0.00'} /></Table.Td></Table.Tr>
        <Table.Tr><Table.Th scope="row">Expected</Table.Th><Table.Td><Money value={s.expected ?? '0.00'} /></Table.Td></Table.Tr>
        <Table.Tr>
          <Table.Th scope="row">Over / short</Table.Th>
          <Table.Td><strong data-testid="over-short">{overShortWords(s.over_short)}</strong></Table.Td>
        </Table.Tr>
        {s.over_short_reason ? <Table.Tr><Table.Th scope="row">Reason</Table.Th><Table.Td>{s.over_short_reason}</Table.Td></Table.Tr> : null}
      </Table.Tbody>
    </Table>
  );
}

/**
 * The blind close: the cashier counts the drawer by denomination without ever seeing what it
 * should hold; the API answers with expected and over/short once the count is recorded, and
 * closes at once when balanced, or asks for the reason of the difference.
 */
export function BlindClose({ session, onCancel, onDone }: { session: CashierSession; onCancel: () => void; onDone: () => void }) {
  const countKey = useIdempotencyKey();
  const closeKey = useIdempotencyKey();
  const count = useCountSession();
  const close = useCloseSession();
  const [draft, setDraft] = useState<CountDraft>(emptyDraft());
  const [countErrors, setCountErrors] = useState<Record<string, string> | undefined>();
  const [refusal, setRefusal] = useState<unknown>(null);
  // After the count: the session as the API returned it.
  const [counted, setCounted] = useState<CashierSession | null>(session.status === 'counted' ? session : null);
  const [closed, setClosed] = useState<CashierSession | null>(null);
  const [reason, setReason] = useState('');
  const [reasonError, setReasonError] = useState<string | null>(null);
  const firstRef = useRef<HTMLInputElement>(null);
  const reasonRef = useRef<HTMLTextAreaElement>(null);
  const doneRef = useRef<HTMLButtonElement>(null);

  useEffect(() => { if (!counted) firstRef.current?.focus(); }, [counted]);
  useEffect(() => { if (counted && !closed) reasonRef.current?.focus(); }, [counted, closed]);
  useEffect(() => { if (closed) doneRef.current?.focus(); }, [closed]);

  const submitCount = async (e: FormEvent) => {
    e.preventDefault();
    setRefusal(null);
    const c = toCashCount(draft);
    if (!c) { setCountErrors(undefined); return; }
    try {
      const r = await count.mutateAsync({ key: countKey.key(), id: session.id, count: c });
      if (r.closed) setClosed(r.session); else setCounted(r.session);
    } catch (err) {
      countKey.settle(err);
      const byDen = isApiError(err) ? denominationError(err.field, err.message, 'count') : null;
      if (byDen) setCountErrors(byDen); else setRefusal(err);
    }
  };

  const submitClose = async (e: FormEvent) => {
    e.preventDefault();
    setRefusal(null);
    setReasonError(null);
    if (!reason.trim()) { setReasonError('Say why the drawer is over or short'); return; }
    try {
      setClosed(await close.mutateAsync({ key: closeKey.key(), id: session.id, reason: reason.trim() }));
    } catch (err) {
      closeKey.settle(err);
      if (isApiError(err) && err.field === 'reason') setReasonError(err.message); else setRefusal(err);
    }
  };

  return (
    <Paper withBorder p="md" component="section" aria-labelledby="close-title" maw={960} data-testid="blind-close">
      <Stack gap="sm">
        <Title order={2} size="h4" id="close-title">Close drawer {session.drawer}</Title>
        {closed ? (
          <>
            <Text role="status" fw={600}>Drawer {closed.drawer} is closed. {overShortWords(closed.over_short)}.</Text>
            <CountedFigures s={closed} />
            <Group justify="flex-end"><Button ref={doneRef} onClick={onDone}>Done</Button></Group>
          </>
        ) : counted ? (
          <form onSubmit={submitClose} noValidate>
            <Stack gap="sm">
              <Text role="status" fw={600}>Count recorded. {overShortWords(counted.over_short)}: give the reason to close the drawer.</Text>
              <CountedFigures s={counted} />
              <Textarea
                ref={reasonRef}
                label="Reason for the difference"
                description="Kept with the session and shown to the supervisor"
                autosize
                minRows={2}
                value={reason}
                onChange={(e) => setReason(e.currentTarget.value)}
                error={reasonError}
                required
              />
              <RefusalAlert error={refusal} />
              <Group justify="flex-end"><Button type="submit" loading={close.isPending}>Close drawer</Button></Group>
            </Stack>
          </form>
        ) : (
          <form onSubmit={submitCount} noValidate>
            <Stack gap="sm">
              <Alert color="blue" variant="light" title="Blind count">
                Count everything in the drawer, float included, piece by piece. You are not shown what the drawer should hold;
                the difference appears once the count is recorded, and the count cannot be redone.
              </Alert>
              <CashCountInput legend="Blind count (pieces per denomination)" value={draft} onChange={setDraft} errors={countErrors} firstRef={firstRef} testId="blind-count" />
              <RefusalAlert error={refusal} />
              <Group justify="flex-end">
                <Button variant="default" onClick={onCancel}>Back to the counter</Button>
                <Button type="submit" loading={count.isPending}>Record count</Button>
              </Group>
            </Stack>
          </form>
        )}
      </Stack>
    </Paper>
  );
}
