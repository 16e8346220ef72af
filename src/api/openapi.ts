// The OpenAPI 3.1 document, generated from the route table so that it cannot miss a route or disagree
// with the parameters the server enforces.
import { allApiRoutes, openApiPath, type ApiRoute } from './routes.ts';
import { NAMED, ErrorSchema } from './schemas.ts';
import { monitorOpenApiPaths } from './monitor-routes.ts';

type Schema = Record<string, unknown>;

/** Replaces every registered schema (other than the root being defined) by a $ref to its component. */
function withRefs(value: unknown, root?: object): unknown {
  if (Array.isArray(value)) return value.map((v) => withRefs(v));
  if (value && typeof value === 'object') {
    const name = NAMED.get(value);
    if (name && value !== root) return { $ref: `#/components/schemas/${name}` };
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withRefs(v)]));
  }
  return value;
}

const ERROR_TEXT: Record<number, string> = {
  400: 'a parameter is invalid: the message says which, and where',
  404: 'no such record',
  503: 'temporarily unavailable',
};

function parameters(r: ApiRoute): Schema[] {
  const out: Schema[] = [];
  for (const [name, schema] of Object.entries(r.params ?? {})) {
    const { description, ...s } = schema as Schema & { description?: string };
    out.push({ name, in: 'path', required: true, description, schema: s });
  }
  for (const [name, schema] of Object.entries(r.query ?? {})) {
    const { description, ...s } = schema as Schema & { description?: string };
    out.push({ name, in: 'query', required: false, description, schema: s });
  }
  return out;
}

function operation(r: ApiRoute): Schema {
  const responses: Schema = {
    200: {
      description: r.ok.description,
      headers: { ETag: { description: 'send it back in If-None-Match to get 304 when nothing changed', schema: { type: 'string' } } },
      content: { [r.ok.type]: { schema: withRefs(r.ok.schema ?? { type: 'string', contentMediaType: r.ok.type }) } },
    },
    304: { description: 'not modified since the ETag given in If-None-Match' },
  };
  for (const code of r.errors) {
    responses[code] = { description: ERROR_TEXT[code] ?? 'error', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };
  }
  return {
    operationId: r.operationId,
    summary: r.summary,
    ...(r.description ? { description: r.description } : {}),
    tags: [r.tag],
    parameters: parameters(r),
    responses,
  };
}

export function openApiDocument(): Schema {
  const paths: Schema = {};
  for (const r of allApiRoutes()) paths[openApiPath(r.url)] = { get: operation(r) };
  // Monitoring routes (accounts, watchlists, alerts) describe themselves, methods other than GET included.
  for (const [p, ops] of Object.entries(monitorOpenApiPaths(openApiPath))) paths[p] = { ...((paths[p] as Schema | undefined) ?? {}), ...ops };
  const components: Record<string, unknown> = {};
  for (const [schema, name] of NAMED) components[name] = withRefs(schema, schema);
  components.Error = withRefs(ErrorSchema, ErrorSchema);
  return {
    openapi: '3.1.0',
    info: {
      title: 'Clausewatch API',
      version: '1.0.0',
      summary: 'Every version of platforms\u2019 legal documents, with SHA-256 evidence.',
      description:
        'Read-only JSON over what Clausewatch recorded: platforms, documents, versions (texts), snapshots (raw bytes), captures, diffs, ' +
        'full-text search and the changes feed. Records are named by permanent ids (CW-PL-, CW-D-, CW-V-, CW-S-, CW-C-). ' +
        'Lists are paginated with limit and an opaque cursor (next_cursor), search with page. Every response carries an ETag; ' +
        'If-None-Match answers 304 when nothing changed. Errors are JSON: {"error": {"status", "code", "message", "where"}}.',
      license: { name: 'AGPL-3.0-or-later', identifier: 'AGPL-3.0-or-later' },
    },
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    tags: [...new Set([...allApiRoutes().map((r) => r.tag), 'account'])].map((name) => ({ name })),
    paths,
    components: { schemas: components, securitySchemes: { apiToken: { type: 'http', scheme: 'bearer', description: 'an API token created on /account or with `clausewatch user token`' } } },
  };
}
