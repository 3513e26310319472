// The card terminal, as the sandbox gateway sees it. civicdesk never keeps a card number: in
// production the terminal (or the gateway's hosted field) hands the number to the gateway and
// gives civicdesk a token. With the sandbox gateway (demo and tests) the server's
// POST /api/v1/counter/card-terminal plays the terminal: a test card number in, the token, brand
// and last four out (api/counter.ts cardTerminal). The numbers below are the gateway's public
// test cards (src/cashiering/payment_gateway.h), offered as a quick pick; any other Luhn-valid
// number approves.

export interface TestCard {
  value: string;
  label: string;
  /** A public sandbox test number, sent to the terminal route like a typed one. */
  number: string;
}

export const TEST_CARDS: TestCard[] = [
  { value: 'visa-1111', label: 'Visa ending 1111 (approves)', number: '4111111111111111' },
  { value: 'mastercard-4444', label: 'Mastercard ending 4444 (approves)', number: '5555555555554444' },
  { value: 'amex-0005', label: 'Amex ending 0005 (approves)', number: '378282246310005' },
  { value: 'discover-1117', label: 'Discover ending 1117 (approves)', number: '6011111111111117' },
  { value: 'visa-0002', label: 'Visa ending 0002 (declined by the issuer)', number: '4000000000000002' },
  { value: 'visa-9995', label: 'Visa ending 9995 (no answer; later approved)', number: '4000000000009995' },
  { value: 'visa-0119', label: 'Visa ending 0119 (no answer; later declined)', number: '4000000000000119' },
];

/**
 * The card number in what the terminal field received: typed digits (spaces and hyphens are left
 * for the server to drop), or a magnetic-stripe swipe from a keyboard-wedge reader — track 1
 * "%B4111…^NAME^…?" or track 2 ";4111…=…?" — of which only the number is kept.
 */
export function cardNumberFrom(raw: string): string {
  const s = raw.trim();
  const track1 = /^%B(\d{12,19})\^/.exec(s);
  if (track1) return track1[1];
  const track2 = /^;(\d{12,19})=/.exec(s);
  if (track2) return track2[1];
  return s;
}

export function brandName(brand: string | undefined): string {
  switch (brand) {
    case 'visa': return 'Visa';
    case 'mastercard': return 'Mastercard';
    case 'amex': return 'Amex';
    case 'discover': return 'Discover';
    default: return 'Card';
  }
}
