import { Badge, Button, CloseButton, Group, Kbd, NativeSelect, Paper, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { useEffect, useRef } from 'react';
import type { TenderKind } from '../../api/counter';
import { formatMoney } from '../../lib/money';
import { AmountInput } from '../ledger/common';
import { TENDER_KINDS, tenderLabel, type DraftErrors, type Sums, type TenderDraft } from './cart';
import { brandName, readCard, TEST_CARDS } from './sandboxTerminal';

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
        {t.kind === 'card' && (
          <Group align="flex-end" gap="xs" style={{ flex: 1 }} wrap="wrap">
            <NativeSelect
              size="xs"
              label="Card terminal (sandbox test card)"
              value={t.cardChoice}
              data={TEST_CARDS.map((c) => ({ value: c.value, label: c.label }))}
              onChange={(e) => onChange({ cardChoice: e.currentTarget.value, card: null })}
            />
            <Button size="xs" variant="default" onClick={() => onChange({ card: readCard(t.cardChoice) ?? null })}>Read card</Button>
            {t.card ? (
              <Badge color="green" variant="light" size="lg">{brandName(t.card.brand)} ending {t.card.last4} — ready</Badge>
            ) : (
              <Text size="xs" c={err('card_token') ? 'red.9' : 'dimmed'} role={err('card_token') ? 'alert' : undefined}>
                {err('card_token') ?? 'The terminal gives a token; no card number is typed here.'}
              </Text>
            )}
          </Group>
        )}
        {t.kind === 'ach' && (
          <TextInput size="xs" w={200} label="Account, last 4 digits (optional)" inputMode="numeric" maxLength={4} value={t.achLast4} onChange={(e) => onChange({ achLast4: e.currentTarget.value })} error={err('ach_last4')} />
        )}
        <CloseButton mt={22} size="sm" aria-label={`Remove tender ${n} (${label})`} onClick={onRemove} />
      </Group>
    </fieldset>
  );
}
