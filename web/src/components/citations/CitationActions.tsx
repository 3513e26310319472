// What this user may do to a citation in its present state: each action is a small form shown in
// place, and the server's refusal (a missed deadline, a wrong state, a missing supervisor) is
// shown inside it.
import { Button, Group, NativeSelect, Paper, Stack, Text, TextInput, Textarea, Title } from '@mantine/core';
import { useState, type ReactNode } from 'react';
import { isApiError } from '../../api/client';
import { useCitationAction, type Citation } from '../../api/citations';
import { useUser } from '../../auth/session';
import { isIsoDate } from '../../lib/dates';
import { parseAmount, useIdempotencyKey } from '../../lib/ledger';
import { formatMoney } from '../../lib/money';
import { can } from '../../lib/permissions';
import { RefusalAlert } from '../ledger/common';

type ActionId = 'contest' | 'decide' | 'request_hearing' | 'schedule_hearing' | 'court_appeal' | 'void';

const CONTESTABLE = ['issued', 'notice_sent', 'delinquent'];
const DECIDABLE = ['review_requested', 'hearing_scheduled', 'court_appeal'];
const CLOSED = ['paid', 'dismissed', 'written_off', 'void'];

export function CitationActions({ c }: { c: Citation }) {
  const user = useUser();
  const status = c.status ?? '';
  const [open, setOpen] = useState<ActionId | null>(null);
  const write = can(user, 'citation.write');
  const decide = can(user, 'citation.decide');
  // The City's void approvers (citations.void_approver_roles: supervisors in the demo City).
  const voider = write && user.role === 'supervisor';

  const actions: { id: ActionId; label: string; show: boolean }[] = [
    { id: 'contest', label: 'Request initial review', show: write && CONTESTABLE.includes(status) },
    { id: 'decide', label: status === 'review_requested' ? 'Decide the review' : status === 'court_appeal' ? 'Record the court’s decision' : 'Decide the hearing', show: decide && DECIDABLE.includes(status) },
    { id: 'request_hearing', label: 'Request a hearing', show: write && status === 'review_decided' },
    { id: 'schedule_hearing', label: 'Schedule the hearing', show: write && status === 'hearing_requested' },
    { id: 'court_appeal', label: 'Note a court appeal', show: write && status === 'hearing_decided' },
    { id: 'void', label: 'Void (issued in error)', show: voider && !CLOSED.includes(status) },
  ];
  const shown = actions.filter((a) => a.show);

  return (
    <Paper withBorder p="sm" component="section" aria-labelledby="citation-actions">
      <Title order={2} size="h4" id="citation-actions" mb="xs">Actions</Title>
      {shown.length === 0 ? (
        <Text size="sm">
          {CLOSED.includes(status) ? 'This citation is closed; nothing more to do.' : 'Nothing your role may do to this citation in its present state.'}
          {!decide && DECIDABLE.includes(status) ? ' Deciding a contest needs a CSR III or a supervisor.' : ''}
        </Text>
      ) : (
        <Group gap="xs" mb={open ? 'sm' : 0}>
          {shown.map((a) => (
            <Button key={a.id} size="xs" variant={open === a.id ? 'filled' : 'default'} aria-expanded={open === a.id} onClick={() => setOpen(open === a.id ? null : a.id)}>{a.label}</Button>
          ))}
        </Group>
      )}
      {open && shown.some((a) => a.id === open) && (
        <ActionForm key={open} id={open} c={c} title={shown.find((a) => a.id === open)!.label} onDone={() => setOpen(null)} />
      )}
    </Paper>
  );
}

function ActionForm({ id, c, title, onDone }: { id: ActionId; c: Citation; title: string; onDone: () => void }) {
  const act = useCitationAction(c.number!);
  const idem = useIdempotencyKey();
  const [reason, setReason] = useState('');
  const [date, setDate] = useState('');
  const [outcome, setOutcome] = useState<'upheld' | 'dismissed' | 'reduced'>('upheld');
  const [reducedFine, setReducedFine] = useState('');
  const [requestedBy, setRequestedBy] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [refusal, setRefusal] = useState<unknown>(null);

  const check = (): Record<string, string> => {
    const e: Record<string, string> = {};
    if ((id === 'decide' || id === 'void') && !reason.trim()) e.reason = 'Give the reason (it goes on the decision letter and in the history)';
    if (id === 'schedule_hearing' && !isIsoDate(date)) e.hearing_on = 'Enter the hearing date as YYYY-MM-DD';
    if (id !== 'schedule_hearing' && id !== 'void' && date && !isIsoDate(date)) e[id === 'decide' ? 'decided_on' : 'requested_on'] = 'Enter the date as YYYY-MM-DD, or leave it empty for today';
    if (id === 'decide' && outcome === 'reduced') {
      const v = parseAmount(reducedFine);
      if (v === undefined) e.reduced_fine = 'Enter the reduced fine in dollars and cents, e.g. 40.00';
    }
    if (id === 'void' && !requestedBy.trim()) e.requested_by = 'The user name of the person who asked for the void (not you)';
    return e;
  };

  const body = (): { path: 'contest' | 'decision' | 'hearing' | 'void'; body: Record<string, string>; key?: string } => {
    const r = reason.trim();
    switch (id) {
      case 'contest': return { path: 'contest', body: { ...(r ? { reason: r } : {}), ...(date ? { requested_on: date } : {}) } };
      case 'decide': return { path: 'decision', key: idem.key(), body: { outcome, reason: r, ...(outcome === 'reduced' ? { reduced_fine: parseAmount(reducedFine)! } : {}), ...(date ? { decided_on: date } : {}) } };
      case 'request_hearing': return { path: 'hearing', body: { action: 'request', ...(r ? { reason: r } : {}), ...(date ? { requested_on: date } : {}) } };
      case 'schedule_hearing': return { path: 'hearing', body: { action: 'schedule', hearing_on: date } };
      case 'court_appeal': return { path: 'hearing', body: { action: 'court_appeal', ...(r ? { reason: r } : {}), ...(date ? { requested_on: date } : {}) } };
      case 'void': return { path: 'void', key: idem.key(), body: { reason: r, requested_by: requestedBy.trim() } };
    }
  };

  const submit = async () => {
    setRefusal(null);
    const e = check();
    setErrors(e);
    if (Object.keys(e).length) return;
    try {
      await act.mutateAsync(body());
      idem.reset();
      onDone();
    } catch (err) {
      idem.settle(err);
      if (isApiError(err) && err.field && FIELDS[id].includes(err.field)) setErrors({ [err.field]: err.message });
      else setRefusal(err);
    }
  };

  let fields: ReactNode;
  const dateLabel = id === 'decide' ? 'Decided on' : 'Requested on';
  const dateField = (name: string) => (
    <TextInput label={dateLabel} description="YYYY-MM-DD; empty: today" value={date} onChange={(e) => setDate(e.currentTarget.value)} error={errors[name]} w={200} autoComplete="off" />
  );
  switch (id) {
    case 'contest':
    case 'request_hearing':
    case 'court_appeal':
      fields = (<>
        <Textarea label="What the person says (optional)" value={reason} onChange={(e) => setReason(e.currentTarget.value)} autosize minRows={2} error={errors.reason} />
        {dateField('requested_on')}
      </>);
      break;
    case 'schedule_hearing':
      fields = <TextInput label="Hearing date" description="A business day, YYYY-MM-DD" value={date} onChange={(e) => setDate(e.currentTarget.value)} error={errors.hearing_on} w={200} required autoComplete="off" />;
      break;
    case 'decide':
      fields = (<>
        <NativeSelect label="Outcome" value={outcome} onChange={(e) => setOutcome(e.currentTarget.value as typeof outcome)} data={[
          { value: 'upheld', label: 'Upheld: the citation stands' },
          { value: 'dismissed', label: 'Dismissed: nothing is owed' },
          { value: 'reduced', label: 'Reduced: a lower fine' },
        ]} w={280} error={errors.outcome} />
        {outcome === 'reduced' && (
          <TextInput label="Reduced fine" description={`The fine now: ${formatMoney(c.fine ?? '0')}`} value={reducedFine} onChange={(e) => setReducedFine(e.currentTarget.value)} error={errors.reduced_fine} w={200} inputMode="decimal" autoComplete="off" />
        )}
        <Textarea label="Reason for the decision" value={reason} onChange={(e) => setReason(e.currentTarget.value)} autosize minRows={2} error={errors.reason} required />
        {dateField('decided_on')}
      </>);
      break;
    case 'void':
      fields = (<>
        <Textarea label="Why it was issued in error" value={reason} onChange={(e) => setReason(e.currentTarget.value)} autosize minRows={2} error={errors.reason} required />
        <TextInput label="Requested by (user name)" description="The person who asked; a supervisor other than the requester approves" value={requestedBy} onChange={(e) => setRequestedBy(e.currentTarget.value)} error={errors.requested_by} w={280} required autoComplete="off" />
      </>);
      break;
  }

  return (
    <form aria-label={title} noValidate onSubmit={(e) => { e.preventDefault(); void submit(); }}>
      <Stack gap="xs">
        <Text fw={600}>{title}</Text>
        {fields}
        <RefusalAlert error={refusal} />
        <Group gap="xs">
          <Button type="submit" size="sm" loading={act.isPending}>{id === 'decide' ? 'Record the decision' : id === 'void' ? 'Void the citation' : title}</Button>
          <Button size="sm" variant="default" onClick={onDone}>Cancel</Button>
        </Group>
      </Stack>
    </form>
  );
}

const FIELDS: Record<ActionId, string[]> = {
  contest: ['reason', 'requested_on'],
  decide: ['outcome', 'reason', 'reduced_fine', 'decided_on'],
  request_hearing: ['reason', 'requested_on'],
  schedule_hearing: ['hearing_on'],
  court_appeal: ['reason', 'requested_on'],
  void: ['reason', 'requested_by'],
};
