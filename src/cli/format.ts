// Plain-text output helpers for the terminal.
export function table(rows: (string | number)[][], header: string[]): string {
  const all = [header, ...rows.map((r) => r.map(String))];
  const widths = header.map((_, i) => Math.max(...all.map((r) => String(r[i] ?? '').length)));
  return all.map((r) => r.map((c, i) => String(c).padEnd(widths[i]!)).join('  ').trimEnd()).join('\n');
}

export function isoDate(d: Date | string | null | undefined): string {
  if (!d) return '-';
  return new Date(d).toISOString().replace('.000Z', 'Z');
}

export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value, null, 2) + '\n');
}

const useColour = process.stdout.isTTY && !process.env.NO_COLOR;
export const colour = {
  green: (s: string) => (useColour ? `\x1b[32m${s}\x1b[39m` : s),
  red: (s: string) => (useColour ? `\x1b[31m${s}\x1b[39m` : s),
  dim: (s: string) => (useColour ? `\x1b[2m${s}\x1b[22m` : s),
};
