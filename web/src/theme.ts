import { createTheme, type CSSVariablesResolver } from '@mantine/core';

// Darker shades than Mantine's defaults so text on filled and light variants meets WCAG AA (4.5:1).
export const theme = createTheme({
  primaryColor: 'blue',
  primaryShade: { light: 8, dark: 8 },
  fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
  fontFamilyMonospace: 'ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace',
  defaultRadius: 'sm',
  focusRing: 'auto',
  components: {
    Table: { defaultProps: { verticalSpacing: 4, horizontalSpacing: 'xs', fz: 'sm' } },
    Modal: { defaultProps: { closeButtonProps: { 'aria-label': 'Close dialog' } } },
    Drawer: { defaultProps: { closeButtonProps: { 'aria-label': 'Close' } } },
    Notification: { defaultProps: { closeButtonProps: { 'aria-label': 'Dismiss message' } } },
  },
});

export const cssResolver: CSSVariablesResolver = () => ({
  variables: {},
  light: {
    '--mantine-color-dimmed': '#555d66',
    '--mantine-color-placeholder': '#6b7280',
    '--mantine-color-blue-light-color': '#1559a0',
    '--mantine-color-red-light-color': '#a51d1d',
    '--mantine-color-green-light-color': '#1e6b2e',
    '--mantine-color-yellow-light-color': '#6e5000',
    '--mantine-color-orange-light-color': '#8a3c00',
    '--mantine-color-gray-light-color': '#343a40',
    '--mantine-color-grape-light-color': '#6b2a84',
    '--mantine-color-teal-light-color': '#0b5c4e',
    '--mantine-color-error': 'var(--mantine-color-red-9)',
  },
  dark: {},
});
