// The mail room's codes in plain words. The City's departments come from GET /city
// (api/queries.ts useDepartments).
import type { MailKind } from '../../api/mail';

export const MAIL_KINDS: { value: MailKind; label: string; dueDays?: number }[] = [
  { value: 'payment', label: 'Payment' },
  { value: 'correspondence', label: 'Correspondence', dueDays: 10 },
  { value: 'dispute', label: 'Dispute', dueDays: 5 },
  { value: 'application', label: 'Application', dueDays: 10 },
  { value: 'returned_mail', label: 'Returned mail', dueDays: 5 },
];

export function mailKindLabel(kind: string): string {
  return MAIL_KINDS.find((k) => k.value === kind)?.label ?? kind.replace(/_/g, ' ');
}

export const EXCEPTION_REASONS: Record<string, { label: string; help: string }> = {
  unknown_account: { label: 'Unknown account', help: 'No bill carries this account number.' },
  no_stub: { label: 'No stub', help: 'The check came without a bill stub.' },
  amount_mismatch: { label: 'Amount mismatch', help: 'The check does not pay exactly the amount due on the stub.' },
  bad_check_digit: { label: 'Bad check digit', help: 'The scanline’s check digit does not match: a misread or a typing error.' },
  unreadable_scanline: { label: 'Unreadable scanline', help: 'The bank could not read the stub’s line.' },
  refused: { label: 'Refused by the ledger', help: 'The ledger refused the payment.' },
};

export function reasonLabel(reason: string | null | undefined): string {
  if (!reason) return '';
  return EXCEPTION_REASONS[reason]?.label ?? reason.replace(/_/g, ' ');
}

export const ITEM_STATUS: Record<string, { label: string; color: string }> = {
  ready: { label: 'Ready', color: 'blue' },
  exception: { label: 'Exception', color: 'orange' },
  posted: { label: 'Posted', color: 'green' },
  returned: { label: 'Returned to sender', color: 'gray' },
  removed: { label: 'Removed', color: 'gray' },
};

export const BATCH_STATUS: Record<string, { label: string; color: string }> = {
  open: { label: 'Open', color: 'blue' },
  posting: { label: 'Posting', color: 'yellow' },
  posted: { label: 'Posted', color: 'green' },
};

export const EXCEPTION_STATUS: Record<string, { label: string; color: string }> = {
  open: { label: 'Open', color: 'orange' },
  accepted: { label: 'Accepted', color: 'green' },
  assigned: { label: 'Assigned', color: 'green' },
  rejected: { label: 'Rejected', color: 'gray' },
};

export const ENTRY_METHOD: Record<string, string> = {
  scanned: 'Scanned',
  keyed: 'Keyed',
  none: 'No stub',
  lockbox: 'Lockbox',
};
