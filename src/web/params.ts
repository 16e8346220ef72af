// JSON Schemas for path and query parameters, shared by pages and the API so both reject the same
// things with the same messages (and the OpenAPI document describes exactly what is enforced).
import { parseRecordId, type RecordKind } from '../domain/record-id.ts';
import { badRequest } from './errors.ts';

const PREFIX: Record<string, string> = { platform: 'PL', document: 'D', version: 'V', snapshot: 'S', capture: 'C', provision: 'P' };

export function recordIdSchema(kind: RecordKind) {
  const p = PREFIX[kind]!;
  return { type: 'string', pattern: `^CW-${p}-[0-9]{1,12}$`, description: `a ${kind} record id, e.g. CW-${p}-000123` } as const;
}

/** The numeric id of a record id that already passed its schema. */
export function idOf(text: string, kind: RecordKind, where: string): number {
  const r = parseRecordId(text);
  if (!r || r.kind !== kind) throw badRequest(`"${text}" is not a ${kind} record id`, where);
  return r.id;
}

export const slugSchema = { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{0,99}$', description: 'a platform slug, e.g. murf' } as const;
export const keySchema = { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{0,199}$', description: 'a document key, e.g. terms-of-service' } as const;
export const daySchema = { type: 'string', format: 'date', description: 'a day, YYYY-MM-DD (UTC)' } as const;
export const typeSchema = { type: 'string', pattern: '^[a-z0-9]+(-[a-z0-9]+)*$', maxLength: 100, description: 'a document type id, e.g. privacy-policy' } as const;
export const querySchema = { type: 'string', minLength: 1, maxLength: 500, description: 'words, "a phrase", or, -excluded' } as const;
export const cursorSchema = { type: 'string', pattern: '^[A-Za-z0-9_-]{1,200}$', description: 'the next_cursor of a previous page' } as const;
export const limitSchema = (max: number, dflt: number) => ({ type: 'integer', minimum: 1, maximum: max, default: dflt, description: `results per page, 1 to ${max}` }) as const;
export const pageSchema = { type: 'integer', minimum: 1, maximum: 1000, default: 1, description: 'page number, from 1' } as const;
export const viewSchema = { type: 'string', enum: ['side', 'inline'], description: 'side (by side) or inline' } as const;

/** from ≤ to, when both are given. */
export function checkRange(from: string | undefined, to: string | undefined): void {
  if (from && to && from > to) throw badRequest(`query parameter "from" (${from}) is after "to" (${to})`, 'query parameter from');
}

export const filterProperties = {
  platform: slugSchema,
  type: typeSchema,
  from: daySchema,
  to: daySchema,
} as const;
