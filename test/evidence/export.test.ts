// Bundles exported from a real database: snapshots, versions and provisions (with the version and
// snapshot they came from), a new checkpoint when none covers the record yet, and the bad-input
// cases a recipient may meet (a proof for another tree, another key, an edited record or text, a
// source swapped for another) failing with their reasons.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DRIVERS, openTestDb } from '../helpers/db.ts';
import { exportEvidence, ExportError } from '../../src/evidence/export.ts';
import { makeCheckpoint, listCheckpoints } from '../../src/evidence/checkpoint-store.ts';
import { verifyBundle } from '../../src/evidence/bundle.ts';
import { loadSigner } from '../../src/evidence/config.ts';
import { recordText } from '../../src/record/capture.ts';
import { analysePending } from '../../src/analyse/store/index.ts';
import type { EvidenceBundle } from '../../src/evidence/bundle.ts';
import { recordHistory, tempConfig } from './db-fixture.ts';

const S = (id: number) => `CW-S-${String(id).padStart(6, '0')}`;
const V = (id: number) => `CW-V-${String(id).padStart(6, '0')}`;
const P = (id: number) => `CW-P-${String(id).padStart(6, '0')}`;
const failed = (b: unknown) => verifyBundle(b).checks.filter((c) => !c.ok).map((c) => `${c.name}: ${c.detail}`);
const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

for (const driver of DRIVERS) {
  test(`${driver}: exported bundles verify offline, and fail for the right reason when misused`, async () => {
    const t = await openTestDb(driver);
    try {
      const config = tempConfig();
      const signer = loadSigner(config);
      const h = await recordHistory(t.db);
      assert.equal((await analysePending(t.db)).failed, 0, 'the provisions are analysed and logged');

      // No checkpoint yet: the export signs one.
      const snap = await exportEvidence(t.db, S(h.snapshots[0]!), signer);
      assert.equal(snap.signedNow, true);
      assert.equal(snap.bundle.record.kind, 'snapshot');
      assert.match(Buffer.from(snap.bundle.content.snapshot!, 'base64').toString('utf8'), /<h1>Privacy Policy<\/h1>/);
      const r = verifyBundle(snap.bundle, { trustedKey: signer.verifierKey, origin: config.origin });
      assert.equal(r.ok, true, JSON.stringify(r.checks));

      // A version carries its text and its source snapshot's bytes.
      const ver = await exportEvidence(t.db, V(h.versions[0]!), signer);
      assert.equal(ver.signedNow, false, 'the existing checkpoint covers it');
      assert.ok(ver.bundle.content.version && ver.bundle.content.snapshot, 'text and snapshot');
      assert.deepEqual(verifyBundle(ver.bundle).checks.map((c) => c.name), ['bundle', 'record', 'content.snapshot', 'content.version', 'leaf', 'public-key', 'checkpoint', 'signature', 'inclusion', 'source.snapshot']);
      assert.equal(ver.bundle.record.parentId, S(h.snapshots[0]!));
      assert.equal(ver.bundle.sources?.[0]?.record.id, S(h.snapshots[0]!), 'the snapshot record travels with its own proof');

      // A provision carries its text, the version text and the snapshot bytes it came from, each
      // record proven in the same tree: snapshot → version → provision.
      const provOf = async (versionId: number) =>
        Number((await t.db.query<{ id: number }>('SELECT p.id FROM provisions p JOIN provision_texts x ON x.id = p.current_text_id WHERE x.first_version_id = $1 ORDER BY p.id LIMIT 1', [versionId]))[0]!.id);
      const pid = await provOf(h.versions[0]!);
      const prov = await exportEvidence(t.db, P(pid), signer);
      assert.equal(prov.signedNow, false, 'the provisions were logged before the first checkpoint');
      const pb = prov.bundle;
      assert.equal(pb.record.kind, 'provision');
      assert.equal(pb.record.id, P(pid));
      assert.deepEqual(pb.sources?.map((s) => s.record.id), [V(h.versions[0]!), S(h.snapshots[0]!)]);
      assert.ok(pb.content.provision && pb.content.version && pb.content.snapshot, 'provision text, version text and snapshot bytes');
      const pr = verifyBundle(pb, { trustedKey: signer.verifierKey });
      assert.equal(pr.ok, true, JSON.stringify(pr.checks));
      assert.deepEqual(pr.checks.map((c) => c.name), ['bundle', 'record', 'content.snapshot', 'content.version', 'content.provision', 'leaf', 'public-key', 'checkpoint', 'signature', 'inclusion', 'source.version', 'source.snapshot', 'trusted-key']);
      assert.ok(Buffer.from(pb.content.version!, 'base64').toString('utf8').includes(Buffer.from(pb.content.provision!, 'base64').toString('utf8').slice(0, 20)), 'the provision is part of the version text');
      // A provision of an imported version (no snapshot): provision → version only.
      const imported = await exportEvidence(t.db, P(await provOf(h.versions.at(-1)!)), signer);
      assert.deepEqual(imported.bundle.sources?.map((s) => s.record.kind), ['version']);
      assert.equal(verifyBundle(imported.bundle).ok, true);
      // The text a provision had in a given version; a version that does not hold it is refused.
      const inV = await exportEvidence(t.db, P(pid), signer, { version: V(h.versions[0]!) });
      assert.equal(inV.bundle.record.sha256, pb.record.sha256);
      await assert.rejects(exportEvidence(t.db, P(pid), signer, { version: V(h.versions.at(-1)!) }), /is not part of CW-V-/);

      // Bad input on provision bundles: each names what fails and why, never "valid".
      const provisionText = Buffer.from(pb.content.provision!, 'base64').toString('utf8');
      const versionText = Buffer.from(pb.content.version!, 'base64').toString('utf8');
      const cases: [string, unknown, RegExp][] = [
        ['an edited provision text', { ...pb, content: { ...pb.content, provision: b64(provisionText.replace(/\w/, 'X')) } }, /^content\.provision: fails because the SHA-256 of the \d+ provision bytes/],
        ['an edited version text', { ...pb, content: { ...pb.content, version: b64(`${versionText} `) } }, /^content\.version: fails because .* source version record's "sha256"/],
        ['an edited version record', { ...pb, sources: [{ ...pb.sources![0]!, record: { ...pb.sources![0]!.record, time: '2020-01-01T00:00:00.000Z' } }, pb.sources![1]!] }, /^source\.version: fails because its record serialises to a leaf with hash/],
        ['a source that is not the parent', { ...pb, sources: [imported.bundle.sources![0]!, pb.sources![1]!] }, /^source\.version: fails because the provision record .* names "CW-V-\d+" as its parent, not this version/],
        ['a truncated chain entry', { ...pb, sources: [{ record: pb.sources![0]!.record }] }, /^source\.version: fails because its "leafHash" is undefined|^source\.version: fails because its "leafHash"/],
        ['an unknown member in a source', { ...pb, sources: [{ ...pb.sources![0]!, note: 'x' }] }, /^sources\[0\]: fails because it has fields this format does not define: "note"/],
      ];
      for (const [what, bad, pattern] of cases) {
        const f = failed(bad);
        assert.ok(f.length > 0, `${what}: not valid`);
        assert.ok(f.some((x) => pattern.test(x)), `${what}: ${f.join(' | ')}`);
      }
      const truncatedProvision = verifyBundle(JSON.stringify(pb).slice(0, JSON.stringify(pb).length - 40));
      assert.match(truncatedProvision.checks[0]!.detail, /fails because it is not valid JSON/);

      // Recorded after the latest checkpoint: a new one is signed for the export.
      const late = await recordText(t.db, { documentId: h.documentId, capturedAt: new Date(Date.UTC(2024, 5, 1)), origin: 'ota-versions', originRef: 'late' }, `# Privacy Policy\n\n${'Entirely new terms. '.repeat(40)}`);
      assert.ok(late.versionId, late.outcome);
      const lateBundle = await exportEvidence(t.db, V(late.versionId), signer);
      assert.equal(lateBundle.signedNow, true);
      assert.equal((await listCheckpoints(t.db)).length, 2);

      // A proof for another tree: the old bundle's proof against the newer checkpoint.
      const mixed = verifyBundle({ ...ver.bundle, checkpoint: lateBundle.bundle.checkpoint });
      assert.equal(mixed.ok, false);
      assert.match(mixed.checks.find((c) => c.name === 'inclusion')!.detail, /fails because the proof has \d+ hashes|fails because the proof leads from leaf/);
      // A provision bundle whose version proof is for another tree (the newer one): only that link fails.
      const newer = (await exportEvidence(t.db, V(h.versions[0]!), signer)).bundle;
      assert.equal(newer.checkpoint, lateBundle.bundle.checkpoint, 'exported against the newer checkpoint');
      const otherTree = newer.sources![0]!.inclusionProof;
      const pbNewer = (await exportEvidence(t.db, P(pid), signer)).bundle;
      const versionProofNewer = pbNewer.sources![0]!.inclusionProof;
      assert.notDeepEqual(versionProofNewer, pb.sources![0]!.inclusionProof, 'the trees differ');
      assert.ok(otherTree.length > 0);
      const mixedChain = failed({ ...pb, sources: [{ ...pb.sources![0]!, inclusionProof: versionProofNewer }, pb.sources![1]!] } satisfies EvidenceBundle);
      assert.equal(mixedChain.length, 1, mixedChain.join(' | '));
      assert.match(mixedChain[0]!, /^source\.version: fails because its (inclusion proof does not fit|proof leads from leaf \d+ to root .* the proof belongs to another tree)/);
      // Another key, and a record edited after export.
      const other = loadSigner(tempConfig());
      const wrongKey = verifyBundle(ver.bundle, { trustedKey: other.verifierKey });
      assert.match(wrongKey.checks.find((c) => c.name === 'trusted-key')!.detail, /fails because the bundle's key/);
      const edited = verifyBundle({ ...ver.bundle, record: { ...ver.bundle.record, time: '2020-01-01T00:00:00.000Z' } });
      assert.match(edited.checks.find((c) => c.name === 'leaf')!.detail, /fails because the record serialises to a leaf with hash/);
      const truncated = verifyBundle(JSON.stringify(ver.bundle).slice(0, 300));
      assert.equal(truncated.ok, false);
      assert.match(truncated.checks[0]!.detail, /not valid JSON/);

      // What cannot be exported says why.
      await assert.rejects(exportEvidence(t.db, 'CW-D-000001', signer), (e: Error) => e instanceof ExportError && /snapshots \(CW-S-…\), versions \(CW-V-…\) and provisions/.test(e.message));
      await assert.rejects(exportEvidence(t.db, 'CW-P-999999', signer), /no record CW-P-999999/);
      await assert.rejects(exportEvidence(t.db, V(h.versions[0]!), signer, { version: V(h.versions[0]!) }), /--version applies to provisions/);
      await assert.rejects(exportEvidence(t.db, 'CW-V-999999', signer), /no record CW-V-999999/);
      await assert.rejects(exportEvidence(t.db, 'hello', signer), /not a record id/);
      // A tampered store gives an error, never a bundle.
      await t.db.query(`UPDATE texts SET body = body || '!' WHERE sha256 = (SELECT text_sha256 FROM versions WHERE id = $1)`, [h.versions[0]]);
      await assert.rejects(exportEvidence(t.db, V(h.versions[0]!), signer), /does not verify, so no bundle is made[\s\S]*content.version: fails because/);
      await assert.rejects(exportEvidence(t.db, P(pid), signer), /does not verify, so no bundle is made[\s\S]*content.version: fails because/, 'nor from a provision of that version');
      await t.db.query(`UPDATE provision_texts SET body = body || '!' WHERE id = (SELECT current_text_id FROM provisions WHERE id = $1)`, [imported.bundle.record.id.slice(5)]);
      await assert.rejects(exportEvidence(t.db, imported.bundle.record.id, signer), /does not verify, so no bundle is made[\s\S]*content.provision: fails because/, 'an edited provision text');
      // And a checkpoint is never signed by a key that did not sign the previous ones.
      await assert.rejects(makeCheckpoint(t.db, other), /refusing to sign: checkpoint #\d+ does not verify with the log key/);
    } finally {
      await t.drop();
    }
  });
}
