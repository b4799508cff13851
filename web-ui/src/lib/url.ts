// View state in the URL: the path names the page, query parameters hold the view, so every view is a shareable
// link. A tiny store over the History API that React components read with useLocation().
import { useSyncExternalStore } from 'react';

type Listener = () => void;
const listeners = new Set<Listener>();
const NAVIGATE_EVENT = 'telemetry:navigate';

function notify(): void {
  for (const l of listeners) l();
}

if (typeof window !== 'undefined') {
  window.addEventListener('popstate', notify);
  window.addEventListener(NAVIGATE_EVENT, notify);
}

function subscribe(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function snapshot(): string {
  return window.location.pathname + window.location.search;
}

export interface Location {
  path: string;
  params: URLSearchParams;
}

/** Splits "/traces/abc?x=1" into its path and parameters. */
export function parseLocation(href: string): Location {
  const q = href.indexOf('?');
  const path = q < 0 ? href : href.slice(0, q);
  return { path: path || '/', params: new URLSearchParams(q < 0 ? '' : href.slice(q + 1)) };
}

/**
 * Applies changes to parameters: a string sets a key, an array sets it repeated, null or an empty array removes it.
 * Keys keep their order, so links stay stable.
 */
export function withParams(
  params: URLSearchParams,
  changes: Record<string, string | string[] | null | undefined>,
): URLSearchParams {
  const next = new URLSearchParams(params);
  for (const [key, value] of Object.entries(changes)) {
    if (value === undefined) continue;
    next.delete(key);
    if (value === null) continue;
    if (Array.isArray(value)) value.forEach((v) => next.append(key, v));
    else if (value !== '') next.set(key, value);
  }
  return next;
}

/** Path plus query string. */
export function buildHref(path: string, params: URLSearchParams): string {
  const query = params.toString();
  return query ? `${path}?${query}` : path;
}

/** Goes to a path and parameters; `replace` rewrites the current history entry (typing, auto-refresh). */
export function navigate(href: string, replace = false): void {
  if (href === snapshot()) return;
  if (replace) window.history.replaceState(null, '', href);
  else window.history.pushState(null, '', href);
  window.dispatchEvent(new Event(NAVIGATE_EVENT));
}

/** The current location; re-renders on every navigation. */
export function useLocation(): Location {
  const href = useSyncExternalStore(subscribe, snapshot, () => '/');
  return parseLocation(href);
}

/** Updates parameters of the current page. */
export function setParams(changes: Record<string, string | string[] | null | undefined>, replace = false): void {
  const { path, params } = parseLocation(snapshot());
  navigate(buildHref(path, withParams(params, changes)), replace);
}
