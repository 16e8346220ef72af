// Sending email through SMTP with nodemailer: one transport per process, pooled connections.
import nodemailer from 'nodemailer';
import type { MonitorConfig } from './config.ts';
import type { RenderedMail } from './render.ts';

export interface OutgoingMail extends RenderedMail {
  to: string;
  /** One-click unsubscribe URL (RFC 8058): sent as List-Unsubscribe with List-Unsubscribe-Post. */
  unsubscribeUrl?: string;
  /** Deterministic per delivery, so a receiver can recognise a duplicate. */
  messageId?: string;
}

export interface Mailer {
  send(mail: OutgoingMail): Promise<void>;
  close(): void;
}

export class MailNotConfigured extends Error {
  constructor() {
    super('email is not configured: set CLAUSEWATCH_SMTP_URL (e.g. smtp://user:pass@mail.example:587)');
  }
}

export function createMailer(cfg: MonitorConfig): Mailer {
  if (!cfg.smtpUrl) {
    return {
      send: async () => {
        throw new MailNotConfigured();
      },
      close: () => undefined,
    };
  }
  // Pooled connections (several channels are served at once), unless the URL says otherwise.
  const url = new URL(cfg.smtpUrl);
  if (!url.searchParams.has('pool')) url.searchParams.set('pool', 'true');
  if (!url.searchParams.has('maxConnections')) url.searchParams.set('maxConnections', String(Math.max(1, cfg.concurrency)));
  const transport = nodemailer.createTransport(url.href, {});
  // Shorter than a delivery's lease: a stalled server fails the attempt before another sender may retry it.
  const timeout = Math.max(1000, Math.min(60_000, (cfg.leaseSeconds * 1000) / 3));
  Object.assign(transport.options, { connectionTimeout: timeout, greetingTimeout: timeout, socketTimeout: timeout });
  return {
    async send(m) {
      await transport.sendMail({
        from: cfg.mailFrom,
        to: m.to,
        subject: m.subject,
        text: m.text,
        html: m.html,
        messageId: m.messageId,
        ...(m.unsubscribeUrl ? { list: { unsubscribe: { url: m.unsubscribeUrl, comment: 'Unsubscribe' } } } : {}),
        headers: m.unsubscribeUrl ? { 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' } : {},
      });
    },
    close: () => transport.close(),
  };
}
