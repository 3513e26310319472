// The installments of a payment plan as the server splits them (src/citations/indigent_plan.cc
// split_installments): every installment within one cent of the others, the extra cents on the
// last ones, so none exceeds ceil(total / months), the amount checked against the monthly cap.

export function splitCents(total: bigint, months: number): bigint[] {
  const n = BigInt(months);
  const base = total / n;
  const remainder = Number(total % n);
  return Array.from({ length: months }, (_, i) => (i >= months - remainder ? base + 1n : base));
}
