import { formatMoney, isNegative, type MoneyFormatOptions, type MoneyInput } from '../lib/money';

/** Right-aligned tabular money; negatives carry a minus sign (or parentheses) and colour, never colour alone. */
export function Money({ value, ...opts }: { value: MoneyInput } & MoneyFormatOptions) {
  const neg = isNegative(value);
  return (
    <span className={neg ? 'num money-neg' : 'num'} style={{ display: 'inline-block', minWidth: '100%' }}>
      {formatMoney(value, opts)}
    </span>
  );
}
