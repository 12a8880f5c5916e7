/** Light or dark: the person's choice for this browser, else the system's preference. Pure, so it is tested. */
export type Theme = 'light' | 'dark';

export const THEME_KEY = 'trellis.theme';

export function storedChoice(value: string | null): Theme | null {
  return value === 'light' || value === 'dark' ? value : null;
}

export function resolveTheme(choice: Theme | null, system: Theme): Theme {
  return choice ?? system;
}

/** The choice after a toggle: the other theme, or none when that is what the system prefers anyway,
 * so toggling back to the system's theme means following the system again. */
export function toggledChoice(current: Theme, system: Theme): Theme | null {
  const next: Theme = current === 'dark' ? 'light' : 'dark';
  return next === system ? null : next;
}
