// Summarises a V8 CPU profile (node --cpu-prof): self time by function, and inclusive time by package.
// Usage: node bench/cpuprofile-top.mjs <file.cpuprofile> [rows]
import { readFileSync } from 'node:fs';

const [file, rowsArg] = process.argv.slice(2);
if (!file) {
  console.error('usage: node bench/cpuprofile-top.mjs <file.cpuprofile> [rows]');
  process.exit(2);
}
const rows = Number(rowsArg ?? 25);
const profile = JSON.parse(readFileSync(file, 'utf8'));
const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
const parent = new Map();
for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);

const self = new Map();
let total = 0;
profile.samples.forEach((id, i) => {
  const delta = profile.timeDeltas[i] ?? 0;
  self.set(id, (self.get(id) ?? 0) + delta);
  total += delta;
});

const label = (node) => {
  const url = node.callFrame.url.replace(/.*node_modules\//, '').replace(/.*\/(dist|src)\//, '$1/');
  return `${node.callFrame.functionName || '(anonymous)'} ${url}:${node.callFrame.lineNumber}`;
};
const bySelf = new Map();
const byPackage = new Map();
for (const [id, time] of self) {
  const node = nodes.get(id);
  bySelf.set(label(node), (bySelf.get(label(node)) ?? 0) + time);
  const seen = new Set();
  for (let current = id; current !== undefined; current = parent.get(current)) {
    const url = nodes.get(current).callFrame.url;
    const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
    const key = match ? match[1] : url.includes('/dist/') ? '(this service)' : undefined;
    if (key && !seen.has(key)) {
      seen.add(key);
      byPackage.set(key, (byPackage.get(key) ?? 0) + time);
    }
  }
}
const percent = (time) => `${((time / total) * 100).toFixed(1).padStart(5)}%`;
console.log(`sampled ${Math.round(total / 1000)} ms`);
console.log('self time:');
for (const [key, time] of [...bySelf].sort((a, b) => b[1] - a[1]).slice(0, rows)) console.log(`  ${percent(time)}  ${key}`);
console.log('inclusive, by package:');
for (const [key, time] of [...byPackage].sort((a, b) => b[1] - a[1]).slice(0, rows)) console.log(`  ${percent(time)}  ${key}`);
