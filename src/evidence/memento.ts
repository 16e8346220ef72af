// Memento (RFC 7089) for documents: the versions of a document are its mementos, the page it was
// fetched from is the original resource. A TimeMap lists them (application/link-format); a TimeGate
// picks the version in force at a requested date (Accept-Datetime) and redirects to it. Pure
// functions: the web server supplies the URIs and turns the results into responses.

export interface Memento {
  uri: string;
  datetime: Date;
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** RFC 7231 IMF-fixdate, the only form RFC 7089 uses: "Tue, 20 Jun 2000 18:02:59 GMT". */
export function httpDate(d: Date): string {
  return d.toUTCString();
}

/** Parses an Accept-Datetime / Memento-Datetime value (IMF-fixdate, strictly, as RFC 7089 §2.1.1 requires). */
export function parseHttpDate(value: string): Date | undefined {
  const m = /^\s*(Sun|Mon|Tue|Wed|Thu|Fri|Sat), (\d{2}) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) (\d{4}) (\d{2}):(\d{2}):(\d{2}) GMT\s*$/.exec(value);
  if (!m) return undefined;
  const d = new Date(Date.UTC(+m[4]!, MONTHS.indexOf(m[3]!), +m[2]!, +m[5]!, +m[6]!, +m[7]!));
  if (Number.isNaN(d.getTime()) || d.getUTCDate() !== +m[2]! || DAYS[d.getUTCDay()] !== m[1] || +m[5]! > 23 || +m[6]! > 59 || +m[7]! > 59) return undefined;
  return d;
}

function sorted(mementos: readonly Memento[]): Memento[] {
  return [...mementos].sort((a, b) => a.datetime.getTime() - b.datetime.getTime());
}

/** Link-format URIs may not contain '>' or spaces unescaped. */
function target(uri: string): string {
  // Anything outside printable ASCII is percent-encoded too: a header value must be Latin-1, and a URI is ASCII.
  return `<${uri.replace(/[<>\s\u{7f}-\u{10ffff}]/gu, encodeChar)}>`;
}

function encodeChar(c: string): string {
  try {
    return encodeURIComponent(c);
  } catch {
    return '%EF%BF%BD'; // a lone surrogate: U+FFFD, as a URL parser would
  }
}

function relOf(i: number, n: number): string {
  if (n === 1) return 'first last memento';
  if (i === 0) return 'first memento';
  if (i === n - 1) return 'last memento';
  return 'memento';
}

/** The TimeMap of RFC 7089 §5.1: original, self (with from/until), timegate, then every memento. */
export function timeMap(input: { original: string; self: string; timegate: string; mementos: readonly Memento[] }): string {
  const list = sorted(input.mementos);
  const links: string[] = [`${target(input.original)};rel="original"`];
  const range = list.length ? `;from="${httpDate(list[0]!.datetime)}";until="${httpDate(list[list.length - 1]!.datetime)}"` : '';
  links.push(`${target(input.self)};rel="self";type="application/link-format"${range}`);
  links.push(`${target(input.timegate)};rel="timegate"`);
  list.forEach((m, i) => links.push(`${target(m.uri)};rel="${relOf(i, list.length)}";datetime="${httpDate(m.datetime)}"`));
  return `${links.join(',\n')}\n`;
}

/**
 * The memento in force at a date: the latest one at or before it; the first one when the date
 * precedes them all. Undefined only when there are no mementos.
 */
export function selectMemento(mementos: readonly Memento[], at: Date): { memento: Memento; index: number; list: Memento[] } | undefined {
  const list = sorted(mementos);
  if (list.length === 0) return undefined;
  let index = 0;
  for (let i = 0; i < list.length; i++) if (list[i]!.datetime.getTime() <= at.getTime()) index = i;
  return { memento: list[index]!, index, list };
}

export interface TimeGateAnswer {
  status: 302 | 400 | 404;
  headers: Record<string, string>;
  /** Why the gate could not redirect (400, 404). */
  reason?: string;
}

/**
 * The TimeGate answer of RFC 7089 §4.1 (pattern 2.2: a gate separate from the original): 302 to
 * the selected memento with Vary and Link headers; without Accept-Datetime, the latest memento.
 */
export function timeGate(input: { original: string; timemap: string; mementos: readonly Memento[]; acceptDatetime?: string; now?: Date }): TimeGateAnswer {
  const vary = { vary: 'accept-datetime' };
  const base = `${target(input.original)};rel="original",${target(input.timemap)};rel="timemap";type="application/link-format"`;
  let at = input.now ?? new Date();
  if (input.acceptDatetime !== undefined) {
    const parsed = parseHttpDate(input.acceptDatetime);
    if (!parsed) return { status: 400, headers: { ...vary, link: base }, reason: `Accept-Datetime "${input.acceptDatetime.slice(0, 60)}" is not an HTTP date like "${httpDate(new Date(0))}"` };
    at = parsed;
  }
  const chosen = selectMemento(input.mementos, at);
  if (!chosen) return { status: 404, headers: { ...vary, link: base }, reason: 'the document has no recorded version' };
  const { list, index } = chosen;
  const links = [base];
  const add = (i: number, rel: string) => links.push(`${target(list[i]!.uri)};rel="${rel}";datetime="${httpDate(list[i]!.datetime)}"`);
  // The selected memento and its neighbours, so a client can navigate without the TimeMap.
  const rels = new Map<number, string[]>();
  const tag = (i: number, r: string) => rels.set(i, [...(rels.get(i) ?? []), r]);
  tag(0, 'first');
  tag(list.length - 1, 'last');
  if (index > 0) tag(index - 1, 'prev');
  if (index < list.length - 1) tag(index + 1, 'next');
  for (const [i, r] of [...rels.entries()].sort((a, b) => a[0] - b[0])) add(i, `${r.join(' ')} memento`);
  if (!rels.has(index)) add(index, 'memento');
  return { status: 302, headers: { ...vary, location: list[index]!.uri, link: links.join(',') } };
}

/** Headers of a memento itself (RFC 7089 §2.1): its datetime and the links back. */
export function mementoHeaders(input: { datetime: Date; original: string; timegate: string; timemap: string }): Record<string, string> {
  return {
    'memento-datetime': httpDate(input.datetime),
    link: `${target(input.original)};rel="original",${target(input.timegate)};rel="timegate",${target(input.timemap)};rel="timemap";type="application/link-format"`,
  };
}
