// The evidence commands through the real CLI: key, checkpoint (list, on demand, consistency),
// export-evidence, verify-evidence offline (valid, edited, truncated, wrong key, unreadable), cite,
// show with the log entry, provisions (bundle, citations, show), and verify catching a change made with SQL.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import os from 'node:os';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cli, CORPUS } from '../helpers/cli.ts';
import { createPostgresDatabase } from '../helpers/db.ts';
import { openDb } from '../../src/store/db.ts';
import { describeRecord } from '../../src/cli/commands/show.ts';

const DEMO = path.join(CORPUS, 'ota/demo-versions.bundle');

async function withStore<T>(env: { CLAUSEWATCH_DATA: string; DATABASE_URL: string }, fn: (db: Awaited<ReturnType<typeof openDb>>) => Promise<T>): Promise<T> {
  const db = await openDb(env.DATABASE_URL ? { url: env.DATABASE_URL } : { url: '', dataDir: env.CLAUSEWATCH_DATA });
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

for (const driver of ['pglite', 'postgres'] as const) {
  test(`${driver}: export a version, verify it offline, cite it, and catch a tampered store`, async () => {
    const data = mkdtempSync(path.join(os.tmpdir(), 'cw-evidence-cli-'));
    const pg = driver === 'postgres' ? await createPostgresDatabase() : undefined;
    // Analysis is another layer's concern and slow; the evidence needs only the imported versions.
    const env = { CLAUSEWATCH_DATA: data, DATABASE_URL: pg?.url ?? '', CLAUSEWATCH_ANALYSE: '0' };
    try {
      const imp = await cli(['import-ota', DEMO, '--json'], env);
      assert.equal(imp.code, 0, imp.stderr);
      assert.deepEqual(JSON.parse(imp.stdout).warnings, [], 'the import signed its checkpoint');

      const key = await cli(['key', '--json'], env);
      assert.equal(key.code, 0, key.stderr);
      const k = JSON.parse(key.stdout) as { verifierKey: string; publicKey: string; keyFile: string; origin: string };
      assert.equal(k.keyFile, path.join(data, 'keys', 'log-key.pem'), 'the key lives beside the data, not in the database');
      assert.equal(k.origin, 'clausewatch.local/log');
      assert.match(k.publicKey, /^-----BEGIN PUBLIC KEY-----/);

      const list = await cli(['checkpoint', '--list', '--json'], env);
      assert.equal(list.code, 0, list.stderr);
      const cps = JSON.parse(list.stdout).checkpoints as { id: number; size: number }[];
      assert.equal(cps.length, 1, 'one checkpoint after the import');

      const bundleFile = path.join(data, 'v2.json');
      const exp = await cli(['export-evidence', 'CW-V-000002', '--out', bundleFile], env);
      assert.equal(exp.code, 0, exp.stderr);
      assert.match(exp.stderr, /CW-V-000002 .* is leaf \d+ of checkpoint #1/);

      // Offline: no database, no data folder.
      const offline = { CLAUSEWATCH_DATA: path.join(data, 'nowhere'), DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' };
      const ok = await cli(['verify-evidence', bundleFile, '--key', k.verifierKey], offline);
      assert.equal(ok.code, 0, ok.stdout + ok.stderr);
      assert.match(ok.stdout, /VALID: CW-V-000002/);
      assert.match(ok.stdout, /ok {3}trusted-key/);
      const json = await cli(['verify-evidence', bundleFile, '--json'], offline);
      assert.equal(JSON.parse(json.stdout).ok, true);

      if (driver === 'pglite') {
        const bundle = JSON.parse(readFileSync(bundleFile, 'utf8')) as { content: { version: string } };
        const text = Buffer.from(bundle.content.version, 'base64').toString('utf8');
        const edited = path.join(data, 'edited.json');
        writeFileSync(edited, JSON.stringify({ ...bundle, content: { version: Buffer.from(text.replace(/e/, 'E')).toString('base64') } }));
        const bad = await cli(['verify-evidence', edited], offline);
        assert.equal(bad.code, 1, bad.stdout);
        assert.match(bad.stdout, /FAIL content\.version: fails because the SHA-256 of the \d+ version bytes/);
        assert.match(bad.stdout, /INVALID: 1 of \d+ checks fail/);

        const truncated = path.join(data, 'truncated.json');
        writeFileSync(truncated, readFileSync(bundleFile, 'utf8').slice(0, 500));
        const cut = await cli(['verify-evidence', truncated], offline);
        assert.equal(cut.code, 1);
        assert.match(cut.stdout, /FAIL bundle: fails because it is not valid JSON/);

        const other = generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }).toString();
        const otherFile = path.join(data, 'other.pem');
        writeFileSync(otherFile, other);
        const wrong = await cli(['verify-evidence', bundleFile, '--key', otherFile], offline);
        assert.equal(wrong.code, 1);
        assert.match(wrong.stdout, /FAIL trusted-key: fails because the bundle's key .* is not the trusted key/);

        assert.equal((await cli(['verify-evidence', path.join(data, 'missing.json')], offline)).code, 2, 'unreadable file');
        assert.equal((await cli(['verify-evidence', bundleFile, '--key', 'not a key'], offline)).code, 2, 'unusable --key');
        assert.equal((await cli(['export-evidence', 'CW-D-000001', '--out', path.join(data, 'x.json')], env)).code, 2, 'documents have no bundle');
        assert.equal((await cli(['export-evidence', 'CW-V-999999', '--out', path.join(data, 'x.json')], env)).code, 2, 'unknown record');

        const made = await cli(['checkpoint', '--json'], env);
        assert.equal(made.code, 0, made.stderr);
        assert.equal(JSON.parse(made.stdout).checkpoint.id, 2);
        const cons = await cli(['checkpoint', '--consistency', '1', 'latest'], env);
        assert.equal(cons.code, 0, cons.stdout + cons.stderr);
        assert.match(cons.stdout, /CONSISTENT: checkpoint #2/);
        assert.equal((await cli(['checkpoint', '--consistency', '1'], env)).code, 2);

        for (const [format, pattern] of [
          ['text', /Clausewatch record CW-V-000002, SHA-256 [0-9a-f]{64}\./],
          ['bluebook', /\(retrieved [A-Z][a-z]+\.? \d+, \d{4}; Clausewatch record CW-V-000002; SHA-256: [0-9a-f]{64}\)\.$/m],
          ['bibtex', /^@misc\{CW-V-000002,\n {2}author = \{\{/],
          ['ris', /^TY {2}- ELEC\r\n[\s\S]*AN {2}- CW-V-000002\r\n[\s\S]*ER {2}-\r\n$/],
          ['csl-json', /"id": "CW-V-000002"/],
        ] as const) {
          const c = await cli(['cite', 'CW-V-000002', '--format', format], env);
          assert.equal(c.code, 0, c.stderr);
          assert.match(c.stdout, pattern, `${format}: ${c.stdout}`);
        }
        assert.equal((await cli(['cite', 'CW-V-000002', '--format', 'mla'], env)).code, 2);
        assert.equal((await cli(['cite', 'CW-S-000001'], env)).code, 2);

        const show = await cli(['show', 'CW-V-000002', '--json'], env);
        assert.equal(show.code, 0, show.stderr);
        const log = JSON.parse(show.stdout).log as { leafIndex: number; inclusionProof: string[]; checkpoint: { id: number } };
        assert.equal(typeof log.leafIndex, 'number');
        assert.ok(log.inclusionProof.length > 0, 'show prints the inclusion proof');
        assert.equal(log.checkpoint.id, 2);

        // Provisions: analyse one small platform (Brevo, 3 versions), then bundle, verify, cite, show.
        const an = await cli(['analyse', 'brevo', '--json'], env);
        assert.equal(an.code, 0, an.stderr);
        const pid = await withStore(env, async (db) => {
          const r = (await db.query<{ id: number }>('SELECT p.id FROM provisions p JOIN documents d ON d.id = p.document_id JOIN platforms pl ON pl.id = d.platform_id WHERE pl.slug = $1 ORDER BY p.id LIMIT 1', ['brevo']))[0]!;
          const P = `CW-P-${String(r.id).padStart(6, '0')}`;
          // show resolves every kind of record id (in-process: the same function the command runs).
          for (const id of ['CW-PL-000001', 'CW-D-000001', 'CW-V-000002', 'CW-C-000001', P]) {
            assert.equal((await describeRecord(db, id)).record, id, `show ${id}`);
          }
          await assert.rejects(describeRecord(db, 'CW-P-999999'), /no record CW-P-999999/);
          return P;
        });
        const pFile = path.join(data, 'p.json');
        const pexp = await cli(['export-evidence', pid, '--out', pFile], env);
        assert.equal(pexp.code, 0, pexp.stderr);
        assert.match(pexp.stderr, new RegExp(`${pid} \\(provision, .* from CW-V-\\d+ \\(version, leaf \\d+\\)`));
        const pok = await cli(['verify-evidence', pFile, '--key', k.verifierKey], offline);
        assert.equal(pok.code, 0, pok.stdout + pok.stderr);
        assert.match(pok.stdout, new RegExp(`VALID: ${pid} \\(provision`));
        assert.match(pok.stdout, /ok {3}content\.provision: .*\n[\s\S]*ok {3}source\.version: version "CW-V-\d+"/);
        assert.match(pok.stdout, /derived from CW-V-\d+ \(version/);
        const pb = JSON.parse(readFileSync(pFile, 'utf8')) as { content: { provision: string } };
        const pEdited = path.join(data, 'p-edited.json');
        writeFileSync(pEdited, JSON.stringify({ ...pb, content: { ...pb.content, provision: Buffer.from(`${Buffer.from(pb.content.provision, 'base64').toString('utf8')}.`).toString('base64') } }));
        const pbad = await cli(['verify-evidence', pEdited], offline);
        assert.equal(pbad.code, 1, pbad.stdout);
        assert.match(pbad.stdout, /FAIL content\.provision: fails because the SHA-256 of the \d+ provision bytes/);

        const pcite = await cli(['cite', pid, '--json'], env);
        assert.equal(pcite.code, 0, pcite.stderr);
        const cites = JSON.parse(pcite.stdout).citations as Record<string, string>;
        assert.deepEqual(Object.keys(cites), ['text', 'bluebook', 'bibtex', 'ris', 'csl-json']);
        for (const [format, c] of Object.entries(cites)) {
          assert.ok(c.includes(pid), `${format} names the record`);
          assert.match(c, /[0-9a-f]{64}/, `${format} has the SHA-256`);
        }
        const pshow = await cli(['show', pid, '--json'], env);
        assert.equal(pshow.code, 0, pshow.stderr);
        assert.equal(typeof JSON.parse(pshow.stdout).log.leafIndex, 'number', 'show prints the provision\'s log entry');
      }

      assert.equal((await cli(['verify'], env)).code, 0, 'a clean store verifies');
      await withStore(env, (db) => db.query(`UPDATE texts SET body = body || ' ' WHERE sha256 = (SELECT text_sha256 FROM versions WHERE id = 2)`));
      const v = await cli(['verify'], env);
      assert.equal(v.code, 1, v.stdout);
      assert.match(v.stdout, /MISMATCH CW-V-000002: version text/);
      const refused = await cli(['export-evidence', 'CW-V-000002', '--out', path.join(data, 'tampered.json')], env);
      assert.equal(refused.code, 1, 'no bundle from a tampered store');
      assert.match(refused.stderr, /does not verify/);
    } finally {
      rmSync(data, { recursive: true, force: true });
      await pg?.drop();
    }
  });
}
