// The account emails that go to an address whether or not it is confirmed: the password-reset link, the
// email-confirmation link, and the note to an account's owner that someone tried to sign up with their
// address. The HTML part goes through the auto-escaping template.
import { html } from '../web/html.ts';
import type { MonitorConfig } from './config.ts';
import type { RenderedMail } from './render.ts';
import { accountPaths as A } from './links.ts';

export function resetMail(cfg: MonitorConfig, token: string): RenderedMail {
  const link = `${cfg.publicUrl}${A.resetToken(token)}`;
  return {
    subject: '[Clausewatch] Reset your password',
    text: `Someone (hopefully you) asked to reset the password of your Clausewatch account.\n\nChoose a new password within an hour: ${link}\n\nIf it was not you, ignore this email: your password stays as it is.\n`,
    html: String(html`<p>Someone (hopefully you) asked to reset the password of your Clausewatch account.</p><p><a href="${link}">Choose a new password</a> within an hour.</p><p>If it was not you, ignore this email.</p>`),
  };
}

export function confirmMail(cfg: MonitorConfig, token: string, hours: number): RenderedMail {
  const link = `${cfg.publicUrl}${A.confirmToken(token)}`;
  return {
    subject: '[Clausewatch] Confirm your email address',
    text: `Someone (hopefully you) created a Clausewatch account with this address.\n\nConfirm it within ${hours} hours to receive alerts and digests: ${link}\n\nIf it was not you, ignore this email: nothing will be sent to this address.\n`,
    html: String(html`<p>Someone (hopefully you) created a Clausewatch account with this address.</p><p><a href="${link}">Confirm your address</a> within ${hours} hours to receive alerts and digests.</p><p>If it was not you, ignore this email: nothing will be sent to this address.</p>`),
  };
}

export function signUpAttemptMail(cfg: MonitorConfig): RenderedMail {
  const link = `${cfg.publicUrl}${A.reset()}`;
  return {
    subject: '[Clausewatch] Someone tried to sign up with your address',
    text: `Someone (maybe you) tried to create a Clausewatch account with this address, which already has one. Nothing was changed.\n\nIf you forgot your password, reset it here: ${link}\n\nIf it was not you, ignore this email.\n`,
    html: String(html`<p>Someone (maybe you) tried to create a Clausewatch account with this address, which already has one. Nothing was changed.</p><p>If you forgot your password, <a href="${link}">reset it here</a>.</p><p>If it was not you, ignore this email.</p>`),
  };
}
