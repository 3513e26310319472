import { Alert, Button, Group, Stack, TextInput, type TextInputProps } from '@mantine/core';
import type { ReactNode } from 'react';
import { isApiError } from '../../api/client';
import { normalizeField } from '../../lib/formErrors';

/** A refusal or failure, explained where it happened (inside the dialog or row that caused it). */
export function RefusalAlert({ error, title }: { error: unknown; title?: string }) {
  if (!error) return null;
  const network = isApiError(error) && (error.status === 0 || error.status >= 500 || error.status === 409);
  const t = title ?? (network ? 'Not done yet — you can try again' : 'Refused');
  return (
    <Alert color={network ? 'orange' : 'red'} variant="light" role="alert" title={t} data-testid="refusal">
      {error instanceof Error ? error.message : String(error)}
      {network && ' Trying again is safe: it will not be posted twice.'}
    </Alert>
  );
}

/**
 * Put an API error on the named form field when the form has it; otherwise the caller shows it
 * in a RefusalAlert. Returns the error to show in the alert (or null when it went on a field).
 */
export function placeApiError(
  err: unknown,
  setFieldError: (path: string, message: string) => void,
  fields: readonly string[],
): unknown {
  if (isApiError(err) && err.field) {
    const path = normalizeField(err.field);
    if (fields.includes(path)) {
      setFieldError(path, err.message);
      return null;
    }
  }
  return err;
}

export function AmountInput(props: TextInputProps) {
  return (
    <TextInput
      inputMode="decimal"
      autoComplete="off"
      leftSection={<span aria-hidden="true">$</span>}
      styles={{ input: { fontVariantNumeric: 'tabular-nums' } }}
      {...props}
    />
  );
}

/** The buttons at the foot of a dialog's form: Cancel (Esc) and the submit (Enter). */
export function DialogButtons({ onCancel, submit, pending, disabled }: { onCancel: () => void; submit: string; pending: boolean; disabled?: boolean }) {
  return (
    <Group justify="flex-end" mt="sm">
      <Button variant="default" onClick={onCancel}>Cancel</Button>
      <Button type="submit" loading={pending} disabled={disabled}>{submit}</Button>
    </Group>
  );
}

/** What a dialog shows once the action is done: the one result and a Done button. */
export function ResultPanel({ children, onDone }: { children: ReactNode; onDone: () => void }) {
  return (
    <Stack gap="sm" data-testid="action-result">
      {children}
      <Group justify="flex-end">
        <Button onClick={onDone} data-autofocus>Done</Button>
      </Group>
    </Stack>
  );
}
