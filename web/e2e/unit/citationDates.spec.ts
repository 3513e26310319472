import { expect, test } from '@playwright/test';
import { addDays, daysBetween, mondayOf, weekdayName } from '../../src/pages/citations/calendarDates';
import { splitCents } from '../../src/pages/citations/planSchedule';

test('calendar dates: weeks start on Monday, across months, years and daylight-saving changes', () => {
  expect(mondayOf('2026-11-26')).toBe('2026-11-23'); // a Thursday
  expect(mondayOf('2026-11-23')).toBe('2026-11-23'); // a Monday is its own week
  expect(mondayOf('2026-11-29')).toBe('2026-11-23'); // Sunday belongs to the week before
  expect(mondayOf('2027-01-01')).toBe('2026-12-28');
  expect(addDays('2026-11-01', 7)).toBe('2026-11-08'); // over the end of daylight-saving time
  expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
  expect(addDays('2028-03-01', -1)).toBe('2028-02-29');
  expect(daysBetween('2026-11-06', '2026-11-26')).toBe(20);
  expect(daysBetween('2026-11-26', '2026-11-06')).toBe(-20);
  expect(weekdayName('2026-11-30')).toBe('Monday');
});

test('plan installments split like the server: within a cent, the extra cents last, the sum exact', () => {
  expect(splitCents(24200n, 12)).toEqual([...Array(4).fill(2016n), ...Array(8).fill(2017n)]);
  expect(splitCents(50000n, 20)).toEqual(Array(20).fill(2500n));
  const parts = splitCents(49999n, 20); // $499.99: none above ceil(total / 20) = $25.00
  expect(parts.reduce((a, b) => a + b, 0n)).toBe(49999n);
  expect(parts.every((p) => p <= 2500n && p >= 2499n)).toBe(true);
  expect(splitCents(1n, 3)).toEqual([0n, 0n, 1n]);
});
