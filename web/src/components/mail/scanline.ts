// The bill stub's scanline (docs/formats/scanline.md): 21 digits — a 10-digit account number, the
// amount due in cents (10 digits) and a Luhn check digit. The server is the judge; the screen
// reads the line only to offer the stub's amount as the check amount and to warn early.

/** Spaces, tabs, CR and LF are ignored, as the server does. */
export function scanlineDigits(s: string): string {
  return s.replace(/[ \t\r\n]/g, '');
}

/** Luhn check digit over the 20 digits of account and amount. */
export function luhnDigit(twenty: string): number {
  let sum = 0;
  for (let i = twenty.length - 1, dbl = true; i >= 0; i--, dbl = !dbl) {
    let d = twenty.charCodeAt(i) - 48;
    if (dbl) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return (10 - (sum % 10)) % 10;
}

export interface ParsedScanline {
  account: string; // without leading zeros
  amountDue: string; // decimal dollars, "42.50"
  checkDigitOk: boolean;
}

/** The parts of a well-formed line, or a plain-words problem ("" input → null, no problem). */
export function parseScanline(input: string): { ok: ParsedScanline } | { problem: string } | null {
  const s = scanlineDigits(input);
  if (!s) return null;
  const bad = s.search(/[^0-9]/);
  if (bad >= 0) return { problem: `“${s[bad]}” at position ${bad + 1} is not a digit — scan again` };
  if (s.length !== 21) return { problem: `${s.length} digits; a scanline has 21 — scan again` };
  const account = s.slice(0, 10).replace(/^0+/, '');
  if (!account) return { problem: 'account 0000000000 is not an account — scan again' };
  const cents = BigInt(s.slice(10, 20));
  const amountDue = `${cents / 100n}.${(cents % 100n).toString().padStart(2, '0')}`;
  return { ok: { account, amountDue, checkDigitOk: luhnDigit(s.slice(0, 20)) === Number(s[20]) } };
}

/** A scanline for account and amount (cents), printed in its three groups. */
export function makeScanline(account: number | string, cents: number | bigint): string {
  const a = String(account).padStart(10, '0');
  const m = String(cents).padStart(10, '0');
  return `${a} ${m} ${luhnDigit(a + m)}`;
}
