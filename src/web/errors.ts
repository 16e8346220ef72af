// HTTP errors with a message a reader can act on: what was wrong, and where (path, query string).
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** e.g. "query parameter from", "path segment version". */
    readonly where?: string,
    readonly code = status === 404 ? 'not-found' : status === 400 ? 'bad-request' : 'error',
  ) {
    super(message);
  }
}

export const notFound = (what: string) => new HttpError(404, what);
export const badRequest = (message: string, where?: string) => new HttpError(400, message, where, 'bad-parameter');

interface AjvError {
  instancePath: string;
  keyword: string;
  message?: string;
  params: Record<string, unknown>;
  parentSchema?: { description?: string };
}

const CONTEXT: Record<string, string> = { querystring: 'query parameter', params: 'path segment', headers: 'header', body: 'body field' };

/** Turns a schema validation failure into one clear sentence and its location. */
export function describeValidation(errors: AjvError[], context: string | undefined): { message: string; where: string } {
  const e = errors[0];
  const kind = CONTEXT[context ?? ''] ?? context ?? 'request';
  if (!e) return { message: 'invalid request', where: kind };
  if (e.keyword === 'additionalProperties') {
    const name = String(e.params.additionalProperty);
    return { message: `unknown ${kind} "${name}"`, where: `${kind} ${name}` };
  }
  if (e.keyword === 'required') {
    const name = String(e.params.missingProperty);
    return { message: `missing ${kind} "${name}"`, where: `${kind} ${name}` };
  }
  const name = e.instancePath.replace(/^\//, '').replace(/\//g, '.') || '(all)';
  const hint = e.parentSchema?.description ? ` (${e.parentSchema.description})` : '';
  const expected = e.keyword === 'pattern' || e.keyword === 'format' ? `is not valid${hint}` : `${e.message ?? 'is invalid'}${hint}`;
  return { message: `${kind} "${name}" ${expected}`, where: `${kind} ${name}` };
}
