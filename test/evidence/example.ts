// A fully deterministic bundle (fixed key seed, fixed times), published in
// test/evidence/fixtures/example-bundle.json and docs/evidence-format.md as a test vector for
// anyone writing their own verifier. Ed25519 signatures are deterministic, so it reproduces exactly.

import { createHash, createPrivateKey, createPublicKey } from 'node:crypto';
import { buildBundle } from '../../src/evidence/bundle.ts';
import type { EvidenceBundle } from '../../src/evidence/bundle.ts';
import { signCheckpoint } from '../../src/evidence/checkpoint.ts';
import { leafData, sha256Hex } from '../../src/evidence/leaf.ts';
import type { EvidenceRecord } from '../../src/evidence/leaf.ts';
import { MerkleLog } from '../../src/evidence/log.ts';
import { MemoryNodeStore } from '../../src/evidence/node-store.ts';

export const EXAMPLE_ORIGIN = 'clausewatch.example/log';

export function exampleKey() {
  const seed = createHash('sha256').update('clausewatch example key — never use for real').digest();
  const privateKey = createPrivateKey({ key: Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seed]), format: 'der', type: 'pkcs8' });
  return { privateKey, publicKey: createPublicKey(privateKey) };
}

export async function exampleBundle(): Promise<EvidenceBundle> {
  const { privateKey, publicKey } = exampleKey();
  const log = new MerkleLog(new MemoryNodeStore());
  const snapshotBytes = Buffer.from('<html><body><h1>Terms</h1><p>Be nice.</p></body></html>\n');
  const versionText = '# Terms\n\nBe nice.\n';
  const records: EvidenceRecord[] = [
    { kind: 'snapshot', id: 'snap-1', sha256: sha256Hex(snapshotBytes), time: '2025-01-01T00:00:00.000Z', platform: 'example', document: 'terms-of-service', url: 'https://example.com/terms', mediaType: 'text/html' },
    { kind: 'version', id: 'ver-1', sha256: sha256Hex(versionText), time: '2025-01-01T00:00:01.000Z', platform: 'example', document: 'terms-of-service', snapshotSha256: sha256Hex(snapshotBytes), parentId: 'snap-1' },
  ];
  for (let i = 0; i < 4; i++) await log.append(leafData({ kind: 'snapshot', id: `other-${i}`, sha256: sha256Hex(`other ${i}`), time: '2024-12-31T00:00:00.000Z' }));
  const indices: number[] = [];
  for (const r of records) indices.push((await log.append(leafData(r))).index);
  await log.append(leafData({ kind: 'snapshot', id: 'later', sha256: sha256Hex('later'), time: '2025-01-02T00:00:00.000Z' }));
  const checkpoint = signCheckpoint({ origin: EXAMPLE_ORIGIN, size: await log.size(), root: await log.root(), time: '2025-01-02T00:00:00.000Z' }, privateKey);
  return buildBundle({
    record: records[1]!,
    content: { versionText, snapshotBytes },
    leafIndex: indices[1]!,
    inclusionProof: await log.inclusionProof(indices[1]!),
    checkpoint,
    publicKey,
  });
}

/**
 * The second test vector: a provision bundle, carrying the provision text, the version text and the
 * snapshot bytes, with the version and snapshot records as sources proven in the same tree.
 */
export async function exampleProvisionBundle(): Promise<EvidenceBundle> {
  const { privateKey, publicKey } = exampleKey();
  const log = new MerkleLog(new MemoryNodeStore());
  const snapshotBytes = Buffer.from('<html><body><h1>Terms</h1><p>Be nice.</p></body></html>\n');
  const versionText = '# Terms\n\nBe nice.\n';
  const provisionText = 'Be nice.';
  const snapshot: EvidenceRecord = { kind: 'snapshot', id: 'snap-1', sha256: sha256Hex(snapshotBytes), time: '2025-01-01T00:00:00.000Z', platform: 'example', document: 'terms-of-service', url: 'https://example.com/terms', mediaType: 'text/html' };
  const version: EvidenceRecord = { kind: 'version', id: 'ver-1', sha256: sha256Hex(versionText), time: '2025-01-01T00:00:01.000Z', platform: 'example', document: 'terms-of-service', snapshotSha256: snapshot.sha256, parentId: 'snap-1' };
  const provision: EvidenceRecord = { kind: 'provision', id: 'prov-1', sha256: sha256Hex(provisionText), time: '2025-01-01T00:00:01.000Z', platform: 'example', document: 'terms-of-service', versionSha256: version.sha256, parentId: 'ver-1' };
  for (let i = 0; i < 4; i++) await log.append(leafData({ kind: 'snapshot', id: `other-${i}`, sha256: sha256Hex(`other ${i}`), time: '2024-12-31T00:00:00.000Z' }));
  const [si, vi, pi] = [(await log.append(leafData(snapshot))).index, (await log.append(leafData(version))).index, (await log.append(leafData(provision))).index];
  await log.append(leafData({ kind: 'snapshot', id: 'later', sha256: sha256Hex('later'), time: '2025-01-02T00:00:00.000Z' }));
  const checkpoint = signCheckpoint({ origin: EXAMPLE_ORIGIN, size: await log.size(), root: await log.root(), time: '2025-01-02T00:00:00.000Z' }, privateKey);
  return buildBundle({
    record: provision,
    content: { provisionText, versionText, snapshotBytes },
    leafIndex: pi,
    inclusionProof: await log.inclusionProof(pi),
    checkpoint,
    publicKey,
    sources: [
      { record: version, leafIndex: vi, inclusionProof: await log.inclusionProof(vi) },
      { record: snapshot, leafIndex: si, inclusionProof: await log.inclusionProof(si) },
    ],
  });
}
