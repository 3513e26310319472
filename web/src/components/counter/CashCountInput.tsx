import { Group, SimpleGrid, Text, TextInput } from '@mantine/core';
import type { Ref } from 'react';
import { formatMoney } from '../../lib/money';
import { countCents, DENOMINATIONS, piecesError, type CountDraft } from './denominations';

/**
 * Pieces per denomination, bills then coins, with the total of what was typed. The legend names
 * the count ("Opening float", "Blind count"); each input is labelled by its denomination.
 */
export function CashCountInput({
  legend, value, onChange, errors, firstRef, totalLabel = 'Total counted', testId,
}: {
  legend: string;
  value: CountDraft;
  onChange: (next: CountDraft) => void;
  /** Errors by denomination key (e.g. from the server's field "count.20"). */
  errors?: Record<string, string>;
  firstRef?: Ref<HTMLInputElement>;
  totalLabel?: string;
  testId?: string;
}) {
  const total = countCents(value);
  return (
    <fieldset style={{ border: '1px solid var(--mantine-color-gray-3)', borderRadius: 4, padding: '8px 12px', margin: 0 }} data-testid={testId}>
      <legend><Text size="sm" fw={600} component="span">{legend}</Text></legend>
      <SimpleGrid cols={{ base: 3, sm: 4, lg: 6 }} spacing="xs" verticalSpacing={4}>
        {DENOMINATIONS.map((d, i) => (
          <TextInput
            key={d.key}
            ref={i === 0 ? firstRef : undefined}
            size="xs"
            label={d.label}
            inputMode="numeric"
            autoComplete="off"
            placeholder="0"
            value={value[d.key] ?? ''}
            error={piecesError(value[d.key] ?? '') ?? errors?.[d.key]}
            onChange={(e) => onChange({ ...value, [d.key]: e.currentTarget.value })}
            onFocus={(e) => e.currentTarget.select()}
            styles={{ input: { fontVariantNumeric: 'tabular-nums', textAlign: 'right' } }}
          />
        ))}
      </SimpleGrid>
      <Group justify="flex-end" mt={6}>
        <Text size="sm" aria-live="polite">
          {totalLabel}: <strong className="num" data-testid={testId ? `${testId}-total` : undefined}>{formatMoney(total)}</strong>
        </Text>
      </Group>
    </fieldset>
  );
}

/** "float.20" / "count.0.25" → { "20": message } when the field names a denomination. */
export function denominationError(field: string, message: string, prefix: string): Record<string, string> | null {
  if (!field.startsWith(`${prefix}.`)) return null;
  const key = field.slice(prefix.length + 1);
  return { [key]: message };
}
