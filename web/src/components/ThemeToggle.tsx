import { useSyncExternalStore, type ReactNode } from 'react';
import { setTheme, subscribeTheme, themeSnapshot, type ThemeChoice } from '../lib/theme';

/**
 * System / Light / Dark: three radio buttons (arrow keys move between them, the checked one is
 * the state) shown as icons, named for screen readers by their label. Stored by lib/theme.ts.
 */
const OPTIONS: { value: ThemeChoice; label: string; icon: ReactNode }[] = [
  {
    value: 'system',
    label: 'System',
    icon: (
      <path
        d="M2.5 3h11a1 1 0 0 1 1 1v6.5a1 1 0 0 1-1 1h-4v1.5H11v1.5H5V13h1.5v-1.5h-4a1 1 0 0 1-1-1V4a1 1 0 0 1 1-1Zm.5 1.5V10h10V4.5z"
        fill="currentColor"
      />
    ),
  },
  {
    value: 'light',
    label: 'Light',
    icon: (
      <>
        <circle cx="8" cy="8" r="3" fill="currentColor" />
        <path
          d="M8 .75v2M8 13.25v2M.75 8h2M13.25 8h2M2.9 2.9l1.4 1.4M11.7 11.7l1.4 1.4M2.9 13.1l1.4-1.4M11.7 4.3l1.4-1.4"
          stroke="currentColor"
          strokeWidth="1.5"
          strokeLinecap="round"
        />
      </>
    ),
  },
  {
    value: 'dark',
    label: 'Dark',
    icon: <path d="M13.5 10.2A6 6 0 0 1 5.8 2.5a6 6 0 1 0 7.7 7.7Z" fill="currentColor" />,
  },
];

export function ThemeToggle() {
  const choice = useSyncExternalStore(subscribeTheme, themeSnapshot);
  return (
    <fieldset className="theme-toggle">
      <legend className="visually-hidden">Theme</legend>
      {OPTIONS.map((o) => (
        <label key={o.value} className="theme-option" title={`${o.label} theme`}>
          <input type="radio" name="collections-theme" value={o.value} checked={choice === o.value} onChange={() => setTheme(o.value)} />
          <span className="theme-option-face">
            <svg aria-hidden="true" width="16" height="16" viewBox="0 0 16 16">
              {o.icon}
            </svg>
            <span className="visually-hidden">{o.label}</span>
          </span>
        </label>
      ))}
    </fieldset>
  );
}
