import type { Address, Party, PartyFlag } from '../api/types';

export function formatAddress(a: Address): string {
  const street = [a.line1, a.line2].filter(Boolean).join(', ');
  const cityLine = [a.city, [a.state, a.postal_code].filter(Boolean).join(' ')].filter(Boolean).join(', ');
  return [street, cityLine].filter(Boolean).join(', ');
}

export function primaryAddress(p: Party): Address | undefined {
  return p.addresses.find((a) => a.kind === 'mailing') ?? p.addresses[0];
}

export function flagLabel(f: PartyFlag): string {
  return String(f).replace(/[_-]/g, ' ');
}

export const LANGUAGES: { value: string; label: string }[] = [
  { value: 'en', label: 'English' },
  { value: 'es', label: 'Spanish' },
  { value: 'zh', label: 'Chinese' },
  { value: 'vi', label: 'Vietnamese' },
  { value: 'tl', label: 'Tagalog' },
  { value: 'ko', label: 'Korean' },
  { value: 'ru', label: 'Russian' },
  { value: 'ar', label: 'Arabic' },
  { value: 'hmn', label: 'Hmong' },
  { value: 'pa', label: 'Punjabi' },
];

export function languageLabel(code: string): string {
  return LANGUAGES.find((l) => l.value === code)?.label ?? code;
}

export const CONTACT_PREFS = [
  { value: 'email', label: 'Email' },
  { value: 'phone', label: 'Phone call' },
  { value: 'sms', label: 'Text message' },
  { value: 'mail', label: 'Mail' },
];

export function contactPrefLabel(v: string): string {
  return CONTACT_PREFS.find((c) => c.value === v)?.label ?? v;
}
