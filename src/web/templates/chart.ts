// Change activity as an inline SVG bar chart (one bar per month), with the same figures as a table for
// screen readers and anyone who prefers numbers. No script, no inline styles (the CSP forbids both).
import { html, type Html } from '../html.ts';
import type { ActivityMonth } from '../read/platforms.ts';

function monthsBetween(first: string, last: string): string[] {
  const out: string[] = [];
  let [y, m] = first.split('-').map(Number) as [number, number];
  const [ly, lm] = last.split('-').map(Number) as [number, number];
  while (y < ly || (y === ly && m <= lm)) {
    out.push(`${y}-${String(m).padStart(2, '0')}`);
    m++;
    if (m > 12) {
      m = 1;
      y++;
    }
  }
  return out;
}

export function activityChart(activity: ActivityMonth[], span: { first: Date | null; last: Date | null }, id: string): Html {
  if (!span.first || !span.last) return html`<p class="empty">Not tracked yet.</p>`;
  const first = span.first.toISOString().slice(0, 7);
  const last = span.last.toISOString().slice(0, 7);
  const months = monthsBetween(first < (activity[0]?.month ?? first) ? first : (activity[0]?.month ?? first), last);
  const counts = new Map(activity.map((a) => [a.month, a.changes]));
  const max = Math.max(1, ...activity.map((a) => a.changes));
  const total = activity.reduce((s, a) => s + a.changes, 0);
  const W = 720;
  const H = 150;
  const top = 10;
  const bottom = 24;
  const left = 28;
  const plotH = H - top - bottom;
  const step = (W - left - 4) / Math.max(1, months.length);
  const barW = Math.max(1, step * 0.8);
  const years = months.filter((m, i) => i === 0 || m.endsWith('-01'));
  const yearStep = Math.ceil(years.length / 10);
  return html`<figure class="chart">
  <svg viewBox="0 0 ${W} ${H}" role="img" aria-labelledby="${id}-t ${id}-d" class="activity">
    <title id="${id}-t">Changes per month</title>
    <desc id="${id}-d">${total} changes from ${first} to ${last}; the busiest month had ${max === 1 && !total ? 0 : max}.</desc>
    <line x1="${left}" y1="${H - bottom}" x2="${W}" y2="${H - bottom}" class="axis"/>
    <text x="${left - 4}" y="${top + 8}" class="label" text-anchor="end">${max}</text>
    <text x="${left - 4}" y="${H - bottom}" class="label" text-anchor="end">0</text>
    ${months.map((m, i) => {
      const n = counts.get(m) ?? 0;
      if (!n) return '';
      const h = Math.max(2, (n / max) * plotH);
      const x = left + i * step + (step - barW) / 2;
      return html`<rect x="${x.toFixed(1)}" y="${(H - bottom - h).toFixed(1)}" width="${barW.toFixed(1)}" height="${h.toFixed(1)}" class="bar"><title>${m}: ${n} ${n === 1 ? 'change' : 'changes'}</title></rect>`;
    })}
    ${years.filter((_, i) => i % yearStep === 0).map((m) => {
      const i = months.indexOf(m);
      return html`<text x="${(left + i * step).toFixed(1)}" y="${H - 6}" class="label">${m.endsWith('-01') ? m.slice(0, 4) : m}</text>`;
    })}
  </svg>
  <figcaption>
    <details><summary>Changes per month, as a table</summary>
    ${activity.length
      ? html`<table class="compact"><thead><tr><th scope="col">Month</th><th scope="col">Changes</th></tr></thead>
        <tbody>${activity.map((a) => html`<tr><td>${a.month}</td><td>${a.changes}</td></tr>`)}</tbody></table>`
      : html`<p>No changes in this period.</p>`}
    </details>
  </figcaption>
</figure>`;
}
