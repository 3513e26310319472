// The counter's keyboard shortcuts, listed in the ? help (components/ShortcutHelp.tsx).
export const COUNTER_SHORTCUTS: [string[], string][] = [
  [['F2'], 'Counter: find a customer (also Alt+S)'],
  [['Alt+C', 'Alt+K', 'Alt+M', 'Alt+R', 'Alt+A'], 'Counter: add a cash, check, money order, card or ACH tender'],
  [['F9'], 'Counter: post the transaction (also Alt+P)'],
  [['F8'], 'Counter: next customer — clear the cart (also Alt+N)'],
  [['Alt+L'], 'Counter: close the drawer with a blind count'],
];
