import { notifications } from '@mantine/notifications';
import { isApiError } from '../api/client';

/** "addresses[0].postal_code" / "addresses.0.postal_code" / "/addresses/0/postal_code" → "addresses.0.postal_code" */
export function normalizeField(field: string): string {
  return field
    .replace(/^\//, '')
    .replace(/\//g, '.')
    .replace(/\[(\d+)\]/g, '.$1')
    .replace(/^\./, '');
}

/**
 * Show an API error where it belongs: next to the named field when the form has that field,
 * otherwise as a notification. Returns true when it was placed on a field.
 */
export function showApiError(
  err: unknown,
  setFieldError?: (path: string, message: string) => void,
  knownField?: (path: string) => boolean,
  title = 'Not saved',
): boolean {
  if (isApiError(err) && err.field && setFieldError) {
    const path = normalizeField(err.field);
    if (!knownField || knownField(path)) {
      setFieldError(path, err.message);
      return true;
    }
  }
  notifications.show({
    color: 'red',
    title,
    message: err instanceof Error ? err.message : String(err),
    autoClose: 8000,
  });
  return false;
}
