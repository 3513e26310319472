// The card terminal, as the sandbox gateway sees it. civicdesk never takes a card number: in
// production the terminal (or the gateway's hosted field) hands the number to the gateway and
// gives civicdesk a token. The API has no tokenising endpoint, so until a real terminal is
// wired in, this stands in for it with the sandbox gateway's test cards
// (src/cashiering/payment_gateway.h): the token holds the brand, the last four digits and the
// behaviour in letters — "tok_sbx_visa_1111_approve_abcdefghijkl" — never a card number.

export interface TestCard {
  value: string;
  label: string;
  brand: string;
  last4: string;
  behaviour: 'approve' | 'decline' | 'timeoutapproved' | 'timeoutdeclined';
}

export const TEST_CARDS: TestCard[] = [
  { value: 'visa-1111', label: 'Visa ending 1111 (approves)', brand: 'visa', last4: '1111', behaviour: 'approve' },
  { value: 'mastercard-4444', label: 'Mastercard ending 4444 (approves)', brand: 'mastercard', last4: '4444', behaviour: 'approve' },
  { value: 'amex-0005', label: 'Amex ending 0005 (approves)', brand: 'amex', last4: '0005', behaviour: 'approve' },
  { value: 'discover-1117', label: 'Discover ending 1117 (approves)', brand: 'discover', last4: '1117', behaviour: 'approve' },
  { value: 'visa-0002', label: 'Visa ending 0002 (declined by the issuer)', brand: 'visa', last4: '0002', behaviour: 'decline' },
  { value: 'visa-9995', label: 'Visa ending 9995 (no answer; later approved)', brand: 'visa', last4: '9995', behaviour: 'timeoutapproved' },
  { value: 'visa-0119', label: 'Visa ending 0119 (no answer; later declined)', brand: 'visa', last4: '0119', behaviour: 'timeoutdeclined' },
];

function randomLetters(n: number): string {
  const bytes = new Uint8Array(n);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => String.fromCharCode(97 + (b % 26))).join('');
}

/** What the terminal hands over after the customer taps or inserts the card. */
export function readCard(cardValue: string): { token: string; brand: string; last4: string } | undefined {
  const c = TEST_CARDS.find((x) => x.value === cardValue);
  if (!c) return undefined;
  return { token: `tok_sbx_${c.brand}_${c.last4}_${c.behaviour}_${randomLetters(12)}`, brand: c.brand, last4: c.last4 };
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
