import { Badge, Button, CloseButton, Group, Kbd, NativeSelect, Paper, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { useEffect, useRef, useState } from 'react';
import { isApiError } from '../../api/client';
import { cardTerminal, type TenderKind } from '../../api/counter';
import { formatMoney } from '../../lib/money';
import { AmountInput } from '../ledger/common';
import { TENDER_KINDS, tenderLabel, type DraftErrors, type Sums, type TenderDraft } from './cart';
import { brandName, cardNumberFrom, TEST_CARDS } from './sandboxTerminal';

/** How the customer pays: one or more tenders, with what is still to pay or the change due. */
export function TenderList({ tenders, errors, sums, focusKey, onAdd, onChange, onRemove }: {
  tenders: TenderDraft[];
  errors: DraftErrors;
  sums: Sums;
  /** The tender whose amount takes the focus (just added). */
  focusKey: string | null;
  onAdd: (kind: TenderKind) => void;
  onChange: (key: string, patch: Partial<TenderDraft>) => void;
  onRemove: (key: string) => void;
}) {
  return (
    <Paper withBorder p="sm" component="section" aria-labelledby="counter-tenders" data-testid="tenders">
      <Group justify="space-between" mb="xs" wrap="wrap">
        <Title order={2} size="h4" id="counter-tenders">Tenders</Title>
        <Group gap={6} wrap="wrap" role="group" aria-label="Add a tender">
          {TENDER_KINDS.map((t) => (
            <Button key={t.kind} size="compact-sm" variant="default" onClick={() => onAdd(t.kind)} aria-keyshortcuts={t.shortcut} aria-label={`Add ${t.label.toLowerCase()} tender`}>
              {t.label}&nbsp;<Kbd size="xs" aria-hidden="true">{t.shortcut}</Kbd>
            </Button>
          ))}
        </Group>
      </Group>
      {tenders.length === 0 && <Text size="sm">No tender yet. Add how the customer pays; several tenders may pay one cart.</Text>}
      <Stack gap="xs">
        {tenders.map((t, i) => (
          <TenderRow key={t.key} t={t} index={i} errors={errors} autoFocus={focusKey === t.key} onChange={(p) => onChange(t.key, p)} onRemove={() => onRemove(t.key)} />
        ))}
      </Stack>
      {errors.tenders && <Text size="sm" c="red.9" role="alert" mt="xs">{errors.tenders}</Text>}
      <Group justify="flex-end" gap="lg" mt="sm" aria-live="polite" data-testid="tender-sums">
        <Text size="sm">Due <strong className="num">{formatMoney(sums.due)}</strong></Text>
        <Text size="sm">Tendered <strong className="num">{formatMoney(sums.tendered)}</strong></Text>
        {sums.remaining > 0n ? (
          <Text size="sm" c="red.9" fw={700}>Still to pay <span className="num">{formatMoney(sums.remaining)}</span></Text>
        ) : (
          <Text size="sm" fw={700}>Change <span className="num">{formatMoney(sums.change)}</span></Text>
        )}
      </Group>
    </Paper>
  );
}

function TenderRow({ t, index, errors, autoFocus, onChange, onRemove }: {
  t: TenderDraft; index: number; errors: DraftErrors; autoFocus: boolean;
  onChange: (p: Partial<TenderDraft>) => void; onRemove: () => void;
}) {
  const amountBox = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const input = amountBox.current?.querySelector('input');
    if (autoFocus && input) { input.focus(); input.select(); }
  }, [autoFocus]);
  const label = tenderLabel(t.kind);
  const n = index + 1;
  const err = (f: string) => errors[`tenders.${index}.${f}`];
  return (
    <fieldset style={{ border: '1px solid var(--mantine-color-gray-3)', borderRadius: 4, padding: '6px 10px', margin: 0 }} data-testid={`tender-${index}`}>
      <legend><Text size="sm" fw={600} component="span">Tender {n}: {label}</Text></legend>
      <Group align="flex-start" gap="sm" wrap="wrap">
        <div ref={amountBox}>
        <AmountInput
          size="xs"
          w={140}
          label={`${label} amount`}
          value={t.amount}
          onChange={(e) => onChange({ amount: e.currentTarget.value })}
          onFocus={(e) => e.currentTarget.select()}
          error={err('amount') ?? err('kind')}
        />
        </div>
        {(t.kind === 'check' || t.kind === 'money_order') && (
          <SimpleGrid cols={{ base: 2, xl: 4 }} spacing="xs" style={{ flex: 1, minWidth: 260 }}>
            <TextInput size="xs" label={t.kind === 'check' ? 'Check number' : 'Money order number'} value={t.checkNumber} onChange={(e) => onChange({ checkNumber: e.currentTarget.value })} error={err('check_number')} autoComplete="off" />
            <TextInput size="xs" label={t.kind === 'check' ? 'Bank' : 'Issuer'} value={t.bank} onChange={(e) => onChange({ bank: e.currentTarget.value })} error={err('bank')} />
            <TextInput size="xs" label="Payer" value={t.payer} onChange={(e) => onChange({ payer: e.currentTarget.value })} error={err('payer')} />
            <TextInput size="xs" label="MICR line (optional)" value={t.micr} onChange={(e) => onChange({ micr: e.currentTarget.value })} error={err('micr')} autoComplete="off" styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }} />
          </SimpleGrid>
        )}
        {t.kind === 'card' && <CardTerminal t={t} index={index} error={err('card_token')} onChange={onChange} />}
        {t.kind === 'ach' && (
          <TextInput size="xs" w={200} label="Account, last 4 digits (optional)" inputMode="numeric" maxLength={4} value={t.achLast4} onChange={(e) => onChange({ achLast4: e.currentTarget.value })} error={err('ach_last4')} />
        )}
        <CloseButton mt={22} size="sm" aria-label={`Remove tender ${n} (${label})`} onClick={onRemove} />
      </Group>
    </fieldset>
  );
}

/**
 * The sandbox card terminal of a card tender: the cashier types or swipes the card number into a
 * masked field (or picks a named test card) and the server's terminal route answers with the
 * gateway's token; only the brand and last four are shown. The number lives in the input element
 * alone (uncontrolled, never in React state), is cleared as it is sent, and is not logged.
 */
function CardTerminal({ t, index, error, onChange }: {
  t: TenderDraft; index: number; error: string | undefined; onChange: (p: Partial<TenderDraft>) => void;
}) {
  const numberRef = useRef<HTMLInputElement>(null);
  const [busy, setBusy] = useState(false);
  const [refusal, setRefusal] = useState<string | null>(null);
  const ids = `tender-${t.key}`;

  const read = async (number: string) => {
    if (busy) return;
    setRefusal(null);
    if (!number.trim()) { setRefusal('Type or swipe the card number, or pick a test card'); return; }
    setBusy(true);
    onChange({ card: null });
    try {
      const r = await cardTerminal(number);
      onChange({ card: { token: r.card_token, brand: r.card_brand, last4: r.card_last4 } });
    } catch (e) {
      setRefusal(isApiError(e) && e.status === 404
        ? `The card terminal is not available: ${e.message}`
        : e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  const readTyped = () => {
    const input = numberRef.current;
    if (!input) return;
    const number = cardNumberFrom(input.value);
    input.value = '';
    void read(number);
  };

  const shownError = refusal ?? (t.card ? undefined : error);
  return (
    <Stack gap={6} style={{ flex: 1, minWidth: 260 }}>
      <Group align="flex-end" gap="xs" wrap="nowrap">
        <TextInput
          ref={numberRef}
          size="xs"
          style={{ flex: 1, minWidth: 150, maxWidth: 260 }}
          type="password"
          label="Card terminal (sandbox)"
          description="Type or swipe, then Enter"
          inputMode="numeric"
          autoComplete="off"
          spellCheck={false}
          data-1p-ignore
          data-lpignore="true"
          error={shownError}
          onKeyDown={(e) => { if (e.key === 'Enter') { e.preventDefault(); readTyped(); } }}
        />
        <Button size="xs" variant="default" onClick={readTyped} loading={busy}>Read card</Button>
      </Group>
      <Group align="flex-end" gap="xs" wrap="nowrap">
        <NativeSelect
          size="xs"
          style={{ flex: 1, minWidth: 150, maxWidth: 300 }}
          label="Test card (quick pick)"
          value={t.cardChoice}
          data={TEST_CARDS.map((c) => ({ value: c.value, label: c.label }))}
          onChange={(e) => onChange({ cardChoice: e.currentTarget.value })}
        />
        <Button
          size="xs"
          variant="default"
          disabled={busy}
          onClick={() => { const c = TEST_CARDS.find((x) => x.value === t.cardChoice); if (c) void read(c.number); }}
          aria-label={`Use the test card for tender ${index + 1}`}
        >
          Use test card
        </Button>
      </Group>
      <div id={`${ids}-card-status`} aria-live="polite">
        {t.card ? (
          <Badge color="green" variant="light" size="lg">{brandName(t.card.brand)} ending {t.card.last4} — ready</Badge>
        ) : (
          <Text size="xs" c="dimmed">No card read yet. civicdesk keeps only the gateway’s token, the brand and the last 4 digits.</Text>
        )}
      </div>
    </Stack>
  );
}
