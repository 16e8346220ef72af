// Structural validation of a declaration file against declaration.schema.json, with ajv's errors
// turned into `field.path: reason` lines a contributor can act on.
import { readFileSync } from 'node:fs';
import { Ajv, type ErrorObject } from 'ajv';
import type { DeclarationIssue } from './errors.ts';

export const DECLARATION_SCHEMA_FILE = new URL('./declaration.schema.json', import.meta.url);
export const DECLARATION_SCHEMA: Record<string, unknown> = JSON.parse(readFileSync(DECLARATION_SCHEMA_FILE, 'utf8'));

const ajv = new Ajv({ allErrors: true, verbose: true, allowUnionTypes: true, strict: true });
const validate = ajv.compile(DECLARATION_SCHEMA);

/** Problems with the file's shape; empty when it matches the schema. */
export function schemaIssues(data: unknown): DeclarationIssue[] {
  if (validate(data)) return [];
  const issues = (validate.errors ?? []).map(toIssue);
  const seen = new Set<string>();
  return issues.filter((i) => {
    const key = `${i.path}\u0000${i.reason}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** `/documents/2/select/0` → `documents[2].select[0]` */
export function pointerToPath(pointer: string): string {
  let out = '';
  for (const raw of pointer.split('/').slice(1)) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    out += /^\d+$/.test(seg) ? `[${seg}]` : out ? `.${seg}` : seg;
  }
  return out;
}

function join(path: string, field: string): string {
  return path ? `${path}.${field}` : field;
}

function toIssue(e: ErrorObject): DeclarationIssue {
  const path = pointerToPath(e.instancePath);
  const described = (e.parentSchema as { description?: string } | undefined)?.description;
  switch (e.keyword) {
    case 'additionalProperties':
      return { path: join(path, String(e.params.additionalProperty)), reason: 'unknown field' };
    case 'required':
      return { path: join(path, String(e.params.missingProperty)), reason: 'required field is missing' };
    case 'type':
      return { path: path || '(root)', reason: `must be ${described ?? `of type ${String(e.params.type)}`}` };
    case 'pattern':
      return { path, reason: `must be ${described ?? `text matching ${String(e.params.pattern)}`}` };
    case 'enum':
      return { path, reason: `must be one of: ${(e.params.allowedValues as unknown[]).join(', ')}` };
    case 'uniqueItems':
      return { path, reason: `items ${String(e.params.j)} and ${String(e.params.i)} are the same` };
    default:
      return { path: path || '(root)', reason: e.message ?? e.keyword };
  }
}
