/** The header's light/dark switch. */
import { useThemeStore } from './themeStore';

export function ThemeToggle() {
  const theme = useThemeStore((state) => state.theme);
  const choice = useThemeStore((state) => state.choice);
  const toggle = useThemeStore((state) => state.toggle);
  const next = theme === 'dark' ? 'light' : 'dark';
  return (
    <button
      type="button"
      className="quiet theme-toggle"
      data-testid="theme-toggle"
      data-theme-now={theme}
      aria-label={`Switch to the ${next} theme`}
      title={`Switch to the ${next} theme${choice ? '' : ' (now following the system)'}`}
      onClick={toggle}
    >
      {theme === 'dark' ? '☀' : '☾'}
    </button>
  );
}
