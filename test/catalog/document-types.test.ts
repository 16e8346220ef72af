// The vocabulary: required ids, the documentation table, and the mapping from every Open Terms
// Archive terms type found in the shared versions bundles.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { DOCUMENT_TYPES, getDocumentType, otaTypeToDocumentType } from '../../src/catalog/index.ts';
import { DECLARATIONS_DOC, renderDocumentTypesTable, tableInDoc } from '../../src/catalog/document-types-table.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const otaDir = path.resolve(repoRoot, '../shared/corpus/ota');

describe('document-type vocabulary', () => {
  it('has kebab-case ids, titles and descriptions', () => {
    for (const t of DOCUMENT_TYPES) {
      assert.match(t.id, /^[a-z0-9]+(-[a-z0-9]+)*$/);
      assert.ok(t.title && t.description, t.id);
    }
    assert.equal(new Set(DOCUMENT_TYPES.map((t) => t.id)).size, DOCUMENT_TYPES.length);
  });

  it('includes the AI-specific and the usual types', () => {
    const required = [
      'ai-training-policy', 'model-training-help', 'acceptable-use-policy', 'usage-policy',
      'terms-of-service', 'privacy-policy', 'cookie-policy', 'community-guidelines', 'copyright-policy',
      'data-processing-agreement', 'api-terms', 'developer-terms', 'commercial-terms', 'business-terms',
      'law-enforcement-guidelines', 'trackers-policy', 'children-privacy', 'ads-policy', 'subprocessors',
      'content-policy', 'brand-guidelines', 'seller-policy', 'creator-policy', 'monetisation-policy', 'other',
    ];
    for (const id of required) assert.ok(getDocumentType(id), id);
  });

  it('is documented in docs/declarations.md exactly as in the data', () => {
    const doc = readFileSync(DECLARATIONS_DOC, 'utf8');
    const table = tableInDoc(doc);
    assert.ok(table !== undefined, 'the document-types markers are in docs/declarations.md');
    assert.equal(table, renderDocumentTypesTable(), 'run: node --import tsx src/catalog/document-types-table.ts --write');
  });
});

describe('otaTypeToDocumentType', () => {
  it('maps the names of the brief', () => {
    const expected: Record<string, string> = {
      'Terms of Service': 'terms-of-service',
      'Privacy Policy': 'privacy-policy',
      'Community Guidelines': 'community-guidelines',
      'Law Enforcement Guidelines': 'law-enforcement-guidelines',
      'Trackers Policy': 'trackers-policy',
      'Brand Guidelines': 'brand-guidelines',
      'Data Processor Agreement': 'data-processing-agreement',
      'Content Monetisation Policy': 'monetisation-policy',
      'Copyright Claims Policy': 'copyright-policy',
      'Acceptable Use Policy': 'acceptable-use-policy',
      'Developer Terms': 'developer-terms',
      'Commercial Terms': 'commercial-terms',
      'Seller Warranty': 'seller-policy',
      Imprint: 'imprint',
      'Single Sign-On Policy': 'single-sign-on-policy',
      'Advertising Content Policy': 'ads-policy',
      'Cookies Policy': 'cookie-policy',
    };
    for (const [name, type] of Object.entries(expected)) {
      const m = otaTypeToDocumentType(name);
      assert.equal(m.type, type, name);
      assert.equal(m.known, true, name);
    }
  });

  it('keeps the original name when it says more than our title', () => {
    assert.deepEqual(otaTypeToDocumentType('Terms of Service'), { type: 'terms-of-service', known: true });
    assert.deepEqual(otaTypeToDocumentType('Seller Warranty'), { type: 'seller-policy', name: 'Seller Warranty', known: true });
  });

  it('ignores case, punctuation and spacing', () => {
    assert.equal(otaTypeToDocumentType('  terms   of service ').type, 'terms-of-service');
    assert.equal(otaTypeToDocumentType('Single sign on policy').type, 'single-sign-on-policy');
  });

  it('never fails: unknown names become "other" and keep their name', () => {
    assert.deepEqual(otaTypeToDocumentType('Galactic Charter'), { type: 'other', name: 'Galactic Charter', known: false });
    assert.equal(otaTypeToDocumentType('').type, 'other');
    assert.equal(otaTypeToDocumentType(undefined as unknown as string).type, 'other');
  });

  describe('every terms type in the shared OTA versions bundles maps to a known type', () => {
    const tmp = mkdtempSync(path.join(tmpdir(), 'clausewatch-ota-'));
    after(() => rmSync(tmp, { recursive: true, force: true }));

    for (const bundle of ['pga-versions.bundle', 'demo-versions.bundle']) {
      it(bundle, () => {
        const repo = path.join(tmp, bundle);
        const git = (...args: string[]) => {
          const r = spawnSync('git', args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
          assert.equal(r.status, 0, `git ${args.join(' ')}: ${r.stderr}`);
          return r.stdout;
        };
        git('clone', '--quiet', '--mirror', path.join(otaDir, bundle), repo);
        // Files ever present on any ref (--mirror brings pull-request heads too), not only at the tip.
        const files = git('-C', repo, 'log', '--all', '--name-only', '--format=', '--no-renames').split('\n');
        const names = new Set<string>();
        for (const f of files) {
          const parts = f.split('/');
          if (parts.length !== 2 || parts[0]!.startsWith('.')) continue;
          const m = /^(.+?)(?: #[^/]*)?\.(md|html|pdf)$/.exec(parts[1]!);
          if (m && parts[1] !== 'README.md') names.add(m[1]!);
        }
        assert.ok(names.size >= 5, `found ${names.size} terms types`);
        const unmapped = [...names].filter((n) => !otaTypeToDocumentType(n).known);
        assert.deepEqual(unmapped, []);
      });
    }
  });
});
