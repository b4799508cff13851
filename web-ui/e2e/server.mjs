// Starts the real server jar with --demo on a free port and a temporary data directory, and stops it again.
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(new URL('../..', import.meta.url).pathname);

/** A port nobody listens on right now. */
export function freePort() {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => ok(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Thrown by a waitFor probe to stop waiting at once (e.g. the server died). */
export class GiveUp extends Error {}

/** JAVA_HOME's java, else a Temurin 25 under /usr/lib/jvm (as the Makefile finds it), else java on the PATH. */
function javaBinary() {
  if (process.env.JAVA_HOME) return join(process.env.JAVA_HOME, 'bin/java');
  const jvm = '/usr/lib/jvm';
  const temurin = existsSync(jvm) ? readdirSync(jvm).filter((d) => d.startsWith('temurin-25')).sort()[0] : undefined;
  return temurin ? join(jvm, temurin, 'bin/java') : 'java';
}

/** Polls `probe` every 250 ms until it returns a truthy value or `timeoutMs` passes; throws `what` on timeout. */
export async function waitFor(what, timeoutMs, probe) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value) return value;
    } catch (e) {
      if (e instanceof GiveUp) throw e;
      last = e;
    }
    await sleep(250);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${last.message}` : ''}`);
}

export async function startServer() {
  const jar = process.env.SERVER_JAR ?? join(ROOT, 'server/target/server-0.1.0-SNAPSHOT-all.jar');
  if (!existsSync(jar)) throw new Error(`server jar not found at ${jar}: build it with \`make build\``);
  const java = javaBinary();
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'telemetry-e2e-'));
  const logFile = join(dataDir, 'server.log');
  const log = createWriteStream(logFile);
  const child = spawn(java, ['--sun-misc-unsafe-memory-access=allow', '--enable-native-access=ALL-UNNAMED',
    '-Xmx1g', '-jar', jar, '--demo'], {
    env: {
      ...process.env,
      TELEMETRY_SERVER_HOST: '127.0.0.1',
      TELEMETRY_SERVER_PORT: String(port),
      TELEMETRY_SERVER_OTLP_GRPC_PORT: '-1',
      TELEMETRY_SERVER_OTLP_HTTP_PORT: '-1',
      TELEMETRY_STORAGE_URL: `embedded:${join(dataDir, 'data')}`,
      TELEMETRY_SERVER_WEB_UI_DIRECTORY: process.env.WEB_UI_DIST ?? join(ROOT, 'web-ui/dist'),
      TELEMETRY_SERVER_LOG_FORMAT: 'text',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  let exited = null;
  child.on('exit', (code, signal) => { exited = { code, signal }; });

  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (exited) return;
    child.kill('SIGTERM');
    const deadline = Date.now() + 15_000;
    while (!exited && Date.now() < deadline) await sleep(100);
    if (!exited) child.kill('SIGKILL');
    while (!exited) await sleep(50);
  };
  const cleanup = () => {
    try { rmSync(dataDir, { recursive: true, force: true }); } catch { /* best effort */ }
  };
  process.on('exit', () => { if (!exited) child.kill('SIGKILL'); });
  try {
    await waitFor('the server to be ready (/readyz)', 90_000, async () => {
      if (exited) throw new GiveUp(`server exited (${JSON.stringify(exited)}); see ${logFile}`);
      const r = await fetch(`${url}/readyz`);
      return r.ok;
    });
  } catch (e) {
    await stop();
    log.end();
    await sleep(100);
    const tail = readFileSync(logFile, 'utf8').split('\n').slice(-15).join('\n');
    cleanup();
    throw new Error(`${e.message}\n--- server log (last lines) ---\n${tail}`);
  }
  return { url, port, logFile, stop, cleanup };
}

/** Calls a unary method with a JSON body (the server accepts unframed JSON POSTs). */
export async function callJson(url, method, body) {
  const r = await fetch(`${url}/${method}`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
  });
  if (!r.ok) throw new Error(`${method}: HTTP ${r.status} ${await r.text()}`);
  return r.json();
}
