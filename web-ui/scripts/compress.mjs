// Writes a .gz next to every text file of dist/ (the server sends it to browsers that accept gzip) and prints the
// gzipped size of the JavaScript, which has a budget of 250 KB.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const dist = new URL('../dist/', import.meta.url).pathname;
const BUDGET = 250 * 1024;

function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

let js = 0;
for (const file of walk(dist)) {
  if (!/\.(js|css|html|svg|json)$/.test(file)) continue;
  const gz = gzipSync(readFileSync(file), { level: 9 });
  writeFileSync(`${file}.gz`, gz);
  if (file.endsWith('.js')) js += gz.length;
}
console.log(`production JS gzipped: ${(js / 1024).toFixed(1)} KB (budget ${BUDGET / 1024} KB)`);
if (js > BUDGET) {
  console.error('production JS is over budget');
  process.exit(1);
}
