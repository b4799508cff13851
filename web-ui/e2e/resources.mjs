// End-to-end checks of the resources page. The demo has no Kubernetes objects, so these push a namespace, a
// Deployment with two versions and three Pods with PutResources (JSON over HTTP), then drive the page; a last
// Pod pushed while the page follows changes has to appear without a reload.
import { join } from 'node:path';
import { callJson } from './server.mjs';

const iso = (msAgo) => new Date(Date.now() - msAgo).toISOString();

function object(apiVersion, kind, namespace, name, uid, rv, labels, extra = {}) {
  const metadata = { name, uid, resourceVersion: String(rv), labels, creationTimestamp: iso(20 * 60_000) };
  if (namespace) metadata.namespace = namespace;
  return JSON.stringify({ apiVersion, kind, metadata, ...extra });
}

function pod(name, rv, labels) {
  return object('v1', 'Pod', 'shop', name, `uid-${name}`, rv, labels, {
    spec: { nodeName: 'node-a', containers: [{ name: 'web', image: 'nginx:1.27', ports: [{ containerPort: 80 }] }] },
    status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] },
  });
}

/** The objects the checks expect, oldest change first. */
function pushedObjects() {
  const deployment = (rv, replicas, image, labels) => object('apps/v1', 'Deployment', 'shop', 'web', 'uid-deploy-web',
    rv, labels, { spec: { replicas, selector: { matchLabels: { app: 'web' } },
      template: { spec: { containers: [{ name: 'web', image }] } } } });
  return [
    { objectJson: object('v1', 'Namespace', '', 'shop', 'uid-ns-shop', 100, { team: 'payments' }),
      type: 'CHANGE_TYPE_ADDED', observedTime: iso(15 * 60_000) },
    { objectJson: deployment(101, 2, 'nginx:1.26', { app: 'web' }), type: 'CHANGE_TYPE_ADDED', observedTime: iso(10 * 60_000) },
    { objectJson: deployment(105, 3, 'nginx:1.27', { app: 'web', tier: 'front' }), type: 'CHANGE_TYPE_MODIFIED',
      observedTime: iso(5 * 60_000) },
    { objectJson: pod('web-1', 110, { app: 'web', tier: 'front' }), type: 'CHANGE_TYPE_ADDED', observedTime: iso(4 * 60_000) },
    { objectJson: pod('web-2', 111, { app: 'web', tier: 'front' }), type: 'CHANGE_TYPE_ADDED', observedTime: iso(4 * 60_000) },
    { objectJson: pod('api-1', 112, { app: 'api' }), type: 'CHANGE_TYPE_ADDED', observedTime: iso(3 * 60_000) },
  ];
}

/** Runs the resources checks with the run's `check` and `assert`, on its page and server. */
export async function resourcesChecks({ url, page, open, check, assert, shots }) {
  await check('PutResources stores pushed Kubernetes objects', async () => {
    const objects = pushedObjects();
    const r = await callJson(url, 'telemetry.v1.ResourcesService/PutResources', { resources: objects });
    assert(Number(r.accepted) === objects.length && !Number(r.rejected ?? 0),
      `accepted ${r.accepted}, rejected ${r.rejected}: ${r.rejectionMessage ?? ''}`);
  });

  await check('resources page lists kinds with counts and the objects of a kind', async () => {
    await open('/resources?kind=Pod');
    await page.locator('[data-testid=kind]', { hasText: 'Deployment' }).waitFor();
    const podKind = await page.locator('[data-testid=kind]', { hasText: 'Pod' }).innerText();
    assert(/Pod\s+3/.test(podKind), `Pod kind entry: ${podKind}`);
    await page.locator('[data-testid=resource-row]').nth(2).waitFor();
    assert(await page.locator('[data-testid=resource-row]').count() === 3, 'expected 3 Pods');
  });

  await check('a label selector narrows the objects', async () => {
    await page.fill('[data-testid=label-selector]', 'app=web,tier in (front)');
    await page.click('[data-testid=resource-search]');
    await page.waitForURL(/sel=/);
    const rows = page.locator('[data-testid=resource-row]');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=resource-row]').length === 2);
    const text = await rows.allInnerTexts();
    assert(text.every((t) => t.includes('web-')), `rows: ${text.join(' | ')}`);
  });

  await check('an object opens as YAML with links to its telemetry', async () => {
    await open('/resources?kind=Deployment&group=apps');
    await page.locator('[data-testid=resource-row]', { hasText: 'web' }).first().click();
    await page.waitForURL(/obj=shop%2Fweb/);
    const yaml = page.locator('[data-testid=resource-yaml]');
    await yaml.waitFor();
    const text = await yaml.innerText();
    assert(/^kind: Deployment$/m.test(text) && /replicas: 3/.test(text) && /image: nginx:1\.27/.test(text),
      `YAML: ${text.slice(0, 300)}`);
    const logs = page.locator('[data-testid=related-logs]');
    await logs.waitFor();
    const href = await logs.getAttribute('href');
    assert(/^\/logs\?/.test(href) && /[?&]m=resource%3Ak8s\./.test(href), `logs link: ${href}`);
  });

  await check('the history tab shows versions with their changes as a diff', async () => {
    await page.click('[data-testid=history-tab]');
    await page.waitForURL(/tab=history/);
    await page.locator('[data-testid=history-version]').nth(1).waitFor();
    assert(await page.locator('[data-testid=history-version]').count() === 2, 'expected 2 versions');
    const newest = await page.locator('[data-testid=history-version]').first().innerText();
    assert(/modified/.test(newest) && /spec\.replicas: 2 → 3/.test(newest) && /metadata\.labels\.tier/.test(newest),
      `newest version: ${newest}`);
    await page.screenshot({ path: join(shots, 'resources.png') });
  });

  await check('the object as it was at an earlier time (GetResource as of)', async () => {
    await open(`/resources?kind=Deployment&group=apps&obj=shop%2Fweb&at=${Date.now() - 7.5 * 60_000}`);
    const yaml = page.locator('[data-testid=resource-yaml]');
    await yaml.waitFor();
    const text = await yaml.innerText();
    assert(/replicas: 2/.test(text) && /image: nginx:1\.26/.test(text), `YAML as of: ${text.slice(0, 300)}`);
  });

  await check('a related-telemetry link opens the logs page filtered to the object', async () => {
    await open('/resources?kind=Deployment&group=apps&obj=shop%2Fweb');
    await page.click('[data-testid=related-logs]');
    await page.waitForURL(/\/logs\?.*m=resource/);
    await page.locator('[data-testid=log-form]').waitFor();
  });

  await check('a malformed label selector shows the server\'s message', async () => {
    await open(`/resources?kind=Pod&sel=${encodeURIComponent('app in (web')}`);
    const error = page.locator('[data-testid=error]');
    await error.first().waitFor();
    const text = await error.first().innerText();
    assert(/INVALID_ARGUMENT/.test(text) && /label_selector|selector/i.test(text), `error box: ${text}`);
  });

  await check('following changes (WatchResources over gRPC-Web) shows a new object without a reload', async () => {
    await open('/resources?kind=Pod&live=1');
    await page.locator('[data-testid=resource-row]').nth(2).waitFor();
    const r = await callJson(url, 'telemetry.v1.ResourcesService/PutResources', { resources: [
      { objectJson: pod('job-1', 120, { app: 'batch' }), type: 'CHANGE_TYPE_ADDED' }] });
    assert(Number(r.accepted) === 1, `accepted ${r.accepted}: ${r.rejectionMessage ?? ''}`);
    await page.locator('[data-testid=resource-row]', { hasText: 'job-1' }).waitFor();
  });
}
