import { TextInput, type TextInputProps } from '@mantine/core';
import { forwardRef } from 'react';

/** A dollars-and-cents field (like ledger/common AmountInput) that takes a ref, for focus moves. */
export const MoneyField = forwardRef<HTMLInputElement, TextInputProps>(function MoneyField(props, ref) {
  return (
    <TextInput
      ref={ref}
      inputMode="decimal"
      autoComplete="off"
      leftSection={<span aria-hidden="true">$</span>}
      styles={{ input: { fontVariantNumeric: 'tabular-nums' } }}
      {...props}
    />
  );
});
