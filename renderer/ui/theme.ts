/**
 * Light or dark: follows the system (prefers-color-scheme) until the user picks one,
 * which is remembered in this browser / app profile. The choice is the `data-theme`
 * attribute on <html>; styles.css keys its colour variables on it.
 */
export type Theme = 'light' | 'dark';

const storageKey = 'netweave.theme';

function stored(): Theme | null {
  try {
    const value = window.localStorage.getItem(storageKey);
    return value === 'light' || value === 'dark' ? value : null;
  } catch {
    return null;
  }
}

function systemTheme(): Theme {
  return window.matchMedia?.('(prefers-color-scheme: light)').matches ? 'light' : 'dark';
}

export function currentTheme(): Theme {
  return document.documentElement.dataset.theme === 'light' ? 'light' : 'dark';
}

function apply(theme: Theme): void {
  document.documentElement.dataset.theme = theme;
}

/** Applies the remembered or system theme and follows system changes while nothing is remembered. */
export function startTheme(): () => void {
  apply(stored() ?? systemTheme());
  const query = window.matchMedia?.('(prefers-color-scheme: light)');
  const onChange = () => {
    if (stored() === null) apply(systemTheme());
  };
  query?.addEventListener('change', onChange);
  return () => query?.removeEventListener('change', onChange);
}

/** Switches to the other theme and remembers it. */
export function toggleTheme(): Theme {
  const next: Theme = currentTheme() === 'light' ? 'dark' : 'light';
  apply(next);
  try {
    window.localStorage.setItem(storageKey, next);
  } catch {
    // Private windows may refuse storage: the switch still holds for this session.
  }
  return next;
}
