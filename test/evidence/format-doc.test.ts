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
import { EXAMPLE_ORIGIN, exampleBundle, exampleKey } from './example.ts';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const fixturePath = resolve(repoRoot, 'test/evidence/fixtures/example-bundle.json');
const doc = readFileSync(resolve(repoRoot, 'docs/evidence-format.md'), 'utf8');
const fixtureText = readFileSync(fixturePath, 'utf8');
const fixture = JSON.parse(fixtureText) as Record<string, unknown>;

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

  it('fits the JSON Schema of the document, which rejects structural damage', () => {
    const match = /### JSON Schema[\s\S]*?```json\n([\s\S]*?)```/.exec(doc);
    assert.ok(match, 'the document has a JSON Schema block');
    const ajv = new Ajv({ allErrors: true, strict: true });
    const validate = ajv.compile(JSON.parse(match[1]!) as object);
    assert.equal(validate(fixture), true, JSON.stringify(validate.errors));
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
