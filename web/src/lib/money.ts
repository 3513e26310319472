// Money helpers. Amounts are carried as integer cents in a BigInt: never floats in arithmetic.
//
// Inputs accepted:
//   - number:  integer cents (must be a safe integer; 1234 means $12.34)
//   - bigint:  integer cents
//   - string:  a decimal amount in dollars as the API sends it, "1234.56", "-12.5", "0", "1,234.00"
//              (at most two decimals; more is an error rather than a silent rounding)

export type MoneyInput = number | bigint | string;

const DECIMAL = /^([+-])?(\d+)(?:\.(\d{0,2}))?$/;

/** Convert any accepted input to integer cents. Throws on anything it cannot read exactly. */
export function toCents(v: MoneyInput): bigint {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number') {
    if (!Number.isSafeInteger(v)) throw new RangeError(`money: ${v} is not an integer number of cents`);
    return BigInt(v);
  }
  const s = v.trim().replace(/,/g, '').replace(/^\$/, '').replace(/^([+-])\$/, '$1');
  const m = DECIMAL.exec(s);
  if (!m) throw new RangeError(`money: "${v}" is not a decimal amount`);
  const sign = m[1] === '-' ? -1n : 1n;
  const whole = BigInt(m[2]);
  const frac = BigInt((m[3] ?? '').padEnd(2, '0') || '0');
  return sign * (whole * 100n + frac);
}

/** Cents as the API's decimal string: -123456n → "-1234.56". */
export function centsToDecimal(c: bigint): string {
  const neg = c < 0n;
  const a = neg ? -c : c;
  const whole = a / 100n;
  const frac = (a % 100n).toString().padStart(2, '0');
  return `${neg ? '-' : ''}${whole}.${frac}`;
}

export function sumCents(values: MoneyInput[]): bigint {
  return values.reduce<bigint>((acc, v) => acc + toCents(v), 0n);
}

function group(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

export interface MoneyFormatOptions {
  /** Show "$". Default true. */
  symbol?: boolean;
  /** Style for negatives: "minus" (−$12.34, default) or "parens" (($12.34)). */
  negative?: 'minus' | 'parens';
  /** Prefix positives with "+" (for adjustments). Default false. */
  plusSign?: boolean;
}

/** Format for display: 123456 → "$1,234.56"; -5 → "−$0.05" (U+2212 minus). */
export function formatMoney(v: MoneyInput, opts: MoneyFormatOptions = {}): string {
  const c = toCents(v);
  const neg = c < 0n;
  const a = neg ? -c : c;
  const body = `${opts.symbol === false ? '' : '$'}${group((a / 100n).toString())}.${(a % 100n).toString().padStart(2, '0')}`;
  if (neg) return opts.negative === 'parens' ? `(${body})` : `\u2212${body}`;
  return opts.plusSign && c > 0n ? `+${body}` : body;
}

export function isNegative(v: MoneyInput): boolean {
  return toCents(v) < 0n;
}
