import { expect, test } from '@playwright/test';
import { centsToDecimal, formatMoney, isNegative, sumCents, toCents } from '../../src/lib/money';

test('toCents reads integer cents and decimal strings exactly', () => {
  expect(toCents(123456)).toBe(123456n);
  expect(toCents('1234.56')).toBe(123456n);
  expect(toCents('1,234.5')).toBe(123450n);
  expect(toCents('-0.05')).toBe(-5n);
  expect(toCents('0')).toBe(0n);
  expect(toCents('$12.00')).toBe(1200n);
  expect(() => toCents(12.5)).toThrow();
  expect(() => toCents('1.234')).toThrow();
  expect(() => toCents('abc')).toThrow();
});

test('formatMoney groups, pads and signs', () => {
  expect(formatMoney(123456)).toBe('$1,234.56');
  expect(formatMoney('-1234.5')).toBe('\u2212$1,234.50');
  expect(formatMoney(-5, { negative: 'parens' })).toBe('($0.05)');
  expect(formatMoney(0)).toBe('$0.00');
  expect(formatMoney('1000000', { symbol: false })).toBe('1,000,000.00');
  expect(formatMoney(100, { plusSign: true })).toBe('+$1.00');
  expect(formatMoney('9007199254740993.01')).toBe('$9,007,199,254,740,993.01');
});

test('sums never use floats', () => {
  expect(sumCents(['0.10', '0.20'])).toBe(30n);
  expect(centsToDecimal(sumCents(['0.10', '0.20', -30]))).toBe('0.00');
  expect(centsToDecimal(-123456n)).toBe('-1234.56');
  expect(isNegative('-0.01')).toBe(true);
  expect(isNegative('0.00')).toBe(false);
});
