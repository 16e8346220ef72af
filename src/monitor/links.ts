// Paths of the account pages, and absolute links put in emails: the account page, one-click unsubscribe,
// password-reset and email-confirmation links.
import type { MonitorConfig } from './config.ts';

export const accountPaths = {
  account: () => '/account',
  signIn: () => '/account/sign-in',
  signUp: () => '/account/sign-up',
  signOut: () => '/account/sign-out',
  reset: () => '/account/reset',
  password: () => '/account/password',
  resetToken: (token: string) => `/account/reset/${encodeURIComponent(token)}`,
  confirmResend: () => '/account/confirm',
  confirmToken: (token: string) => `/account/confirm/${encodeURIComponent(token)}`,
  watchlists: () => '/account/watchlists',
  watchlist: (id: number) => `/account/watchlists/${id}`,
  watchlistDelete: (id: number) => `/account/watchlists/${id}/delete`,
  channels: () => '/account/channels',
  channelToggle: (id: number) => `/account/channels/${id}/toggle`,
  channelDelete: (id: number) => `/account/channels/${id}/delete`,
  tokens: () => '/account/tokens',
  tokenRevoke: (id: number) => `/account/tokens/${id}/revoke`,
  alerts: () => '/account/alerts',
  deliveryRetry: (id: number) => `/account/deliveries/${id}/retry`,
  admin: () => '/account/admin',
  adminUser: (id: number) => `/account/admin/users/${id}`,
  unsubscribe: (token: string) => `/unsubscribe/${encodeURIComponent(token)}`,
  feed: (token: string) => `/feeds/watchlists/${encodeURIComponent(token)}.atom`,
};

export function accountLinks(cfg: MonitorConfig, unsubscribeToken: string | null): { unsubscribe: string; settings: string } {
  return {
    unsubscribe: `${cfg.publicUrl}${unsubscribeToken ? accountPaths.unsubscribe(unsubscribeToken) : accountPaths.account()}`,
    settings: `${cfg.publicUrl}${accountPaths.account()}`,
  };
}
