// Value checks that JSON Schema cannot express well: URLs, dates.
import type { DeclarationIssue } from './errors.ts';

/** Why a URL is refused, or undefined. `httpsOnly` for homepages. */
export function urlProblem(value: string, httpsOnly = false): string | undefined {
  if (/\s/.test(value)) return `URL "${value}" contains whitespace`;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `"${value}" is not an absolute URL`;
  }
  const allowed = httpsOnly ? ['https:'] : ['http:', 'https:'];
  if (!allowed.includes(url.protocol)) {
    return `URL "${value}" must use ${httpsOnly ? 'https' : 'http or https'}, not ${url.protocol.replace(':', '')}`;
  }
  if (url.username || url.password) return `URL "${value}" must not carry credentials`;
  if (!url.hostname.includes('.') && url.hostname !== 'localhost') return `URL "${value}" has no proper host name`;
  return undefined;
}

export function checkUrl(value: unknown, path: string, issues: DeclarationIssue[], httpsOnly = false): void {
  if (typeof value !== 'string') return;
  const problem = urlProblem(value, httpsOnly);
  if (problem) issues.push({ path, reason: problem });
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?$/;

/**
 * Parses an ISO 8601 date (`2024-05-31`, read as 00:00 UTC) or date-time with an explicit offset.
 * A date-time without offset is refused: which day it means would depend on the machine.
 */
export function parseIsoDate(value: string): Date | undefined {
  const m = ISO_DATE.exec(value);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s] = m;
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return undefined;
  // Date() rolls 2024-02-30 over to March; refuse instead.
  const probe = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
  if (probe.getUTCMonth() !== Number(mo) - 1 || probe.getUTCDate() !== Number(d)) return undefined;
  if ((h && Number(h) > 23) || (mi && Number(mi) > 59) || (s && Number(s) > 59)) return undefined;
  return date;
}
