// The pages of the dashboard: a new page is one entry here (path prefix, nav label, component).
import type { ComponentType } from 'react';
import { LogsPage } from './pages/logs/LogsPage';
import { MetricsPage } from './pages/metrics/MetricsPage';
import { ResourcesPage } from './pages/resources/ResourcesPage';
import { TracesPage } from './pages/traces/TracesPage';

export interface PageRoute {
  /** First path segment, e.g. "/traces" (also matches "/traces/<id>"). */
  path: string;
  label: string;
  /** Keyboard shortcut: `g` then this key. */
  key: string;
  component: ComponentType;
}

export const ROUTES: PageRoute[] = [
  { path: '/metrics', label: 'Metrics', key: 'm', component: MetricsPage },
  { path: '/traces', label: 'Traces', key: 't', component: TracesPage },
  { path: '/logs', label: 'Logs', key: 'l', component: LogsPage },
  { path: '/resources', label: 'Resources', key: 'k', component: ResourcesPage },
];

/** The route of a path; "/" and unknown paths give null. */
export function matchRoute(path: string): PageRoute | null {
  return ROUTES.find((r) => path === r.path || path.startsWith(`${r.path}/`)) ?? null;
}
