// Reads declaration files (YAML or JSON, one platform per file) and the whole catalogue directory.
// All or nothing: a catalogue with one bad file is not loaded at all, so the tracker never runs on
// a half-read set of declarations.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseDocument } from 'yaml';
import type { PlatformDeclaration } from '../domain/types.ts';
import { CatalogError, DeclarationError, type DeclarationIssue } from './errors.ts';
import { normalisePlatform, type PlatformSource } from './normalise.ts';
import { schemaIssues } from './schema.ts';

export const DECLARATION_EXTENSIONS = ['.yaml', '.yml', '.json'] as const;
/** Declarations are small; anything bigger is a mistake or an attack on the parser. */
export const MAX_DECLARATION_BYTES = 512 * 1024;

/** Loads, validates and normalises one declaration file. Throws DeclarationError. */
export function loadDeclarationFile(file: string): PlatformDeclaration {
  const ext = path.extname(file).toLowerCase();
  if (!(DECLARATION_EXTENSIONS as readonly string[]).includes(ext)) {
    throw new DeclarationError(file, [{ path: '(file)', reason: `unsupported extension "${ext}", use .yaml, .yml or .json` }]);
  }
  let text: string;
  try {
    const size = statSync(file).size;
    if (size > MAX_DECLARATION_BYTES) {
      throw new DeclarationError(file, [{ path: '(file)', reason: `larger than ${MAX_DECLARATION_BYTES} bytes` }]);
    }
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if (e instanceof DeclarationError) throw e;
    throw new DeclarationError(file, [{ path: '(file)', reason: `cannot read: ${(e as Error).message}` }]);
  }
  const data = ext === '.json' ? parseJson(file, text) : parseYaml(file, text);
  return fromData(file, data);
}

/** Validates already-parsed data as if it came from `file` (whose base name is the expected slug). */
export function fromData(file: string, data: unknown): PlatformDeclaration {
  const issues: DeclarationIssue[] = schemaIssues(data);
  if (issues.length) throw new DeclarationError(file, issues);
  const slug = path.basename(file, path.extname(file));
  const platform = normalisePlatform(data as PlatformSource, slug, issues);
  if (!platform || issues.length) throw new DeclarationError(file, issues);
  return { ...platform, file };
}

/**
 * Loads every declaration in `dir`. Returns all platforms sorted by slug, or throws one CatalogError
 * listing every problem of every file.
 */
export function loadCatalog(dir: string): PlatformDeclaration[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (e) {
    throw new CatalogError([new DeclarationError(dir, [{ path: '(directory)', reason: `cannot read: ${(e as Error).message}` }])]);
  }
  const files = names
    .filter((n) => !n.startsWith('.') && (DECLARATION_EXTENSIONS as readonly string[]).includes(path.extname(n).toLowerCase()))
    .sort()
    .map((n) => path.join(dir, n));

  const errors: DeclarationError[] = [];
  const platforms: PlatformDeclaration[] = [];
  const bySlug = new Map<string, string>();
  for (const file of files) {
    try {
      const platform = loadDeclarationFile(file);
      const other = bySlug.get(platform.slug);
      if (other) {
        errors.push(new DeclarationError(file, [{ path: 'slug', reason: `"${platform.slug}" is also declared in ${other}` }]));
        continue;
      }
      bySlug.set(platform.slug, file);
      platforms.push(platform);
    } catch (e) {
      if (e instanceof DeclarationError) errors.push(e);
      else errors.push(new DeclarationError(file, [{ path: '(file)', reason: (e as Error).message }]));
    }
  }
  if (errors.length) throw new CatalogError(errors);
  return platforms.sort((a, b) => a.slug.localeCompare(b.slug));
}

function parseJson(file: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new DeclarationError(file, [{ path: '(syntax)', reason: `invalid JSON: ${(e as Error).message}` }]);
  }
}

function parseYaml(file: string, text: string): unknown {
  // Core schema: plain data only (no timestamps, no language-specific tags), few aliases so a
  // "billion laughs" file cannot blow up memory.
  const doc = parseDocument(text, { schema: 'core', uniqueKeys: true, merge: false, prettyErrors: true, strict: true });
  const problems = [...doc.errors, ...doc.warnings];
  if (problems.length) {
    throw new DeclarationError(
      file,
      problems.map((p) => {
        const pos = p.linePos?.[0];
        return {
          path: pos ? `line ${pos.line}, column ${pos.col}` : '(syntax)',
          reason: `invalid YAML: ${p.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}`,
        };
      }),
    );
  }
  try {
    return doc.toJS({ maxAliasCount: 20 });
  } catch (e) {
    throw new DeclarationError(file, [{ path: '(syntax)', reason: `invalid YAML: ${(e as Error).message}` }]);
  }
}
