// The read exception queue (CSR III): reads the checks held back, oldest first, a page at a time
// ("41–80 of 312"), filtered by reason or account, each with its reason, the account, the read
// and the range the check expected. Four ways out: accept as read, correct the value, ask the
// field for a re-read, or estimate. Every action is a button or a form (keyboard).
import { Alert, Anchor, Badge, Button, Center, Group, Loader, NativeSelect, NumberInput, Pagination, Paper, SegmentedControl, Stack, Text, TextInput, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { useBillingRoutes, useResolveException, type Resolution } from '../../api/billing';
import { REASONS, useExceptionPage, type BillingReadException, type ExceptionFilter } from '../../api/billingQueue';
import { isApiError } from '../../api/client';
import { useUser } from '../../auth/session';
import { formatDate } from '../../lib/dates';
import { can } from '../../lib/permissions';
import { usePageTitle } from '../../lib/usePageTitle';
import { BillingTabs } from './BillingTabs';

export function ReadExceptionsPage() {
  usePageTitle('Read exceptions');
  const user = useUser();
  const [f, setF] = useState<ExceptionFilter>({ status: 'open', code: '', route: '', account: '', page: 1, pageSize: 25 });
  // A new filter starts again at its first page.
  const filter = (change: Partial<ExceptionFilter>) => setF((old) => ({ ...old, ...change, page: change.page ?? 1 }));
  const q = useExceptionPage(f);
  const items = q.data?.items ?? [];
  const total = q.data?.total ?? 0;
  const pages = Math.max(1, Math.ceil(total / f.pageSize));
  const first = total > 0 ? (f.page - 1) * f.pageSize + 1 : 0;
  const last = Math.min(total, f.page * f.pageSize);
  const mayResolve = can(user, 'billing.exceptions');
  const routes = useBillingRoutes();
  // Resolving the last card of the last page leaves an empty page: step back to the new last.
  useEffect(() => {
    if (q.data && f.page > pages) setF((old) => ({ ...old, page: pages }));
  }, [q.data, f.page, pages]);
  return (
    <Stack gap="sm">
      <Title order={1} size="h2">Read exceptions</Title>
      <BillingTabs />
      <Text size="sm">Reads the checks held back from billing, oldest first. {mayResolve ? 'Accept, correct, request a re-read or estimate.' : 'A CSR III or supervisor resolves them.'}</Text>
      <Group align="flex-end" wrap="wrap" role="group" aria-label="Filter the queue">
        <NativeSelect
          label="Show"
          value={f.status}
          onChange={(e) => filter({ status: e.currentTarget.value as ExceptionFilter['status'] })}
          data={[{ value: 'open', label: 'Open' }, { value: 'reread', label: 'Waiting for a re-read' }, { value: 'all', label: 'All, with resolved ones' }]}
          w={240}
        />
        <NativeSelect
          label="Reason"
          value={f.code}
          onChange={(e) => filter({ code: e.currentTarget.value as ExceptionFilter['code'] })}
          data={[{ value: '', label: 'Any reason' }, ...REASONS.map((r) => ({ value: r, label: reasonLabel(r) }))]}
          w={200}
        />
        <NativeSelect
          label="Route"
          value={f.route}
          onChange={(e) => filter({ route: e.currentTarget.value })}
          data={[{ value: '', label: 'Any route' }, ...(routes.data?.routes ?? []).map((r) => ({ value: r.code, label: `${r.code} · ${r.name}` }))]}
          w={200}
        />
        <TextInput
          label="Account number"
          value={f.account}
          onChange={(e) => filter({ account: e.currentTarget.value.replace(/\D/g, '') })}
          inputMode="numeric"
          w={160}
        />
        <NativeSelect
          label="Per page"
          value={String(f.pageSize)}
          onChange={(e) => filter({ pageSize: Number(e.currentTarget.value) })}
          data={['25', '50', '100']}
          w={100}
        />
      </Group>
      {q.isLoading && <Center p="md"><Loader aria-label="Loading read exceptions" /></Center>}
      {q.error && <Alert color="red" variant="light" role="alert" title="Could not load the queue">{isApiError(q.error) && q.error.field ? `${q.error.message} (field: ${q.error.field})` : q.error.message}</Alert>}
      {q.data && total > 0 && (
        <Group justify="space-between" wrap="wrap">
          <Text size="sm" aria-live="polite" data-testid="exceptions-range">
            {`${first.toLocaleString()}–${last.toLocaleString()} of ${total.toLocaleString()}`}
          </Text>
          {pages > 1 && (
            <nav aria-label="Queue pages">
            <Pagination
              size="sm"
              total={pages}
              value={f.page}
              onChange={(page) => filter({ page })}
              siblings={1}
              boundaries={1}
              getControlProps={(control) => ({ 'aria-label': `${control} page` })}
              getItemProps={(p) => ({ 'aria-label': `Page ${p}` })}
            />
            </nav>
          )}
        </Group>
      )}
      {q.data && items.length === 0 && <Text size="sm" data-testid="exceptions-empty">No read exception here.</Text>}
      {items.map((x) => <ExceptionCard key={x.id} x={x} mayResolve={mayResolve} />)}
    </Stack>
  );
}

function reasonLabel(code: string): string {
  const s = code.replace(/_/g, ' ');
  return s.charAt(0).toUpperCase() + s.slice(1);
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
          {x.expected?.text ? <Text size="sm" data-testid="expected-range">Check: {x.expected.text}.</Text> : null}
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
