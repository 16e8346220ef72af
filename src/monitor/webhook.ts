// Webhook delivery: a JSON POST signed with HMAC-SHA256 over "<timestamp>.<body>" with the channel's secret.
// The receiver recomputes it and rejects old timestamps (replays). Private addresses are refused unless
// CLAUSEWATCH_ALLOW_PRIVATE=1, as for fetching: a webhook URL must not become a way into our network.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { Agent, request } from 'undici';
import { assertLiteralAllowed, BlockedAddressError, createAddressPolicy, guardedLookup } from '../fetch/address-guard.ts';

export const SIGNATURE_HEADER = 'clausewatch-signature';
export const TIMESTAMP_HEADER = 'clausewatch-timestamp';
export const DELIVERY_HEADER = 'clausewatch-delivery';

export function signWebhook(secret: string, timestamp: number, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** For receivers (and tests): true when the signature matches and the timestamp is within `toleranceS`. */
export function verifyWebhook(secret: string, headers: { signature?: string; timestamp?: string }, body: string, toleranceS = 300, now = Date.now()): boolean {
  const t = Number(headers.timestamp);
  if (!Number.isInteger(t) || Math.abs(now / 1000 - t) > toleranceS || !headers.signature) return false;
  const expected = signWebhook(secret, t, body);
  const a = Buffer.from(expected);
  const b = Buffer.from(headers.signature);
  return a.length === b.length && timingSafeEqual(a, b);
}

export class WebhookSender {
  private agent: Agent;
  private policy;
  constructor(private opts: { timeoutMs: number; allowPrivate: boolean }) {
    this.policy = createAddressPolicy(opts.allowPrivate);
    this.agent = new Agent({ connect: { lookup: guardedLookup(this.policy), timeout: opts.timeoutMs } });
  }

  /** Throws with a short reason unless the receiver answers 2xx. */
  async post(url: string, secret: string, deliveryId: string, body: string): Promise<number> {
    const u = new URL(url);
    const t = Math.floor(Date.now() / 1000);
    let res;
    try {
      assertLiteralAllowed(this.policy, u.hostname);
      res = await request(url, {
        method: 'POST',
        dispatcher: this.agent,
        headers: { 'content-type': 'application/json', 'user-agent': 'Clausewatch-Webhook/1', [SIGNATURE_HEADER]: signWebhook(secret, t, body), [TIMESTAMP_HEADER]: String(t), [DELIVERY_HEADER]: deliveryId },
        body,
        headersTimeout: this.opts.timeoutMs,
        bodyTimeout: this.opts.timeoutMs,
        maxRedirections: 0,
      } as Parameters<typeof request>[1]);
    } catch (err) {
      // The reason is shown to the user: never say which internal address a name resolved to.
      if (isBlocked(err)) throw new Error('destination not allowed (a private, loopback or link-local address)');
      throw err;
    }
    await res.body.dump();
    if (res.statusCode < 200 || res.statusCode >= 300) throw new Error(`HTTP ${res.statusCode}`);
    return res.statusCode;
  }

  close(): Promise<void> {
    return this.agent.close();
  }
}

/** undici wraps errors of the connect-time lookup; the guard's refusal may sit in `cause`. */
function isBlocked(err: unknown): boolean {
  for (let e = err, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) if (e instanceof BlockedAddressError) return true;
  return false;
}
