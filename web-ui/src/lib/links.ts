// Links between pages: they keep the shared time parameters and navigate without reloading.
import { buildHref, navigate } from './url';

/** Parameters that follow the user from page to page. */
export const SHARED_PARAMS = ['range', 'from', 'to', 'refresh'];

/** Link to another page keeping the shared time parameters. */
export function pageHref(path: string, params: URLSearchParams, extra: Record<string, string> = {}): string {
  const next = new URLSearchParams();
  for (const k of SHARED_PARAMS) for (const v of params.getAll(k)) next.append(k, v);
  for (const [k, v] of Object.entries(extra)) next.set(k, v);
  return buildHref(path, next);
}

/** Client-side navigation for an <a>, leaving modified clicks (new tab) to the browser. */
export function followLink(e: React.MouseEvent<HTMLAnchorElement>) {
  if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
  e.preventDefault();
  const url = new URL(e.currentTarget.href);
  navigate(url.pathname + url.search);
}
