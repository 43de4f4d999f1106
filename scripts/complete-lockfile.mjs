// The npm mirror this project is built against serves only some platforms' optional binaries
// (e.g. @swc/core-linux-x64-gnu but not @swc/core-darwin-arm64). `npm install` then leaves the
// others out of package-lock.json and `npm ci` refuses the lock as out of sync. This adds the
// missing optional platform packages back as entries that npm skips on other platforms.
// Run after `npm install` changes the lock: node scripts/complete-lockfile.mjs
import { readFileSync, writeFileSync } from 'node:fs';

const lockPath = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(lockPath, 'utf8'));
const packages = lock.packages;

function platformOf(name) {
  const suffix = name.split('/').pop();
  const match =
    /-(android|darwin|freebsd|linux|openharmony|win32)-(arm64|x64|ia32|arm|ppc64|s390x|riscv64|loong64)(?:-(gnueabihf|musleabihf|gnu|musl|msvc|eabi))?$/.exec(
      suffix,
    );
  if (!match) return undefined;
  const [, os, cpu, abi] = match;
  const entry = { os: [os], cpu: [cpu] };
  if (abi && /gnu/.test(abi)) entry.libc = ['glibc'];
  if (abi && /musl/.test(abi)) entry.libc = ['musl'];
  return entry;
}

let added = 0;
for (const [path, meta] of Object.entries(packages)) {
  for (const [dep, range] of Object.entries(meta.optionalDependencies ?? {})) {
    const base = path ? `${path}/node_modules/${dep}` : `node_modules/${dep}`;
    const hoisted = `node_modules/${dep}`;
    if (packages[base] || packages[hoisted]) continue;
    const platform = platformOf(dep);
    if (!platform) continue;
    packages[hoisted] = { version: range.replace(/^[\^~=]/, ''), ...platform, optional: true };
    added++;
  }
}
writeFileSync(lockPath, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`complete-lockfile: added ${added} optional platform entries`);
