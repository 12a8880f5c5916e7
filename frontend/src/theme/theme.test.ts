import { describe, expect, it } from 'vitest';
import { resolveTheme, storedChoice, toggledChoice } from './theme';

describe('themes', () => {
  it('follows the system until the person chooses', () => {
    expect(resolveTheme(null, 'dark')).toBe('dark');
    expect(resolveTheme('light', 'dark')).toBe('light');
  });

  it('reads only the two themes back from storage', () => {
    expect(storedChoice('dark')).toBe('dark');
    expect(storedChoice('purple')).toBeNull();
    expect(storedChoice(null)).toBeNull();
  });

  it('toggles to the other theme, and back to following the system', () => {
    expect(toggledChoice('light', 'light')).toBe('dark');
    expect(toggledChoice('dark', 'light')).toBeNull();
    expect(toggledChoice('dark', 'dark')).toBe('light');
  });
});
