import { Alert, Button, Checkbox, Group, NativeSelect, Paper, Stack, Text, TextInput } from '@mantine/core';
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { flushSync } from 'react-dom';
import { isApiError, newIdempotencyKey } from '../../api/client';
import { useAddItem, type BatchItem, type MailPiece } from '../../api/mail';
import { normalizeField } from '../../lib/formErrors';
import { parseAmount, positiveAmountError } from '../../lib/ledger';
import { formatMoney } from '../../lib/money';
import { MoneyField } from './MoneyField';
import { parseScanline } from './scanline';
import { reasonLabel } from './words';

interface Values {
  scanline: string;
  account_number: string;
  amount_due: string;
  check_amount: string;
  check_number: string;
  payer: string;
  mail_id: string;
}

const EMPTY: Values = { scanline: '', account_number: '', amount_due: '', check_amount: '', check_number: '', payer: '', mail_id: '' };

type Errors = Partial<Record<keyof Values, string>>;

/**
 * Keying a batch, made for a keyboard-wedge scanner: the scanline field has the focus; the
 * scanner types the stub's line and Enter, which moves to the check amount (filled with the stub's
 * amount due, selected so typing replaces it); Enter there adds the item and puts the focus back on
 * the scanline for the next envelope. The form clears at once so the next scan is never lost; a
 * refused item comes back into the form with the server's reason on its field.
 */
export function ItemEntry({ batchId, mail }: { batchId: number; mail: MailPiece[] }) {
  const add = useAddItem(batchId);
  const [keyed, setKeyed] = useState(false);
  const [v, setV] = useState<Values>(EMPTY);
  const [errors, setErrors] = useState<Errors>({});
  const [refusal, setRefusal] = useState<string | null>(null);
  const [last, setLast] = useState<BatchItem | null>(null);
  const [pending, setPending] = useState(0);
  const scanRef = useRef<HTMLInputElement>(null);
  const accountRef = useRef<HTMLInputElement>(null);
  const amountRef = useRef<HTMLInputElement>(null);
  const current = useRef(v);
  current.current = v;
  // The Idempotency-Key of the item in the form: a retry of the same envelope after a lost
  // answer replays instead of adding it twice; a new envelope (or a refused item, whose body
  // will change) gets a new key.
  const itemKey = useRef(newIdempotencyKey());

  const first = () => (keyed ? accountRef : scanRef).current;
  useEffect(() => { first()?.focus(); /* eslint-disable-next-line react-hooks/exhaustive-deps */ }, [keyed]);

  const set = (k: keyof Values, val: string) => {
    setV((old) => ({ ...old, [k]: val }));
    if (errors[k]) setErrors((e) => ({ ...e, [k]: undefined }));
  };

  const toAmount = () => {
    amountRef.current?.focus();
    amountRef.current?.select();
  };

  const onScanEnter = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key !== 'Enter') return;
    e.preventDefault();
    const parsed = parseScanline(v.scanline);
    if (parsed && 'problem' in parsed) {
      setErrors((x) => ({ ...x, scanline: parsed.problem }));
      e.currentTarget.select();
      return;
    }
    if (parsed && 'ok' in parsed) {
      // The stub's amount due is the usual check amount: offered, selected, replaced by typing.
      // Rendered now (not after the event), so the very next key — a second Enter from a fast
      // scanner or clerk — already lands in the amount field.
      const offered = { ...current.current, check_amount: parsed.ok.amountDue };
      current.current = offered;
      flushSync(() => setV(offered));
    }
    toAmount();
  };

  const onKeyedEnter = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key !== 'Enter') return;
    e.preventDefault();
    if (e.currentTarget === accountRef.current) {
      if (!/^\d{1,10}$/.test(v.account_number.trim())) {
        setErrors((x) => ({ ...x, account_number: 'Enter the account number: 1 to 10 digits' }));
        return;
      }
    }
    toAmount();
  };

  const submit = async () => {
    const vals = current.current;
    const errs: Errors = {};
    const amountErr = positiveAmountError(vals.check_amount, 'the check amount');
    if (amountErr) errs.check_amount = amountErr;
    if (keyed) {
      if (!/^\d{1,10}$/.test(vals.account_number.trim())) errs.account_number = 'Enter the account number: 1 to 10 digits';
      if (vals.amount_due.trim() && !parseAmount(vals.amount_due)) errs.amount_due = 'Enter the amount due in dollars and cents, or leave it blank';
    } else {
      const parsed = parseScanline(vals.scanline);
      if (parsed && 'problem' in parsed) errs.scanline = parsed.problem;
    }
    if (Object.values(errs).some(Boolean)) {
      setErrors(errs);
      if (errs.scanline) { scanRef.current?.focus(); scanRef.current?.select(); } else if (errs.account_number) accountRef.current?.focus(); else toAmount();
      return;
    }
    setErrors({});
    setRefusal(null);
    // Clear at once and go back to the first field: the next envelope can be scanned while this
    // item is being added.
    setV(EMPTY);
    current.current = EMPTY;
    first()?.focus();
    setPending((n) => n + 1);
    const key = itemKey.current;
    itemKey.current = newIdempotencyKey();
    try {
      const r = await add.mutateAsync({ key, item: {
        scanline: keyed ? undefined : vals.scanline.trim() || undefined,
        account_number: keyed ? vals.account_number.trim() : undefined,
        amount_due: keyed && vals.amount_due.trim() ? parseAmount(vals.amount_due) : undefined,
        check_amount: parseAmount(vals.check_amount)!,
        check_number: vals.check_number.trim() || undefined,
        payer: vals.payer.trim() || undefined,
        mail_id: vals.mail_id ? Number(vals.mail_id) : undefined,
      } });
      setLast(r.item ?? null);
    } catch (err) {
      // Put the refused item back (unless the next one is already being keyed) with the reason.
      const untouched = Object.values(current.current).every((x) => !x);
      if (untouched) setV(vals);
      // No answer (network) or a server failure: the item may have been added; sending it again
      // must replay, so it keeps its key (a 5xx answer is not kept by the server).
      if (untouched && (!isApiError(err) || err.status === 0 || err.status >= 500)) itemKey.current = key;
      const field = isApiError(err) ? normalizeField(err.field) : '';
      const message = err instanceof Error ? err.message : String(err);
      if (untouched && field && field in EMPTY) {
        setErrors({ [field]: message });
        if (field === 'scanline') setTimeout(() => { scanRef.current?.focus(); scanRef.current?.select(); }, 0);
      } else {
        setRefusal(`Item ${vals.scanline || vals.account_number || ''} ${vals.check_amount ? formatMoney(parseAmount(vals.check_amount) ?? '0') : ''} not added: ${message}`);
      }
    } finally {
      setPending((n) => n - 1);
    }
  };

  const onSubmitEnter = (e: KeyboardEvent<HTMLInputElement | HTMLSelectElement>) => {
    if (e.key !== 'Enter') return;
    e.preventDefault();
    void submit();
  };

  const parsed = keyed ? null : parseScanline(v.scanline);
  const stub = parsed && 'ok' in parsed ? parsed.ok : null;

  return (
    <Paper withBorder p="sm" data-testid="item-entry">
      <form
        aria-label="Add an item"
        noValidate
        onSubmit={(e) => { e.preventDefault(); void submit(); }}
      >
        <Stack gap="xs">
          <Group justify="space-between">
            <Text fw={600}>Add an item</Text>
            <Checkbox
              label="Key the account number (no scanline)"
              checked={keyed}
              onChange={(e) => { setKeyed(e.currentTarget.checked); setErrors({}); }}
            />
          </Group>
          <Group align="flex-start" grow>
            {keyed ? (
              <>
                <TextInput
                  ref={accountRef}
                  label="Account number"
                  inputMode="numeric"
                  autoComplete="off"
                  value={v.account_number}
                  onChange={(e) => set('account_number', e.currentTarget.value)}
                  onKeyDown={onKeyedEnter}
                  error={errors.account_number}
                />
                <MoneyField
                  label="Amount due (optional)"
                  value={v.amount_due}
                  onChange={(e) => set('amount_due', e.currentTarget.value)}
                  onKeyDown={onKeyedEnter}
                  error={errors.amount_due}
                />
              </>
            ) : (
              <TextInput
                ref={scanRef}
                label="Scanline"
                description={stub
                  ? `Account ${stub.account}, amount due ${formatMoney(stub.amountDue)}${stub.checkDigitOk ? '' : ' — check digit does not match: it will be an exception'}`
                  : 'Scan the stub (or type its 21 digits); leave blank when there is no stub'}
                autoComplete="off"
                spellCheck={false}
                maxLength={64}
                styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)', fontSize: '1.1rem', letterSpacing: '0.04em' } }}
                value={v.scanline}
                onChange={(e) => set('scanline', e.currentTarget.value)}
                onKeyDown={onScanEnter}
                error={errors.scanline}
                style={{ flexGrow: 2 }}
              />
            )}
            <MoneyField
              ref={amountRef}
              label="Check amount"
              value={v.check_amount}
              onChange={(e) => set('check_amount', e.currentTarget.value)}
              onKeyDown={onSubmitEnter}
              error={errors.check_amount}
            />
          </Group>
          <Group align="flex-start" grow>
            <TextInput label="Check no." autoComplete="off" value={v.check_number} onChange={(e) => set('check_number', e.currentTarget.value)} onKeyDown={onSubmitEnter} />
            <TextInput label="Payer" autoComplete="off" value={v.payer} onChange={(e) => set('payer', e.currentTarget.value)} onKeyDown={onSubmitEnter} />
            <NativeSelect
              label="Envelope in the mail log"
              value={v.mail_id}
              onChange={(e) => set('mail_id', e.currentTarget.value)}
              data={[{ value: '', label: mail.length ? 'None' : 'None logged to this batch' }, ...mail.map((m) => ({ value: String(m.id), label: `No. ${m.id} — ${m.from_name}` }))]}
            />
          </Group>
          {refusal && <Alert color="red" variant="light" role="alert" title="Refused" withCloseButton closeButtonLabel="Dismiss" onClose={() => setRefusal(null)}>{refusal}</Alert>}
          <Group justify="space-between">
            <div role="status" aria-live="polite" data-testid="last-item">
              {pending > 0 ? <Text size="sm">Adding…</Text> : last ? (
                <Text size="sm">
                  Item {last.seq}: {formatMoney(last.check_amount ?? '0')}{' '}
                  {last.status === 'exception' ? `— exception: ${reasonLabel(last.exception_reason)}` : '— ready'}
                </Text>
              ) : <Text size="sm" c="dimmed">Enter moves from the scanline to the amount; Enter adds the item.</Text>}
            </div>
            <Button type="submit" variant="default">Add item</Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
