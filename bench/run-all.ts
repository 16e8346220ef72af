// Runs every benchmark in turn, each in its own process so one's memory never skews another's.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const files: string[] = [];
for (const dir of readdirSync(here).sort()) {
  const full = path.join(here, dir);
  if (!statSync(full).isDirectory()) continue;
  for (const f of readdirSync(full).sort()) if (f.endsWith('.bench.ts') && (!only.length || only.some((o) => f.includes(o) || dir === o))) files.push(path.join(full, f));
}
let failed = 0;
for (const f of files) {
  console.log(`\n=== ${path.relative(here, f)}`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', f], { stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
process.exitCode = failed ? 1 : 0;
