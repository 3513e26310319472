// Revolving funds (change fund, petty cash): custodian and authorized amount, the daily count
// reconciled to the authorized amount (cash + expense receipts = authorized), replenishment requests.
import { Badge, Button, CloseButton, Group, Modal, NativeSelect, Paper, Stack, Table, Text, TextInput, Title, Alert, Loader } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState, type FormEvent } from 'react';
import { isApiError } from '../api/client';
import { useCountFund, useCreateFund, useReplenish, useRevolvingFunds, type FundCount, type RevolvingFund } from '../api/counter';
import { useUser } from '../auth/session';
import { CashCountInput, denominationError } from '../components/counter/CashCountInput';
import { countCents, countWords, emptyDraft, toCashCount, type CountDraft } from '../components/counter/denominations';
import { newKey } from '../components/counter/cart';
import { AmountInput, DialogButtons, placeApiError, RefusalAlert } from '../components/ledger/common';
import { Money } from '../components/Money';
import { formatDate } from '../lib/dates';
import { parseAmount, positiveAmountError } from '../lib/ledger';
import { centsToDecimal, formatMoney, toCents } from '../lib/money';
import { can } from '../lib/permissions';
import { usePageTitle } from '../lib/usePageTitle';

const KIND_LABEL: Record<string, string> = { change_fund: 'Change fund', petty_cash: 'Petty cash' };

export function differenceWords(d: string): string {
  const c = toCents(d);
  if (c === 0n) return 'Balanced';
  return c > 0n ? `Over by ${formatMoney(c)}` : `Short by ${formatMoney(-c)}`;
}

export function RevolvingFundsPage() {
  usePageTitle('Revolving funds');
  const user = useUser();
  const q = useRevolvingFunds();
  const [counting, setCounting] = useState<RevolvingFund | null>(null);
  const [replenishing, setReplenishing] = useState<RevolvingFund | null>(null);
  const [creating, setCreating] = useState(false);
  const funds = q.data?.items ?? [];
  const overseer = can(user, 'drawer.supervise', 'deposit.close');
  const mayHandle = (f: RevolvingFund) => overseer || f.custodian === user.username;

  return (
    <Stack gap="sm">
      <Group justify="space-between" align="flex-end">
        <Title order={1} size="h2">Revolving funds</Title>
        <Group gap="xs">
          {q.isFetching && <Loader size="xs" aria-label="Loading" />}
          {can(user, 'deposit.close') && <Button onClick={() => setCreating(true)}>New fund</Button>}
        </Group>
      </Group>
      <Text size="sm">Each day the custodian counts the fund: cash on hand plus receipts for what was spent must equal the authorized amount.</Text>
      {q.error && <Alert color="red" variant="light" role="alert" title="Could not load the funds">{q.error.message}</Alert>}
      {funds.map((f) => (
        <Paper key={f.id} withBorder p="sm" component="section" aria-labelledby={`fund-${f.id}`} data-testid={`fund-${f.code}`}>
          <Group justify="space-between" align="flex-start" wrap="wrap">
            <div>
              <Title order={2} size="h4" id={`fund-${f.id}`}>{f.name} <Text component="span" size="sm" fw={400}>({f.code})</Text></Title>
              <Text size="sm">{KIND_LABEL[f.kind] ?? f.kind} · custodian <strong>{f.custodian}</strong> · authorized <strong className="num">{formatMoney(f.authorized)}</strong></Text>
            </div>
            {mayHandle(f) ? (
              <Group gap="xs">
                <Button size="xs" onClick={() => setCounting(f)} aria-label={`Daily count of ${f.name}`}>Daily count</Button>
                <Button size="xs" variant="default" onClick={() => setReplenishing(f)} aria-label={`Request replenishment of ${f.name}`}>Request replenishment</Button>
              </Group>
            ) : <Text size="xs">Counted by its custodian or a supervisor.</Text>}
          </Group>
          <Group align="flex-start" gap="xl" mt="xs" wrap="wrap">
            <div style={{ minWidth: 320 }}>
              <Text size="sm" fw={600}>Last count</Text>
              {f.last_count ? <CountSummary c={f.last_count} /> : <Text size="sm">Not counted yet.</Text>}
            </div>
            <div style={{ minWidth: 320 }}>
              <Text size="sm" fw={600}>Replenishment requests</Text>
              {f.replenishments.length === 0 ? <Text size="sm">None.</Text> : (
                <Table withTableBorder aria-label={`Replenishment requests of ${f.name}`}>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th scope="col">No.</Table.Th><Table.Th scope="col">Status</Table.Th><Table.Th scope="col" style={{ textAlign: 'right' }}>Amount</Table.Th>
                      <Table.Th scope="col">Requested by</Table.Th><Table.Th scope="col">Note</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {f.replenishments.map((r) => (
                      <Table.Tr key={r.id}>
                        <Table.Td className="num">{r.id}</Table.Td><Table.Td>{r.status}</Table.Td><Table.Td><Money value={r.amount} /></Table.Td>
                        <Table.Td>{r.requested_by}</Table.Td><Table.Td>{r.note || '—'}</Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              )}
            </div>
          </Group>
        </Paper>
      ))}
      <Modal opened={!!counting} onClose={() => setCounting(null)} title={counting ? `Daily count of ${counting.name}` : 'Count'} size="xl">
        {counting && <FundCountForm fund={counting} onClose={() => setCounting(null)} />}
      </Modal>
      <Modal opened={!!replenishing} onClose={() => setReplenishing(null)} title={replenishing ? `Request replenishment of ${replenishing.name}` : 'Replenish'}>
        {replenishing && <ReplenishForm fund={replenishing} onClose={() => setReplenishing(null)} />}
      </Modal>
      <Modal opened={creating} onClose={() => setCreating(false)} title="New revolving fund">
        {creating && <NewFundForm onClose={() => setCreating(false)} />}
      </Modal>
    </Stack>
  );
}

function CountSummary({ c }: { c: FundCount }) {
  return (
    <Table withTableBorder aria-label={`Count no. ${c.id}`} data-testid="fund-count">
      <Table.Tbody>
        <Table.Tr><Table.Th scope="row">Date · by</Table.Th><Table.Td>{formatDate(c.date)} · {c.counted_by}</Table.Td></Table.Tr>
        <Table.Tr><Table.Th scope="row">Cash on hand</Table.Th><Table.Td><Money value={c.cash} /><Text size="xs">{countWords(c.cash_count)}</Text></Table.Td></Table.Tr>
        <Table.Tr><Table.Th scope="row">Expense receipts</Table.Th><Table.Td><Money value={c.receipts_total} />{c.receipts.map((r, i) => <Text size="xs" key={i}>{r.description}: {formatMoney(r.amount)}</Text>)}</Table.Td></Table.Tr>
        <Table.Tr><Table.Th scope="row">Authorized</Table.Th><Table.Td><Money value={c.authorized} /></Table.Td></Table.Tr>
        <Table.Tr>
          <Table.Th scope="row">Reconciliation</Table.Th>
          <Table.Td>
            <Badge variant="light" color={c.balanced ? 'green' : 'red'}>{differenceWords(c.difference)}</Badge>
          </Table.Td>
        </Table.Tr>
        {c.note ? <Table.Tr><Table.Th scope="row">Note</Table.Th><Table.Td>{c.note}</Table.Td></Table.Tr> : null}
      </Table.Tbody>
    </Table>
  );
}

interface ReceiptDraft { key: string; description: string; amount: string }

function FundCountForm({ fund, onClose }: { fund: RevolvingFund; onClose: () => void }) {
  const count = useCountFund();
  const [draft, setDraft] = useState<CountDraft>(emptyDraft());
  const [receipts, setReceipts] = useState<ReceiptDraft[]>([]);
  const [note, setNote] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [countErrors, setCountErrors] = useState<Record<string, string> | undefined>();
  const [refusal, setRefusal] = useState<unknown>(null);
  const [done, setDone] = useState<FundCount | null>(null);

  const cash = countCents(draft);
  const spent = receipts.reduce((a, r) => { const v = parseAmount(r.amount); return a + (v ? toCents(v) : 0n); }, 0n);
  const diff = cash + spent - toCents(fund.authorized);

  if (done) {
    return (
      <Stack gap="sm">
        <Text role="status" fw={600}>Count recorded: {differenceWords(done.difference)}.</Text>
        <CountSummary c={done} />
        <Group justify="flex-end"><Button onClick={onClose} data-autofocus>Done</Button></Group>
      </Stack>
    );
  }

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setRefusal(null);
    const c = toCashCount(draft);
    const errs: Record<string, string> = {};
    receipts.forEach((r, i) => {
      if (!r.description.trim()) errs[`receipts.${i}.description`] = 'What was bought';
      const a = positiveAmountError(r.amount);
      if (a) errs[`receipts.${i}.amount`] = a;
    });
    setErrors(errs);
    if (!c || Object.keys(errs).length) return;
    try {
      setDone(await count.mutateAsync({
        id: fund.id, count: c,
        receipts: receipts.map((r) => ({ description: r.description.trim(), amount: parseAmount(r.amount)! })),
        ...(note.trim() ? { note: note.trim() } : {}),
      }));
    } catch (err) {
      const byDen = isApiError(err) ? denominationError(err.field, err.message, 'count') : null;
      if (byDen) { setCountErrors(byDen); return; }
      if (isApiError(err) && err.field.startsWith('receipts')) { setErrors({ [err.field.replace(/\[(\d+)\]/g, '.$1')]: err.message }); return; }
      setRefusal(err);
    }
  };

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        <CashCountInput legend="Cash on hand (pieces per denomination)" value={draft} onChange={setDraft} errors={countErrors} totalLabel="Cash" testId="fund-cash" />
        <fieldset style={{ border: '1px solid var(--mantine-color-gray-3)', borderRadius: 4, padding: '8px 12px', margin: 0 }}>
          <legend><Text size="sm" fw={600} component="span">Receipts for expenses</Text></legend>
          <Stack gap={4}>
            {receipts.length === 0 && <Text size="sm">None. Add each receipt paid out of the fund.</Text>}
            {receipts.map((r, i) => (
              <Group key={r.key} gap="xs" align="flex-start">
                <TextInput size="xs" label={`Receipt ${i + 1} description`} value={r.description} error={errors[`receipts.${i}.description`]}
                  onChange={(e) => { const v = e.currentTarget.value; setReceipts((rs) => rs.map((x) => (x.key === r.key ? { ...x, description: v } : x))); }} style={{ flex: 1 }} />
                <AmountInput size="xs" w={140} label={`Receipt ${i + 1} amount`} value={r.amount} error={errors[`receipts.${i}.amount`]}
                  onChange={(e) => { const v = e.currentTarget.value; setReceipts((rs) => rs.map((x) => (x.key === r.key ? { ...x, amount: v } : x))); }} />
                <CloseButton mt={22} size="sm" aria-label={`Remove receipt ${i + 1}`} onClick={() => setReceipts((rs) => rs.filter((x) => x.key !== r.key))} />
              </Group>
            ))}
            <Group><Button size="compact-xs" variant="default" onClick={() => setReceipts((rs) => [...rs, { key: newKey('r'), description: '', amount: '' }])}>Add receipt</Button></Group>
          </Stack>
        </fieldset>
        <TextInput label="Note" value={note} onChange={(e) => setNote(e.currentTarget.value)} />
        <Paper withBorder p="xs" aria-live="polite" data-testid="fund-reconciliation">
          <Text size="sm">
            Cash <span className="num">{formatMoney(cash)}</span> + receipts <span className="num">{formatMoney(spent)}</span> ={' '}
            <strong className="num">{formatMoney(cash + spent)}</strong>; authorized <span className="num">{formatMoney(fund.authorized)}</span> —{' '}
            <strong>{differenceWords(centsToDecimal(diff))}</strong>
          </Text>
        </Paper>
        <RefusalAlert error={refusal} />
        <DialogButtons onCancel={onClose} submit="Record count" pending={count.isPending} />
      </Stack>
    </form>
  );
}

function ReplenishForm({ fund, onClose }: { fund: RevolvingFund; onClose: () => void }) {
  const replenish = useReplenish();
  const [refusal, setRefusal] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);
  const suggested = fund.last_count?.receipts_total;
  const form = useForm({
    initialValues: { amount: suggested && toCents(suggested) > 0n ? suggested : '', note: '' },
    validate: { amount: (v: string) => (v.trim() ? positiveAmountError(v) : null) },
  });
  if (done) {
    return (
      <Stack gap="sm">
        <Text role="status" fw={600}>{done}</Text>
        <Group justify="flex-end"><Button onClick={onClose} data-autofocus>Done</Button></Group>
      </Stack>
    );
  }
  const submit = form.onSubmit(async (v) => {
    setRefusal(null);
    try {
      const r = await replenish.mutateAsync({ id: fund.id, ...(v.amount.trim() ? { amount: parseAmount(v.amount)! } : {}), ...(v.note.trim() ? { note: v.note.trim() } : {}) });
      setDone(`Replenishment no. ${r.id} of ${formatMoney(r.amount)} requested.`);
    } catch (err) {
      setRefusal(placeApiError(err, form.setFieldError, ['amount', 'note']));
    }
  });
  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        <AmountInput label="Amount" description="Empty: what the last count’s receipts add up to" data-autofocus {...form.getInputProps('amount')} />
        <TextInput label="Note" {...form.getInputProps('note')} />
        <RefusalAlert error={refusal} />
        <DialogButtons onCancel={onClose} submit="Request replenishment" pending={replenish.isPending} />
      </Stack>
    </form>
  );
}

function NewFundForm({ onClose }: { onClose: () => void }) {
  const create = useCreateFund();
  const [refusal, setRefusal] = useState<unknown>(null);
  const form = useForm({
    initialValues: { code: '', name: '', kind: 'petty_cash', custodian: '', authorized_amount: '' },
    validate: {
      code: (v: string) => (v.trim() ? null : 'A short code, e.g. PETTY-UO'),
      name: (v: string) => (v.trim() ? null : 'Name the fund'),
      custodian: (v: string) => (v.trim() ? null : 'The custodian’s user name'),
      authorized_amount: (v: string) => positiveAmountError(v, 'the authorized amount'),
    },
  });
  const submit = form.onSubmit(async (v) => {
    setRefusal(null);
    try {
      await create.mutateAsync({ code: v.code.trim(), name: v.name.trim(), kind: v.kind, custodian: v.custodian.trim(), authorized_amount: parseAmount(v.authorized_amount)! });
      onClose();
    } catch (err) {
      setRefusal(placeApiError(err, form.setFieldError, ['code', 'name', 'kind', 'custodian', 'authorized_amount']));
    }
  });
  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        <TextInput label="Code" required data-autofocus {...form.getInputProps('code')} />
        <TextInput label="Name" required {...form.getInputProps('name')} />
        <NativeSelect label="Kind" data={[{ value: 'petty_cash', label: 'Petty cash' }, { value: 'change_fund', label: 'Change fund' }]} {...form.getInputProps('kind')} />
        <TextInput label="Custodian (user name)" required {...form.getInputProps('custodian')} />
        <AmountInput label="Authorized amount" required {...form.getInputProps('authorized_amount')} />
        <RefusalAlert error={refusal} />
        <DialogButtons onCancel={onClose} submit="Create fund" pending={create.isPending} />
      </Stack>
    </form>
  );
}
