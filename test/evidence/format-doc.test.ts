// Keeps docs/evidence-format.md and its test vector honest: the published example reproduces
// exactly, verifies, matches the values the document quotes, and fits the document's JSON Schema.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import { verifyBundle } from '../../src/evidence/bundle.ts';
import { keyId, verifierKey } from '../../src/evidence/keys.ts';
import { leafData } from '../../src/evidence/leaf.ts';
import type { EvidenceRecord } from '../../src/evidence/leaf.ts';
import { EXAMPLE_ORIGIN, exampleBundle, exampleKey, exampleProvisionBundle } from './example.ts';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const fixturePath = resolve(repoRoot, 'test/evidence/fixtures/example-bundle.json');
const doc = readFileSync(resolve(repoRoot, 'docs/evidence-format.md'), 'utf8');
const fixtureText = readFileSync(fixturePath, 'utf8');
const fixture = JSON.parse(fixtureText) as Record<string, unknown>;
const provisionText = readFileSync(resolve(repoRoot, 'test/evidence/fixtures/example-provision-bundle.json'), 'utf8');
const provisionFixture = JSON.parse(provisionText) as Record<string, unknown> & { sources: { record: EvidenceRecord; leafHash: string }[] };

describe('the published test vector', () => {
  it('is reproduced byte for byte by the implementation', async () => {
    assert.equal(`${JSON.stringify(await exampleBundle(), null, 2)}\n`, fixtureText);
  });

  it('verifies, also against the verifier key and key id the document quotes', () => {
    const vkey = verifierKey(EXAMPLE_ORIGIN, exampleKey().publicKey);
    assert.ok(doc.includes(vkey), 'the document quotes the verifier key');
    const id = keyId(EXAMPLE_ORIGIN, exampleKey().publicKey).toString('hex');
    assert.ok(doc.includes(`key id \`${id}\``), 'the document quotes the key id');
    const r = verifyBundle(fixtureText, { trustedKey: vkey, trustedKeyId: id, origin: EXAMPLE_ORIGIN });
    assert.equal(r.ok, true, JSON.stringify(r.checks));
  });

  it('has the leaf bytes and leaf hash the document quotes', () => {
    assert.ok(doc.includes(leafData(fixture.record as EvidenceRecord).toString('utf8')), 'leaf bytes in §1');
    assert.ok(doc.includes(fixture.leafHash as string), 'leaf hash in §9');
    assert.ok(doc.includes((fixture.checkpoint as string).split('\n')[2]!), 'root in §9');
  });

  it('has a second vector, a provision with its version and snapshot as sources, reproduced, valid and quoted', async () => {
    assert.equal(`${JSON.stringify(await exampleProvisionBundle(), null, 2)}\n`, provisionText);
    const r = verifyBundle(provisionText, { trustedKey: verifierKey(EXAMPLE_ORIGIN, exampleKey().publicKey), origin: EXAMPLE_ORIGIN });
    assert.equal(r.ok, true, JSON.stringify(r.checks));
    assert.deepEqual(r.sources?.map((x) => x.id), ['ver-1', 'snap-1']);
    assert.ok(doc.includes(leafData(provisionFixture.record as EvidenceRecord).toString('utf8')), 'provision leaf bytes in §9');
    assert.ok(doc.includes(provisionFixture.leafHash as string), 'provision leaf hash in §9');
    assert.ok(doc.includes((provisionFixture.checkpoint as string).split('\n')[2]!), 'its root in §9');
    for (const src of provisionFixture.sources) assert.ok(doc.includes(src.leafHash), `${src.record.id} leaf hash in §9`);
    // The changes §9 says a verifier must reject.
    const f = provisionFixture as unknown as { content: Record<string, string>; sources: unknown[] };
    const flip = (b64: string) => { const b = Buffer.from(b64, 'base64'); b[0] = b[0]! ^ 1; return b.toString('base64'); };
    const [ver, snap] = f.sources;
    for (const [what, broken] of [
      ['provision text', { ...f, content: { ...f.content, provision: flip(f.content.provision!) } }],
      ['version text', { ...f, content: { ...f.content, version: flip(f.content.version!) } }],
      ['snapshot bytes', { ...f, content: { ...f.content, snapshot: flip(f.content.snapshot!) } }],
      ['sources dropped', { ...f, sources: undefined }],
      ['snapshot source dropped', { ...f, sources: [ver] }],
      ['sources swapped', { ...f, sources: [snap, ver] }],
      ['proof from another tree', { ...f, sources: [{ ...(ver as object), inclusionProof: (fixture.inclusionProof as string[]) }, snap] }],
    ] as const) {
      assert.equal(verifyBundle(broken).ok, false, what);
    }
  });

  it('fits the JSON Schema of the document, which rejects structural damage', () => {
    const match = /### JSON Schema[\s\S]*?```json\n([\s\S]*?)```/.exec(doc);
    assert.ok(match, 'the document has a JSON Schema block');
    const ajv = new Ajv({ allErrors: true, strict: true });
    const validate = ajv.compile(JSON.parse(match[1]!) as object);
    assert.equal(validate(fixture), true, JSON.stringify(validate.errors));
    assert.equal(validate(provisionFixture), true, JSON.stringify(validate.errors));
    const src = provisionFixture.sources[0]!;
    for (const broken of [
      { ...provisionFixture, sources: [] },
      { ...provisionFixture, sources: [{ ...src, extra: 1 }] },
      { ...provisionFixture, sources: [{ record: src.record }] },
      { ...provisionFixture, sources: [{ ...src, leafIndex: -1 }] },
    ]) {
      assert.equal(validate(broken), false, JSON.stringify(broken.sources).slice(0, 80));
    }
    for (const broken of [
      { ...fixture, extra: 1 },
      { ...fixture, leafIndex: '5' },
      { ...fixture, inclusionProof: ['XYZ'] },
      { ...fixture, record: { ...(fixture.record as object), sha256: 'ABC' } },
      { ...fixture, content: { pdf: 'AAAA' } },
    ]) {
      assert.equal(validate(broken), false, JSON.stringify(broken).slice(0, 80));
    }
  });
});
