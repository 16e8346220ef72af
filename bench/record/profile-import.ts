// Profiling aid: imports the first N commits of a bundle into an in-memory database (run with --cpu-prof).
import path from 'node:path';
import os from 'node:os';
import { openDb } from '../../src/store/db.ts';
import { migrate } from '../../src/store/migrate.ts';
import { importOta } from '../../src/importer/ota.ts';
import { loadCatalog } from '../../src/catalog/index.ts';

const [bundle = '../shared/corpus/ota/pga-versions.bundle', limit = '1000'] = process.argv.slice(2);
const db = await openDb({ url: '', dataDir: 'memory' });
await migrate(db);
const s = await importOta(db, { source: path.resolve(bundle), cacheDir: path.join(os.tmpdir(), 'clausewatch-test-ota-cache'), catalog: loadCatalog('declarations'), limit: Number(limit) });
console.log(s.seconds, 's', s.outcomes);
await db.close();
