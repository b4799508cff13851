// End-to-end run: the real server with demo data, Debian's chromium driven by playwright-core. Checks every page
// shows real data, trace search -> waterfall, log line -> its trace, and that a bad filter shows the server's
// message; writes a screenshot per page and prints the JS size and time-to-first-chart budgets.
import { readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { callJson, startServer, waitFor } from './server.mjs';
import { resourcesChecks } from './resources.mjs';

const HERE = resolve(new URL('.', import.meta.url).pathname);
const DIST = resolve(HERE, '../dist');
const SHOTS = join(HERE, 'screenshots');
const JS_BUDGET_KB = 250;
const FIRST_CHART_BUDGET_MS = 1000;
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const COUNTER = 'http.server.request.count';
const GAUGE = 'k8s.pod.memory.working_set';

const results = [];
let failurePage = null;
async function check(name, fn) {
  const started = Date.now();
  try {
    await fn();
    results.push({ name, ok: true });
    console.log(`  ok   ${name} (${Date.now() - started} ms)`);
  } catch (e) {
    results.push({ name, ok: false });
    console.log(`  FAIL ${name}: ${e.message.split('\n')[0]}`);
    if (failurePage) {
      const shot = join(tmpdir(), `e2e-failure-${results.length}.png`);
      await failurePage.screenshot({ path: shot }).catch(() => {});
      console.log(`       page at failure: ${failurePage.url()} (screenshot ${shot})`);
    }
  }
}

function assert(cond, message) {
  if (!cond) throw new Error(message);
}

function jsGzipKb() {
  const assets = join(DIST, 'assets');
  const total = readdirSync(assets).filter((f) => f.endsWith('.js'))
    .reduce((sum, f) => sum + gzipSync(readFileSync(join(assets, f)), { level: 9 }).length, 0);
  return total / 1024;
}

/** A QueryRange series (proto3 JSON, which leaves out empty repeated fields) with a value > 0 outside its gaps. */
function hasPositiveValue(series) {
  const gaps = new Set(series.gaps ?? []);
  return (series.values ?? []).some((v, i) => !gaps.has(i) && v > 0);
}

/** Demo data is generated every second: wait until every signal answers with some. */
async function waitForDemoData(url) {
  const range = { relative: '15m' };
  await waitFor('demo metrics', 60_000, async () => {
    const r = await callJson(url, 'telemetry.v1.MetricsService/QueryRange',
      { timeRange: range, query: { metricName: COUNTER, aggregation: 'SERIES_AGGREGATION_SUM' } });
    return (r.series ?? []).some(hasPositiveValue);
  });
  await waitFor('demo traces', 60_000, async () =>
    ((await callJson(url, 'telemetry.v1.TracesService/SearchTraces', { timeRange: range })).traces ?? []).length > 0);
  await waitFor('demo logs with a trace', 60_000, async () =>
    ((await callJson(url, 'telemetry.v1.LogsService/SearchLogs', { timeRange: range })).records ?? [])
      .some((r) => r.traceId));
  // The demo starts by back-filling the last minutes as fast as it can; wait until it writes live data, so the
  // server is in its steady state for the timing and a live tail (which follows new records) has some to show.
  await waitFor('the demo to catch up with the clock', 300_000, async () => {
    const r = await callJson(url, 'telemetry.v1.LogsService/SearchLogs',
      { timeRange: { relative: '5m' }, page: { pageSize: 1 } });
    return Date.now() - Date.parse(r.records?.[0]?.timestamp ?? '') < 20_000;
  });
}

async function main() {
  const jsKb = jsGzipKb();
  console.log(`e2e: starting the server (demo data)`);
  const server = await startServer();
  let browser;
  let firstChartMs = Number.NaN;
  try {
    await waitForDemoData(server.url);
    console.log(`e2e: server ${server.url} ready with demo data; launching /usr/bin/chromium`);
    browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, colorScheme: 'light' });
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    failurePage = page;
    const pageErrors = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    const open = (path) => page.goto(`${server.url}${path}`);

    await check('metrics page charts real series', async () => {
      await open(`/metrics?metric=${COUNTER}&agg=sum&by=resource:service.name&range=15m`);
      await page.locator('[data-testid=metric-chart] canvas').first().waitFor();
      const rows = await page.locator('.data-table tbody tr').count();
      assert(rows > 0, 'no series rows under the chart');
      const info = await page.locator('[data-testid=query-info]').innerText();
      assert(/\d+ series/.test(info), `unexpected query info: ${info}`);
      const metrics = await page.locator('.pick-list li').count();
      assert(metrics > 3, `metric picker lists ${metrics} metrics`);
      await page.screenshot({ path: join(SHOTS, 'metrics.png') });
    });

    await check('time to first chart on the metrics page', async () => {
      // A gauge summed by service over the last 15 minutes. One warm-up load (JIT and first-query costs of a
      // fresh server are not what users see), then the median of 3 loads.
      const path = `/metrics?metric=${GAUGE}&agg=sum&by=resource:service.name&range=15m`;
      const times = [];
      for (let i = 0; i < 4; i++) {
        await open(path);
        await page.locator('[data-testid=metric-chart] canvas').first().waitFor();
        const ms = await page.waitForFunction(() => window.__firstChartMs).then((h) => h.jsonValue());
        if (i > 0) times.push(ms);
      }
      firstChartMs = times.sort((a, b) => a - b)[1];
      console.log(`       first chart after navigation: ${times.map((t) => t.toFixed(0)).join(', ')} ms`);
    });

    await check('metric picker search and a histogram quantile chart', async () => {
      await page.fill('[data-testid=metric-search]', 'request.duration');
      const items = page.locator('.pick-list li button');
      await waitFor('filtered metric list', 5000, async () => (await items.count()) === 1);
      await items.first().click();
      await page.waitForURL(/metric=http\.server\.request\.duration/);
      await page.locator('[data-testid=metric-chart] canvas').first().waitFor();
    });

    await check('dragging across the chart makes the selection the time range', async () => {
      const over = page.locator('[data-testid=metric-chart] .u-over').first();
      const box = await over.boundingBox();
      assert(box, 'chart has no plot area');
      await page.mouse.move(box.x + box.width * 0.3, box.y + box.height / 2);
      await page.mouse.down();
      await page.mouse.move(box.x + box.width * 0.6, box.y + box.height / 2, { steps: 5 });
      await page.mouse.up();
      await page.waitForURL(/[?&]from=\d+&to=\d+/);
      await page.locator('[data-testid=metric-chart] canvas').first().waitFor();
      const { from, to } = Object.fromEntries(new URL(page.url()).searchParams);
      assert(Number(to) - Number(from) > 0 && Number(to) - Number(from) < 15 * 60_000, `range ${from}..${to}`);
    });

    await check('an invalid filter shows the server\'s error message', async () => {
      await open(`/metrics?metric=${COUNTER}&m=${encodeURIComponent('http.route=~((')}`);
      const error = page.locator('[data-testid=error]');
      await error.first().waitFor();
      const text = await error.first().innerText();
      assert(/INVALID_ARGUMENT|InvalidArgument/i.test(text), `error box lacks the status: ${text}`);
      assert(/regular expression/i.test(text), `error box lacks the server's message: ${text}`);
      await page.screenshot({ path: join(SHOTS, 'error.png') });
    });

    let searchedTrace = '';
    await check('a trace found by search opens in the waterfall', async () => {
      await open('/traces?range=15m');
      const link = page.locator('[data-testid=trace-link]').first();
      await link.waitFor();
      await page.screenshot({ path: join(SHOTS, 'traces.png') });
      const href = await link.getAttribute('href');
      searchedTrace = /\/traces\/([0-9a-f]{32})/.exec(href)?.[1] ?? '';
      assert(searchedTrace, `trace link has no id: ${href}`);
      await link.click();
      await page.waitForURL(new RegExp(`/traces/${searchedTrace}`));
      await page.locator('[data-testid=waterfall] .wf-row').first().waitFor();
      const spans = await page.locator('[data-testid=waterfall] .wf-row').count();
      assert(spans > 0, 'empty waterfall');
      await page.locator('[data-testid=span-details]').waitFor();
      assert((await page.locator('[data-testid=trace-view] .mono').first().innerText()).includes(searchedTrace),
        'trace view shows another trace');
    });

    await check('an error trace highlights its failed spans', async () => {
      await open('/traces?range=15m&status=error');
      const link = page.locator('[data-testid=trace-link]').first();
      await link.waitFor();
      await link.click();
      await page.locator('.wf-row.error').first().waitFor();
      await page.locator('.wf-row.error').first().click();
      await page.locator('[data-testid=span-details] .status-error').first().waitFor();
      await page.screenshot({ path: join(SHOTS, 'trace.png'), fullPage: false });
    });

    await check('service graph shows services and calls', async () => {
      await open('/traces?range=15m&tab=graph');
      await page.locator('[data-testid=service-graph] .node').first().waitFor();
      const nodes = await page.locator('[data-testid=service-graph] .node').count();
      assert(nodes >= 3, `only ${nodes} nodes`);
      assert(await page.locator('[data-testid=service-graph] .edge').count() > 0, 'no edges');
      await page.screenshot({ path: join(SHOTS, 'service-graph.png') });
    });

    await check('logs page shows records with severities and a volume histogram', async () => {
      await open('/logs?range=15m');
      await page.locator('[data-testid=log-row]').first().waitFor();
      await page.locator('[data-testid=log-histogram] canvas').first().waitFor();
      assert(await page.locator('[data-testid=log-row] .sev').count() > 0, 'no severity badges');
      await page.screenshot({ path: join(SHOTS, 'logs.png') });
    });

    await check('a log line jumps to its trace', async () => {
      await open('/logs?range=15m');
      const link = page.locator('[data-testid=log-trace-link]').first();
      await link.waitFor();
      const href = await link.getAttribute('href');
      const [, traceId, spanId] = /\/traces\/([0-9a-f]{32})(?:\?.*span=([0-9a-f]{16}))?/.exec(href) ?? [];
      assert(traceId, `log trace link has no trace id: ${href}`);
      await link.click();
      await page.waitForURL(new RegExp(`/traces/${traceId}`));
      await page.locator('[data-testid=waterfall] .wf-row').first().waitFor();
      if (spanId) {
        const selected = await page.locator('.wf-row.selected').getAttribute('data-span-id');
        assert(selected === spanId, `selected span ${selected}, the log named ${spanId}`);
      }
    });

    await check('dark theme', async () => {
      await open(`/metrics?metric=k8s.pod.memory.working_set&agg=sum&by=resource:service.name&range=15m`);
      await page.locator('[data-testid=metric-chart] canvas').first().waitFor();
      await page.click('[data-testid=theme]');
      await page.click('[data-testid=theme]');
      const theme = await page.evaluate(() => document.documentElement.dataset.theme);
      assert(theme === 'dark', `theme is ${theme}`);
      await page.reload();
      await page.locator('[data-testid=metric-chart] canvas').first().waitFor();
      await page.screenshot({ path: join(SHOTS, 'metrics-dark.png') });
    });

    await check('live tail streams new records over gRPC-Web', async () => {
      await open('/logs?range=15m&live=1');
      await page.locator('[data-testid=live-view] [data-testid=log-row]').first().waitFor({ timeout: 20_000 });
    });

    await resourcesChecks({ url: server.url, page, open, check, assert, shots: SHOTS });

    await check('no uncaught errors in the page', async () => {
      assert(pageErrors.length === 0, pageErrors.join('; '));
    });
  } finally {
    if (browser) await browser.close().catch(() => {});
    await server.stop();
    server.cleanup();
  }

  const failed = results.filter((r) => !r.ok);
  console.log(`\ne2e: ${results.length - failed.length}/${results.length} checks passed`);
  console.log(`budget: production JS gzipped ${jsKb.toFixed(1)} KB (budget ${JS_BUDGET_KB} KB)`);
  console.log(`budget: metrics page first chart ${Number.isFinite(firstChartMs) ? firstChartMs.toFixed(0) : '?'} ms `
    + `after navigation (budget ${FIRST_CHART_BUDGET_MS} ms)`);
  // The size is deterministic and always enforced. Timing depends on the machine's load: over budget it is
  // reported, and fails the run only with E2E_STRICT_TIMING=1 (so a busy CI machine does not make it flaky).
  const sizeOver = jsKb > JS_BUDGET_KB;
  const timeOver = !(firstChartMs < FIRST_CHART_BUDGET_MS);
  if (sizeOver) console.log('budget: production JS is OVER BUDGET');
  if (timeOver) console.log('budget: time to first chart is OVER BUDGET');
  const strict = process.env.E2E_STRICT_TIMING === '1';
  process.exit(failed.length > 0 || sizeOver || (timeOver && strict) ? 1 : 0);
}

main().catch((e) => {
  console.error(`e2e: ${e.message}`);
  process.exit(1);
});
