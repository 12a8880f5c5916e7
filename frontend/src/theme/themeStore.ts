/** The theme of every page: `data-theme` on <html> selects the CSS custom properties, and
 * the canvases pass it to React Flow's colorMode. Remembered per browser in localStorage. */
import { create } from 'zustand';
import { resolveTheme, storedChoice, type Theme, THEME_KEY, toggledChoice } from './theme';

const darkQuery = () => window.matchMedia('(prefers-color-scheme: dark)');

function systemTheme(): Theme {
  return darkQuery().matches ? 'dark' : 'light';
}

function readChoice(): Theme | null {
  try {
    return storedChoice(window.localStorage.getItem(THEME_KEY));
  } catch {
    return null; // storage may be off: follow the system
  }
}

function remember(choice: Theme | null): void {
  try {
    if (choice) window.localStorage.setItem(THEME_KEY, choice);
    else window.localStorage.removeItem(THEME_KEY);
  } catch {
    // the choice lasts this page only
  }
}

function show(theme: Theme): void {
  document.documentElement.dataset.theme = theme;
  document.documentElement.style.colorScheme = theme;
}

interface ThemeState {
  theme: Theme;
  /** What the person chose for this browser; null follows the system. */
  choice: Theme | null;
  toggle: () => void;
}

export const useThemeStore = create<ThemeState>()((set, get) => ({
  theme: 'light',
  choice: null,
  toggle: () => {
    const choice = toggledChoice(get().theme, systemTheme());
    remember(choice);
    const theme = resolveTheme(choice, systemTheme());
    show(theme);
    set({ choice, theme });
  },
}));

/** Applies the remembered theme and follows the system while nothing is chosen. Call once at start. */
export function startTheme(): void {
  const update = () => {
    const choice = readChoice();
    const theme = resolveTheme(choice, systemTheme());
    show(theme);
    useThemeStore.setState({ choice, theme });
  };
  update();
  darkQuery().addEventListener('change', update);
  window.addEventListener('storage', (event) => event.key === THEME_KEY && update());
}
