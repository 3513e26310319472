import type { ReactNode } from 'react';

/**
 * A wide table's horizontal scroller that the keyboard can reach (focusable, named region), so
 * a narrow window still lets a keyboard user scroll it.
 */
export function ScrollRegion({ label, minWidth, children }: { label: string; minWidth: number; children: ReactNode }) {
  return (
    <div role="region" aria-label={label} tabIndex={0} style={{ overflowX: 'auto' }}>
      <div style={{ minWidth }}>{children}</div>
    </div>
  );
}
