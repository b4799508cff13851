// The dashboard shell: navigation from the route table, time controls, theme switch and keyboard shortcuts.
import { useEffect, useState } from 'react';
import { TimeControls } from './components/TimeControls';
import { refreshNow } from './lib/hooks';
import { followLink, pageHref } from './lib/links';
import { navigate, useLocation } from './lib/url';
import { matchRoute, ROUTES } from './routes';

type Theme = 'auto' | 'light' | 'dark';

function readTheme(): Theme {
  const t = document.documentElement.dataset.theme;
  return t === 'light' || t === 'dark' ? t : 'auto';
}

function applyTheme(theme: Theme) {
  if (theme === 'auto') delete document.documentElement.dataset.theme;
  else document.documentElement.dataset.theme = theme;
  try {
    if (theme === 'auto') localStorage.removeItem('theme');
    else localStorage.setItem('theme', theme);
  } catch {
    // Storage can be disabled; the theme then lasts for this page only.
  }
}

function isTyping(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  return !!el && (el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName));
}

export function App() {
  const { path, params } = useLocation();
  const route = matchRoute(path);
  const [theme, setTheme] = useState<Theme>(readTheme);
  const [showHelp, setShowHelp] = useState(false);

  useEffect(() => {
    if (path === '/' || path === '/index.html') navigate(pageHref('/metrics', params), true);
  }, [path, params]);

  useEffect(() => {
    let pendingG = false;
    const onKey = (e: KeyboardEvent) => {
      if (e.metaKey || e.ctrlKey || e.altKey) return;
      if (e.key === 'Escape') setShowHelp(false);
      if (isTyping(e.target)) return;
      if (pendingG) {
        pendingG = false;
        const r = ROUTES.find((x) => x.key === e.key);
        if (r) navigate(pageHref(r.path, new URLSearchParams(window.location.search)));
        return;
      }
      if (e.key === 'g') pendingG = true;
      else if (e.key === 'r') refreshNow();
      else if (e.key === '?') setShowHelp((s) => !s);
      else if (e.key === '/') {
        const search = document.querySelector<HTMLInputElement>('main input[type="search"], main input');
        if (search) {
          e.preventDefault();
          search.focus();
        }
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const cycleTheme = () => {
    const next: Theme = theme === 'auto' ? 'light' : theme === 'light' ? 'dark' : 'auto';
    applyTheme(next);
    setTheme(next);
  };
  const Page = route?.component;

  return (
    <div className="app">
      <a className="skip-link" href="#main">Skip to content</a>
      <header className="top-bar">
        <span className="brand">◭ Kube Telemetry</span>
        <nav aria-label="Pages">
          {ROUTES.map((r) => (
            <a key={r.path} href={pageHref(r.path, params)} onClick={followLink}
              aria-current={route === r ? 'page' : undefined} title={`${r.label} (g ${r.key})`}>
              {r.label}
            </a>
          ))}
        </nav>
        <span className="spacer" />
        <TimeControls onRefresh={refreshNow} />
        <button type="button" onClick={cycleTheme} title="Theme: auto, light, dark" aria-label={`Theme: ${theme}`}
          data-testid="theme">
          {theme === 'dark' ? '☾' : theme === 'light' ? '☀' : '◐'}
        </button>
        <button type="button" onClick={() => setShowHelp((s) => !s)} aria-label="Keyboard shortcuts" title="Keyboard shortcuts (?)">?</button>
      </header>
      {showHelp && (
        <div className="help" role="dialog" aria-label="Keyboard shortcuts">
          <strong>Keyboard</strong>
          <ul>
            {ROUTES.map((r) => <li key={r.key}><kbd>g</kbd> <kbd>{r.key}</kbd> {r.label}</li>)}
            <li><kbd>/</kbd> focus the search</li>
            <li><kbd>r</kbd> refresh</li>
            <li><kbd>↑</kbd> <kbd>↓</kbd> move in the trace waterfall, <kbd>Enter</kbd> open</li>
            <li><kbd>?</kbd> this help, <kbd>Esc</kbd> close</li>
          </ul>
        </div>
      )}
      <main id="main">
        {Page ? <Page /> : path !== '/' && (
          <div className="state state-empty">No page at {path}. Pick one above.</div>
        )}
      </main>
    </div>
  );
}
