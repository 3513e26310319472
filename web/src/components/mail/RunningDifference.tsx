import { Badge, Group, Paper, SimpleGrid, Stack, Text } from '@mantine/core';
import type { RemittanceBatch } from '../../api/mail';
import { formatMoney, toCents } from '../../lib/money';

function countWords(diff: number): string {
  if (diff === 0) return 'matches';
  if (diff > 0) return `${diff} to go`;
  return `${-diff} too many`;
}

function totalWords(diff: bigint): string {
  if (diff === 0n) return 'matches';
  if (diff > 0n) return `${formatMoney(diff)} to go`;
  return `${formatMoney(-diff)} over`;
}

/**
 * The batch against its adding-machine tape: items and total keyed so far, and what is left to
 * the control count and total — large, always in view while keying.
 */
export function RunningDifference({ batch }: { batch: RemittanceBatch }) {
  const countDiff = batch.count_difference ?? 0;
  const totalDiff = toCents(batch.total_difference ?? '0');
  const balanced = !!batch.balanced;
  const big = { fontSize: 'clamp(1.6rem, 3.2vw, 2.4rem)', lineHeight: 1.1, fontVariantNumeric: 'tabular-nums' as const };
  const color = (zero: boolean) => (zero ? 'green.9' : 'red.9');
  return (
    <Paper
      withBorder
      p="sm"
      data-testid="running-difference"
      style={{ position: 'sticky', top: 64, zIndex: 2, borderWidth: 2, borderColor: balanced ? 'var(--mantine-color-green-7)' : 'var(--mantine-color-orange-7)' }}
    >
      <Group justify="space-between" align="flex-start" wrap="nowrap">
        <SimpleGrid cols={2} spacing="xl" style={{ flex: 1 }}>
          <Stack gap={0}>
            <Text size="sm" fw={600}>Items</Text>
            <Text style={big} fw={700} c={color(countDiff === 0)} data-testid="count-difference">
              {countWords(countDiff)}
            </Text>
            <Text size="sm">{batch.item_count} keyed of a control count of {batch.control_count}</Text>
          </Stack>
          <Stack gap={0}>
            <Text size="sm" fw={600}>Total</Text>
            <Text style={big} fw={700} c={color(totalDiff === 0n)} data-testid="total-difference">
              {totalWords(totalDiff)}
            </Text>
            <Text size="sm">{formatMoney(batch.item_total ?? '0')} keyed of a control total of {formatMoney(batch.control_total ?? '0')}</Text>
          </Stack>
        </SimpleGrid>
        <Badge size="xl" color={balanced ? 'green' : 'orange'} variant="light" data-testid="balance-state" style={{ border: '1px solid currentColor' }}>
          {balanced ? '✓ Balanced' : 'Not balanced'}
        </Badge>
      </Group>
      <span className="visually-hidden" role="status" aria-live="polite">
        {balanced
          ? 'The batch balances.'
          : `Difference: items ${countWords(countDiff)}, total ${totalWords(totalDiff)}.`}
      </span>
    </Paper>
  );
}
