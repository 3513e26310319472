// The read exception queue (CSR III): reads the checks held back, oldest first, each with its
// reason, the account, the read and what was expected. Four ways out: accept as read, correct the
// value, ask the field for a re-read, or estimate. Every action is a button or a form (keyboard).
import { Alert, Anchor, Badge, Button, Center, Group, Loader, NativeSelect, NumberInput, Paper, SegmentedControl, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { useReadExceptions, useResolveException, type BillingReadException, type Resolution } from '../../api/billing';
import { isApiError } from '../../api/client';
import { useUser } from '../../auth/session';
import { formatDate } from '../../lib/dates';
import { can } from '../../lib/permissions';
import { usePageTitle } from '../../lib/usePageTitle';
import { BillingTabs } from './BillingTabs';

export function ReadExceptionsPage() {
  usePageTitle('Read exceptions');
  const user = useUser();
  const [status, setStatus] = useState<'open' | 'reread' | 'all'>('open');
  const q = useReadExceptions(status);
  const items = q.data?.items ?? [];
  const mayResolve = can(user, 'billing.exceptions');
  return (
    <Stack gap="sm">
      <Title order={1} size="h2">Read exceptions</Title>
      <BillingTabs />
      <Text size="sm">Reads the checks held back from billing, oldest first. {mayResolve ? 'Accept, correct, request a re-read or estimate.' : 'A CSR III or supervisor resolves them.'}</Text>
      <NativeSelect
        label="Show"
        value={status}
        onChange={(e) => setStatus(e.currentTarget.value as typeof status)}
        data={[{ value: 'open', label: 'Open' }, { value: 'reread', label: 'Waiting for a re-read' }, { value: 'all', label: 'All, with resolved ones' }]}
        w={260}
      />
      {q.isLoading && <Center p="md"><Loader aria-label="Loading read exceptions" /></Center>}
      {q.error && <Alert color="red" variant="light" role="alert" title="Could not load the queue">{q.error.message}</Alert>}
      {q.data && items.length === 0 && <Text size="sm" data-testid="exceptions-empty">No read exception here.</Text>}
      {items.map((x) => <ExceptionCard key={x.id} x={x} mayResolve={mayResolve} />)}
    </Stack>
  );
}

type Action = 'accept' | 'correct' | 'reread' | 'estimate';

function ExceptionCard({ x, mayResolve }: { x: BillingReadException; mayResolve: boolean }) {
  const resolve = useResolveException();
  const [action, setAction] = useState<Action | null>(null);
  const [value, setValue] = useState<number | string>('');
  const [method, setMethod] = useState<'average' | 'last_year'>('average');
  const [note, setNote] = useState('');
  const open = x.status === 'open' || x.status === 'reread';
  const r = x.read;
  const label = `exception ${x.id}, account ${x.account_number}`;

  const submit = () => {
    if (!action) return;
    let res: Resolution;
    const n = note.trim() || undefined;
    if (action === 'correct') res = { action, value: Number(value), note: n };
    else if (action === 'estimate') res = { action, method, note: n };
    else res = { action, note: n };
    resolve.mutate({ id: x.id!, r: res }, { onSuccess: () => setAction(null) });
  };

  return (
    <Paper withBorder p="sm" component="article" aria-label={`Read exception ${x.id}`} data-testid={`exception-${x.id}`}>
      <Group justify="space-between" align="flex-start">
        <Stack gap={2}>
          <Group gap="xs">
            <Badge variant="filled" color="red.9">{x.code?.replace(/_/g, ' ')}</Badge>
            <Badge variant="outline" color="dark">{x.status}</Badge>
            <Anchor component={Link} to={`/billing/accounts/${x.account_number}`} underline="always" size="sm">Account {x.account_number}</Anchor>
            <Text size="sm">{x.party_name} · {x.service_address}</Text>
          </Group>
          <Text size="sm">Reason: {x.message}</Text>
          <Text size="sm">
            Read {r?.value} on {formatDate(r?.read_on)} (meter {r?.meter_serial}, {r?.usage_ccf} CCF over {r?.days} days); previous read {x.previous_value} on {formatDate(x.previous_read_on)}.
          </Text>
          {x.field_work_id ? <Text size="sm">Re-read requested (field work {x.field_work_id}).</Text> : null}
          {x.resolved_by && <Text size="sm">Resolved by {x.resolved_by}{x.resolution_note ? `: ${x.resolution_note}` : ''}</Text>}
        </Stack>
      </Group>
      {mayResolve && open && (
        <Group gap="xs" mt="xs" role="group" aria-label={`Resolve ${label}`}>
          <Button size="compact-sm" variant={action === 'accept' ? 'filled' : 'default'} onClick={() => setAction('accept')}>Accept as read</Button>
          <Button size="compact-sm" variant={action === 'correct' ? 'filled' : 'default'} onClick={() => setAction('correct')}>Correct the value</Button>
          {x.status === 'open' && <Button size="compact-sm" variant={action === 'reread' ? 'filled' : 'default'} onClick={() => setAction('reread')}>Request a re-read</Button>}
          <Button size="compact-sm" variant={action === 'estimate' ? 'filled' : 'default'} onClick={() => setAction('estimate')}>Estimate</Button>
        </Group>
      )}
      {action && (
        <form onSubmit={(e) => { e.preventDefault(); submit(); }} aria-label={`${action} ${label}`}>
          <Group align="flex-end" mt="xs" wrap="wrap">
            {action === 'correct' && <NumberInput label="Corrected reading" value={value} onChange={setValue} min={0} allowDecimal={false} required w={170} data-autofocus autoFocus />}
            {action === 'estimate' && (
              <SegmentedControl aria-label="Estimate from" value={method} onChange={(v) => setMethod(v as typeof method)} data={[{ value: 'average', label: 'Average of the last periods' }, { value: 'last_year', label: 'Same period last year' }]} />
            )}
            <TextInput label="Note" value={note} onChange={(e) => setNote(e.currentTarget.value)} w={260} autoFocus={action !== 'correct'} />
            <Button type="submit" loading={resolve.isPending}>
              {action === 'accept' ? 'Accept the read' : action === 'correct' ? 'Save the correction' : action === 'reread' ? 'Send for a re-read' : 'Estimate the read'}
            </Button>
            <Button variant="default" onClick={() => setAction(null)}>Cancel</Button>
          </Group>
        </form>
      )}
      {resolve.error && <Alert mt="xs" color="red" variant="light" role="alert">{isApiError(resolve.error) && resolve.error.field ? `${resolve.error.message} (field: ${resolve.error.field})` : resolve.error.message}</Alert>}
      {resolve.data && <Text size="sm" mt="xs" role="status">Resolved: {resolve.data.status}.</Text>}
    </Paper>
  );
}
