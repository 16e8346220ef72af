// Account pages: sign up / in, password reset, email confirmation, the account page (watchlists, channels, API tokens), alert
// history with delivery status and dead letters, and the admin's user list. Every form carries the CSRF
// token; no page uses JavaScript.
import { html, type Html, type Renderable } from '../html.ts';
import { page } from './layout.ts';
import { paths } from '../paths.ts';
import { time } from '../format.ts';
import { accountPaths as A } from '../../monitor/links.ts';
import type { User } from '../../monitor/accounts.ts';
import type { ApiTokenInfo } from '../../monitor/accounts.ts';
import type { Channel, Watchlist } from '../../monitor/watchlists.ts';
import type { AlertView, DeliveryView } from '../../monitor/history.ts';
import type { Plan } from '../../monitor/config.ts';

export interface Notice {
  kind: 'ok' | 'error';
  text: string;
  /** A secret shown once (API token, webhook secret, feed link). */
  secret?: string;
}

const csrfField = (token: string) => html`<input type="hidden" name="_csrf" value="${token}">`;

function notice(n: Notice | undefined): Renderable {
  if (!n) return '';
  return html`<div class="${n.kind === 'error' ? 'notice error' : 'notice'}" role="${n.kind === 'error' ? 'alert' : 'status'}"><p>${n.text}</p>${n.secret ? html`<p><code class="secret">${n.secret}</code></p>` : ''}</div>`;
}

function postButton(action: string, csrf: string, label: string): Html {
  return html`<form method="post" action="${action}" class="inline">${csrfField(csrf)}<button type="submit">${label}</button></form>`;
}

function frame(title: string, body: Renderable): string {
  return page({ title, crumbs: [{ label: 'Home', href: paths.home() }, { label: title }], body });
}

export function signInPage(o: { csrf: string; email?: string; notice?: Notice }): string {
  return frame('Sign in', html`<h1>Sign in</h1>${notice(o.notice)}
<form method="post" action="${A.signIn()}" class="stack">${csrfField(o.csrf)}
  <label for="email">Email</label><input id="email" name="email" type="email" autocomplete="username" required maxlength="254" value="${o.email ?? ''}">
  <label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password" required maxlength="200">
  <button type="submit">Sign in</button>
</form>
<p><a href="${A.signUp()}">Create an account</a> · <a href="${A.reset()}">Forgot your password?</a></p>`);
}

export function signUpPage(o: { csrf: string; email?: string; notice?: Notice; open: boolean }): string {
  if (!o.open) return frame('Create an account', html`<h1>Create an account</h1><p>Sign-ups are closed on this server: ask its administrator for an account.</p>`);
  return frame('Create an account', html`<h1>Create an account</h1>${notice(o.notice)}
<form method="post" action="${A.signUp()}" class="stack">${csrfField(o.csrf)}
  <label for="email">Email</label><input id="email" name="email" type="email" autocomplete="email" required maxlength="254" value="${o.email ?? ''}">
  <label for="password">Password (at least 10 characters)</label><input id="password" name="password" type="password" autocomplete="new-password" required minlength="10" maxlength="200">
  <button type="submit">Create account</button>
</form>
<p>Already have one? <a href="${A.signIn()}">Sign in</a></p>`);
}

/** The answer to every accepted sign-up, whether or not the address already had an account (it must not tell). */
export function signUpSentPage(): string {
  return frame('Create an account', html`<h1>Check your mailbox</h1>
<div class="notice" role="status"><p>We sent an email to the address you gave. If you just created your account, follow its link to confirm your address: alerts and digests go to it only once it is confirmed.</p></div>
<p>Then <a href="${A.signIn()}">sign in</a> with your email and password.</p>`);
}

export function resetRequestPage(o: { csrf: string; notice?: Notice }): string {
  return frame('Reset your password', html`<h1>Reset your password</h1>${notice(o.notice)}
<form method="post" action="${A.reset()}" class="stack">${csrfField(o.csrf)}
  <label for="email">Email of your account</label><input id="email" name="email" type="email" required maxlength="254">
  <button type="submit">Email me a link</button>
</form>`);
}

export function resetFormPage(o: { csrf: string; token: string; valid: boolean; notice?: Notice }): string {
  if (!o.valid) return frame('Reset your password', html`<h1>Reset your password</h1><p>This link is invalid, used or expired. <a href="${A.reset()}">Ask for a new one</a>.</p>`);
  return frame('Reset your password', html`<h1>Choose a new password</h1>${notice(o.notice)}
<form method="post" action="${A.resetToken(o.token)}" class="stack">${csrfField(o.csrf)}
  <label for="password">New password (at least 10 characters)</label><input id="password" name="password" type="password" autocomplete="new-password" required minlength="10" maxlength="200">
  <button type="submit">Set password</button>
</form>`);
}

export interface AccountPageData {
  user: User;
  /** False until the owner followed the emailed confirmation (or reset) link: the email channel stays off. */
  emailConfirmed: boolean;
  plan: Plan;
  csrf: string;
  watchlists: Watchlist[];
  channels: Channel[];
  tokens: ApiTokenInfo[];
  platforms: { slug: string; name: string }[];
  /** A platform chosen before arriving (the platform page's monitor button). */
  preselect?: string;
  clauseTypes: { id: string; title: string }[];
  categories: { id: string; title: string }[];
  origin: string;
  notice?: Notice;
}

function watchlistRow(w: Watchlist, csrf: string, origin: string): Html {
  const filters = [...w.categories.map((c) => `category ${c}`), ...w.clauseTypes].join(', ') || 'every clause type';
  return html`<tr>
    <td>${w.name}</td>
    <td>${w.platforms.map((p, i) => html`${i ? ', ' : ''}<a href="${paths.platform(p.slug)}">${p.name}</a>`)}</td>
    <td>${filters}</td><td>${w.minSeverity}</td><td>${w.mode}</td><td>${w.matches}</td>
    <td><a href="${origin}${A.feed(w.feedToken)}">Atom feed</a> (secret link)</td>
    <td>${postButton(A.watchlistDelete(w.id), csrf, 'Delete')}</td>
  </tr>`;
}

export function accountPage(d: AccountPageData): string {
  const canEdit = d.user.role !== 'reader';
  const used = new Set(d.watchlists.flatMap((w) => w.platforms.map((p) => p.slug))).size;
  const body = html`<h1>Your account</h1>${notice(d.notice)}
<p>Signed in as <strong>${d.user.email}</strong> (${d.user.role}), plan <strong>${d.plan.name}</strong>: ${used} of ${d.plan.platforms} monitored platform${d.plan.platforms === 1 ? '' : 's'} used.
 <a href="${A.alerts()}">Alert history and delivery status</a>${d.user.role === 'admin' ? html` · <a href="${A.admin()}">Users (admin)</a>` : ''}</p>
${postButton(A.signOut(), d.csrf, 'Sign out')}
${d.emailConfirmed ? '' : html`<div class="notice error" id="confirm" role="status"><p>Your address <strong>${d.user.email}</strong> is not confirmed: no alert or digest email goes to it until you follow the link we emailed you.</p>${postButton(A.confirmResend(), d.csrf, 'Send the link again')}</div>`}

<h2 id="watchlists">Watchlists</h2>
${d.watchlists.length ? html`<div class="table-scroll"><table><thead><tr><th scope="col">Name</th><th scope="col">Platforms</th><th scope="col">Clause types</th><th scope="col">Minimum severity</th><th scope="col">Alerts</th><th scope="col">Matches</th><th scope="col">Feed</th><th scope="col"></th></tr></thead>
<tbody>${d.watchlists.map((w) => watchlistRow(w, d.csrf, d.origin))}</tbody></table></div>` : html`<p class="empty">No watchlist yet.</p>`}
${canEdit ? html`<h3>New watchlist</h3>
<form method="post" action="${A.watchlists()}" class="stack">${csrfField(d.csrf)}
  <label for="w-name">Name</label><input id="w-name" name="name" required maxlength="100">
  <label for="w-platforms">Platforms (hold Ctrl to choose several)</label>
  <select id="w-platforms" name="platforms" multiple required size="6">${d.platforms.map((p) => (p.slug === d.preselect ? html`<option value="${p.slug}" selected>${p.name}</option>` : html`<option value="${p.slug}">${p.name}</option>`))}</select>
  <label for="w-categories">Categories (none: every category)</label>
  <select id="w-categories" name="categories" multiple size="6">${d.categories.map((c) => html`<option value="${c.id}">${c.title}</option>`)}</select>
  <label for="w-types">Clause types (none: every type in the chosen categories)</label>
  <select id="w-types" name="clauseTypes" multiple size="8">${d.clauseTypes.map((c) => html`<option value="${c.id}">${c.title}</option>`)}</select>
  <label for="w-sev">Minimum severity</label>
  <select id="w-sev" name="minSeverity"><option value="any">any</option><option value="low">low</option><option value="medium" selected>medium</option><option value="high">high</option></select>
  <label for="w-mode">Alerts</label>
  <select id="w-mode" name="mode"><option value="immediate">immediately</option><option value="daily">batched daily</option></select>
  <button type="submit">Create watchlist</button>
</form>` : html`<p>Readers cannot create watchlists.</p>`}

<h2 id="channels">Where alerts go</h2>
<div class="table-scroll"><table><thead><tr><th scope="col">Channel</th><th scope="col">Target</th><th scope="col">State</th><th scope="col">Dead letters</th><th scope="col"></th></tr></thead>
<tbody>${d.channels.map((c) => html`<tr><td>${c.kind}</td><td><code>${c.target}</code></td><td>${c.active ? 'on' : c.kind === 'email' && !d.emailConfirmed ? 'off (address not confirmed)' : 'off'}</td><td>${c.dead ? html`<a href="${A.alerts()}#dead">${c.dead}</a>` : '0'}</td>
<td>${c.kind === 'email' && !d.emailConfirmed ? '' : postButton(A.channelToggle(c.id), d.csrf, c.active ? 'Switch off' : 'Switch on')}${c.kind === 'webhook' ? postButton(A.channelDelete(c.id), d.csrf, 'Remove') : ''}</td></tr>`)}</tbody></table></div>
${canEdit ? html`<form method="post" action="${A.channels()}" class="stack">${csrfField(d.csrf)}
  <label for="c-url">Webhook URL (we POST JSON signed with HMAC-SHA256: header <code>Clausewatch-Signature</code>)</label><input id="c-url" name="url" type="url" required maxlength="500">
  <button type="submit">Add webhook</button>
</form>` : ''}

<h2 id="tokens">API tokens</h2>
${d.tokens.length ? html`<ul>${d.tokens.map((t) => html`<li><code>${t.prefix}…</code> ${t.name}, created ${time(t.createdAt)}${t.lastUsedAt ? html`, last used ${time(t.lastUsedAt)}` : ''} ${postButton(A.tokenRevoke(t.id), d.csrf, 'Revoke')}</li>`)}</ul>` : html`<p class="empty">No API token.</p>`}
<form method="post" action="${A.tokens()}" class="stack">${csrfField(d.csrf)}
  <label for="t-name">Token name</label><input id="t-name" name="name" required maxlength="80">
  <button type="submit">Create token</button>
</form>
<p>Send it as <code>Authorization: Bearer &lt;token&gt;</code> to <code>/api/v1/me/…</code>.</p>

<h2 id="password">Password</h2>
<form method="post" action="${A.password()}" class="stack">${csrfField(d.csrf)}
  <label for="p-current">Current password</label><input id="p-current" name="current" type="password" autocomplete="current-password" required maxlength="200">
  <label for="p-new">New password (at least 10 characters; other browsers are signed out)</label><input id="p-new" name="password" type="password" autocomplete="new-password" required minlength="10" maxlength="200">
  <button type="submit">Change password</button>
</form>`;
  return page({ title: 'Your account', crumbs: [{ label: 'Home', href: paths.home() }, { label: 'Account' }], body });
}

function deliveryCell(d: DeliveryView): Html {
  return html`<li>${d.channel.kind} <code>${d.channel.target}</code>: <strong>${d.status}</strong>${d.attempts ? `, ${d.attempts} attempt${d.attempts === 1 ? '' : 's'}` : ''}${d.sentAt ? html`, sent ${time(d.sentAt)}` : ''}${d.lastError ? html` (${d.lastError})` : ''}</li>`;
}

export function alertsPage(o: { csrf: string; alerts: AlertView[]; dead: (DeliveryView & { summary: string })[]; next?: number; notice?: Notice }): string {
  const body = html`<h1>Alert history</h1>${notice(o.notice)}
${o.alerts.length ? html`<div class="table-scroll"><table><thead><tr><th scope="col">Detected</th><th scope="col">Watchlist</th><th scope="col">Change</th><th scope="col">Severity</th><th scope="col">Deliveries</th></tr></thead>
<tbody>${o.alerts.map((a) => html`<tr>
  <td>${time(a.detectedAt)}</td><td>${a.watchlist.name}</td>
  <td><a href="${paths.platform(a.platform.slug)}">${a.platform.name}</a>, ${a.document.name}: ${a.summary}
   (<a href="${a.previousVersionId ? paths.diff(a.platform.slug, a.document.key, a.previousVersionId, a.versionId) : paths.version(a.versionId)}">diff</a>, <a href="${paths.version(a.versionId)}">${a.version}</a>)</td>
  <td>${a.severity}</td><td><ul class="plain">${a.deliveries.map(deliveryCell)}</ul></td></tr>`)}</tbody></table></div>
${o.next ? html`<p><a href="${paths.withQuery(A.alerts(), { before: o.next })}">Older alerts</a></p>` : ''}` : html`<p class="empty">No alert yet: alerts appear here when a material change matches one of your watchlists.</p>`}
<h2 id="dead">Dead letters</h2>
${o.dead.length ? html`<p>Deliveries that failed every attempt. Retry once the receiver is fixed.</p><ul>${o.dead.map((d) => html`<li>${d.summary} → ${d.channel.kind} <code>${d.channel.target}</code>, ${d.attempts} attempts, last error: ${d.lastError ?? '?'} ${postButton(A.deliveryRetry(d.id), o.csrf, 'Retry')}</li>`)}</ul>` : html`<p class="empty">None.</p>`}
<p><a href="${A.account()}">Back to your account</a></p>`;
  return page({ title: 'Alert history', crumbs: [{ label: 'Home', href: paths.home() }, { label: 'Account', href: A.account() }, { label: 'Alerts' }], body });
}

export function adminPage(o: { csrf: string; users: (User & { watchlists: number; disabled: boolean })[]; plans: string[]; notice?: Notice }): string {
  const body = html`<h1>Users</h1>${notice(o.notice)}
<div class="table-scroll"><table><thead><tr><th scope="col">Email</th><th scope="col">Watchlists</th><th scope="col">Created</th><th scope="col">Role and plan</th></tr></thead>
<tbody>${o.users.map((u) => html`<tr><td>${u.email}${u.disabled ? ' (disabled)' : ''}</td><td>${u.watchlists}</td><td>${time(u.createdAt)}</td>
<td><form method="post" action="${A.adminUser(u.id)}" class="inline">${csrfField(o.csrf)}
  <label class="visually-hidden" for="role-${u.id}">Role</label><select id="role-${u.id}" name="role">${['reader', 'analyst', 'admin'].map((r) => html`<option value="${r}"${r === u.role ? html` selected` : ''}>${r}</option>`)}</select>
  <label class="visually-hidden" for="plan-${u.id}">Plan</label><select id="plan-${u.id}" name="plan">${o.plans.map((p) => html`<option value="${p}"${p === u.plan ? html` selected` : ''}>${p}</option>`)}</select>
  <button type="submit">Save</button></form></td></tr>`)}</tbody></table></div>`;
  return page({ title: 'Users', crumbs: [{ label: 'Home', href: paths.home() }, { label: 'Account', href: A.account() }, { label: 'Users' }], body });
}

export function unsubscribePage(o: { token: string; done?: string; valid: boolean }): string {
  if (o.done) return frame('Unsubscribed', html`<h1>Unsubscribed</h1><p>No more alert or digest emails will be sent to ${o.done}. You can switch them on again on <a href="${A.account()}">your account page</a>.</p>`);
  if (!o.valid) return frame('Unsubscribe', html`<h1>Unsubscribe</h1><p>This unsubscribe link is not valid.</p>`);
  return frame('Unsubscribe', html`<h1>Unsubscribe</h1><form method="post" action="${A.unsubscribe(o.token)}"><button type="submit">Stop alert and digest emails</button></form>`);
}

/** The confirmation link: a button that POSTs, so mail scanners following links do not confirm an address. */
export function confirmPage(o: { token: string; valid: boolean; done?: string }): string {
  if (o.done) return frame('Address confirmed', html`<h1>Address confirmed</h1><div class="notice" role="status"><p>${o.done} is confirmed: alerts and digests of your watchlists go to it from now on.</p></div><p><a href="${A.account()}">Your account</a></p>`);
  if (!o.valid) return frame('Confirm your address', html`<h1>Confirm your address</h1><p>This link is invalid, used or expired. <a href="${A.signIn()}">Sign in</a> to have a new one sent from your account page.</p>`);
  return frame('Confirm your address', html`<h1>Confirm your address</h1><form method="post" action="${A.confirmToken(o.token)}"><button type="submit">Confirm my email address</button></form>`);
}
