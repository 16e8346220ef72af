// Alert and digest messages: a text part, an HTML part (through the auto-escaping template: document text
// is untrusted) and the webhook's JSON body. Long provision texts are cut, with the link to the full record.
import { html, join, type Html } from '../web/html.ts';
import { byPlatform, type Alert } from './content.ts';

const MAX_TEXT = 1200;
const cut = (s: string | null) => (s === null ? null : s.length > MAX_TEXT ? `${s.slice(0, MAX_TEXT)}…` : s);
const day = (d: Date) => d.toISOString().slice(0, 10);

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

function alertText(a: Alert): string {
  const lines = [
    `${a.platform.name} — ${a.document.name}: ${a.summary}`,
    `Severity: ${a.severity}. Clause types: ${a.types.map((t) => t.title).join(', ') || 'none'}.`,
    `Version ${a.version} recorded ${day(a.recordedAt)}${a.previousVersion ? ` (compared with ${a.previousVersion})` : ''}. Watchlist: ${a.watchlist.name}.`,
    `Diff: ${a.diffUrl}`,
  ];
  for (const c of a.changes) {
    lines.push('', `* ${c.kind} provision ${c.provision}${c.section.length ? ` (${c.section.join(' › ')})` : ''}: ${c.summary}`, `  Record: ${c.url}`);
    if (c.before !== null) lines.push(`  Before: ${cut(c.before)}`);
    if (c.after !== null) lines.push(`  After: ${cut(c.after)}`);
  }
  return lines.join('\n');
}

function alertHtml(a: Alert): Html {
  return html`<section style="margin:1em 0;padding-top:.5em;border-top:1px solid #ccc">
<h3 style="margin:.2em 0">${a.platform.name} — ${a.document.name}</h3>
<p><strong>${a.summary}</strong></p>
<p>Severity: <strong>${a.severity}</strong>. Clause types: ${a.types.map((t) => t.title).join(', ') || 'none'}.<br>
Version <a href="${a.versionUrl}">${a.version}</a> recorded ${day(a.recordedAt)}. Watchlist: ${a.watchlist.name}. <a href="${a.diffUrl}">See the diff</a></p>
${a.changes.map((c) => html`<div style="margin:.5em 0 .5em 1em">
<p>${c.kind} provision <a href="${c.url}">${c.provision}</a>${c.section.length ? ` (${c.section.join(' › ')})` : ''}: ${c.summary}</p>
${c.before !== null ? html`<p style="color:#8a1c1c"><em>Before:</em> ${cut(c.before)}</p>` : ''}
${c.after !== null ? html`<p style="color:#185c1c"><em>After:</em> ${cut(c.after)}</p>` : ''}
</div>`)}
</section>`;
}

function frame(title: string, body: Html, unsubscribeUrl: string, settingsUrl: string): string {
  return `<!doctype html>\n${html`<html lang="en"><head><meta charset="utf-8"><title>${title}</title></head>
<body style="font-family:sans-serif;max-width:46em">
<h2>${title}</h2>
${body}
<p style="color:#555;font-size:small">You receive this because of your Clausewatch watchlists. <a href="${settingsUrl}">Manage alerts</a> · <a href="${unsubscribeUrl}">Unsubscribe from these emails</a></p>
</body></html>`}`;
}

function footer(unsubscribeUrl: string, settingsUrl: string): string {
  return `\n\n--\nManage alerts: ${settingsUrl}\nUnsubscribe from these emails: ${unsubscribeUrl}\n`;
}

export function alertMail(alerts: Alert[], links: { unsubscribe: string; settings: string }): RenderedMail {
  const first = alerts[0]!;
  const subject =
    alerts.length === 1
      ? `[Clausewatch] ${first.platform.name} ${first.document.name}: ${first.summary}`.slice(0, 200)
      : `[Clausewatch] ${alerts.length} material changes in your watchlists (${[...new Set(alerts.map((a) => a.platform.name))].slice(0, 3).join(', ')})`;
  const text = `Material changes detected by Clausewatch:\n\n${alerts.map(alertText).join('\n\n')}${footer(links.unsubscribe, links.settings)}`;
  const title = alerts.length === 1 ? 'A material change in your watchlist' : `${alerts.length} material changes in your watchlists`;
  return { subject, text, html: frame(title, join(alerts.map(alertHtml)), links.unsubscribe, links.settings) };
}

export function digestMail(alerts: Alert[], week: { start: Date; end: Date }, links: { unsubscribe: string; settings: string }): RenderedMail {
  const range = `${day(week.start)} to ${day(new Date(week.end.getTime() - 86_400_000))}`;
  if (!alerts.length) {
    const line = `No material changes in your watchlists in the week of ${range}.`;
    return { subject: `[Clausewatch] Weekly digest: no material changes (${range})`, text: `${line}${footer(links.unsubscribe, links.settings)}`, html: frame('Weekly digest', html`<p>${line}</p>`, links.unsubscribe, links.settings) };
  }
  const groups = byPlatform(alerts);
  const summary = `${alerts.length} material change${alerts.length === 1 ? '' : 's'} on ${groups.length} platform${groups.length === 1 ? '' : 's'} in the week of ${range}.`;
  const text = `${summary}\n${groups.map((g) => `\n== ${g.platform.name} (${g.alerts.length})\n\n${g.alerts.map(alertText).join('\n\n')}`).join('\n')}${footer(links.unsubscribe, links.settings)}`;
  const body = html`<p>${summary}</p>${groups.map((g) => html`<h2>${g.platform.name} (${g.alerts.length})</h2>${g.alerts.map(alertHtml)}`)}`;
  return { subject: `[Clausewatch] Weekly digest: ${summary}`.slice(0, 200), text, html: frame('Weekly digest', body, links.unsubscribe, links.settings) };
}

export function webhookPayload(deliveryIds: number[], alerts: Alert[]): string {
  return JSON.stringify({
    type: 'clausewatch.material_changes',
    deliveries: deliveryIds,
    alerts: alerts.map((a) => ({
      watchlist: a.watchlist,
      platform: a.platform,
      document: a.document,
      version: a.version,
      previous_version: a.previousVersion,
      recorded_at: a.recordedAt.toISOString(),
      severity: a.severity,
      clause_types: a.types,
      summary: a.summary,
      diff_url: a.diffUrl,
      version_url: a.versionUrl,
      changes: a.changes.map((c) => ({ provision: c.provision, kind: c.kind, section: c.section, clause_types: c.types, summary: c.summary, before: c.before, after: c.after, url: c.url })),
    })),
  });
}
