// Dates written in the ways legal documents write them, parsed so that a format flip is not a change.

const MONTHS: Record<string, number> = {
  january: 1, jan: 1, february: 2, feb: 2, march: 3, mar: 3, april: 4, apr: 4, may: 5, june: 6, jun: 6,
  july: 7, jul: 7, august: 8, aug: 8, september: 9, sept: 9, sep: 9, october: 10, oct: 10, november: 11, nov: 11,
  december: 12, dec: 12,
  janvier: 1, février: 2, fevrier: 2, mars: 3, avril: 4, mai: 5, juin: 6, juillet: 7, août: 8, aout: 8,
  septembre: 9, octobre: 10, novembre: 11, décembre: 12, decembre: 12,
};
const MONTH = `(${Object.keys(MONTHS).sort((a, b) => b.length - a.length).join('|')})\\.?`;
const DAY = `(\\d{1,2})(?:st|nd|rd|th|er)?`;
const YEAR = `(\\d{4})`;

export interface FoundDate {
  start: number;
  end: number;
  /** Possible ISO dates: two for ambiguous numeric dates such as 11/04/2024 (US and day-first readings). */
  candidates: string[];
}

const iso = (y: number, m: number, d?: number): string | null => {
  if (m < 1 || m > 12) return null;
  if (d === undefined) return `${y}-${String(m).padStart(2, '0')}`;
  if (d < 1 || d > 31) return null;
  return `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
};

type Parser = { re: RegExp; parse: (m: RegExpExecArray) => (string | null)[] };
const PARSERS: Parser[] = [
  { re: new RegExp(`\\b${MONTH}\\s+${DAY},?\\s+${YEAR}\\b`, 'giu'), parse: (m) => [iso(+m[3]!, MONTHS[m[1]!.toLowerCase()]!, +m[2]!)] },
  { re: new RegExp(`\\b${DAY}\\s+(?:of\\s+)?${MONTH},?\\s+${YEAR}\\b`, 'giu'), parse: (m) => [iso(+m[3]!, MONTHS[m[2]!.toLowerCase()]!, +m[1]!)] },
  { re: /\b(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})\b/g, parse: (m) => [iso(+m[1]!, +m[2]!, +m[3]!)] },
  { re: /(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日/g, parse: (m) => [iso(+m[1]!, +m[2]!, +m[3]!)] },
  { re: /\b(\d{1,2})([/.-])(\d{1,2})\2(\d{4})\b/g, parse: (m) => [iso(+m[4]!, +m[1]!, +m[3]!), iso(+m[4]!, +m[3]!, +m[1]!)] },
  { re: new RegExp(`\\b${MONTH},?\\s+${YEAR}\\b`, 'giu'), parse: (m) => [iso(+m[2]!, MONTHS[m[1]!.toLowerCase()]!)] },
];

/** All dates in a text, left to right, without overlaps (earlier parsers win). */
export function findDates(text: string): FoundDate[] {
  const found: FoundDate[] = [];
  for (const p of PARSERS) {
    p.re.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = p.re.exec(text))) {
      const start = m.index;
      const end = start + m[0].length;
      if (found.some((f) => start < f.end && end > f.start)) continue;
      const candidates = [...new Set(p.parse(m).filter((c): c is string => c !== null))];
      if (candidates.length) found.push({ start, end, candidates });
    }
  }
  return found.sort((a, b) => a.start - b.start);
}

export const DATE_PLACEHOLDER = '\u27e8date\u27e9';

/** Text with each date replaced by a placeholder, and the dates in order. */
export function maskDates(text: string): { masked: string; dates: FoundDate[] } {
  const dates = findDates(text);
  let masked = '';
  let at = 0;
  for (const d of dates) {
    masked += text.slice(at, d.start) + DATE_PLACEHOLDER;
    at = d.end;
  }
  return { masked: masked + text.slice(at), dates };
}

/** Same dates, read in any compatible way ("11/04/2024" and "4 November 2024" agree). */
export function sameDates(a: FoundDate[], b: FoundDate[]): boolean {
  return a.length === b.length && a.every((d, i) => d.candidates.some((c) => b[i]!.candidates.includes(c)));
}
