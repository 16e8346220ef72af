// Evidence on the web beyond the version and snapshot pages: the log's public key and latest signed
// checkpoint at well-known URLs (RFC 8615), so that anyone can fetch the key to check a bundle
// against without trusting the bundle; the evidence bundle of a provision (CW-P-…), like those of
// versions and snapshots; and the Memento resources of documents (./memento.ts).
import type { FastifyInstance, FastifyReply } from 'fastify';
import { latestCheckpoint } from '../../evidence/checkpoint-store.ts';
import type { WebContext } from '../respond.ts';
import { JSON_TYPE, respond } from '../respond.ts';
import { HttpError } from '../errors.ts';
import { sendEvidenceBundle } from './files.ts';
import { registerMemento } from './memento.ts';
import { paths } from '../paths.ts';

export const evidencePaths = {
  /** JSON: origin, key id, verifier key, public key PEM, latest checkpoint. */
  log: () => '/.well-known/clausewatch-log',
  /** The log's Ed25519 public key, SPKI PEM. */
  key: () => '/.well-known/clausewatch-log/key.pem',
  /** The latest signed checkpoint note (C2SP tlog-checkpoint), as text. */
  checkpoint: () => '/.well-known/clausewatch-log/checkpoint',
  /** The bundle of a provision: paths.provisionEvidence(id, version?) builds it. */
  provisionEvidence: paths.provisionEvidence,
};

export const provisionIdSchema = { type: 'string', pattern: '^CW-P-[0-9]{1,12}$', description: 'a provision record id, e.g. CW-P-000123' } as const;
export const versionQuerySchema = { type: 'string', pattern: '^CW-V-[0-9]{1,12}$', description: 'the version (CW-V-…) whose text of the provision to prove; default: its current text' } as const;

function signerOf(ctx: WebContext) {
  if (!ctx.signer) throw new HttpError(503, "this server does not hold the evidence log's key: run `clausewatch key` where the key is");
  return ctx.signer;
}

/** What /.well-known/clausewatch-log and /api/v1/log answer: the key to trust and the latest signed tree head. */
export async function logInfo(ctx: WebContext): Promise<Record<string, unknown>> {
  const signer = signerOf(ctx);
  const cp = await latestCheckpoint(ctx.db);
  return {
    origin: signer.origin,
    keyAlgorithm: 'Ed25519',
    keyId: signer.keyId,
    verifierKey: signer.verifierKey,
    publicKey: signer.publicKeyPem,
    checkpoint: cp ? { id: cp.id, size: cp.size, root: cp.root.toString('base64'), signedAt: cp.signedAt.toISOString(), note: cp.note } : null,
    format: 'docs/evidence-format.md (clausewatch-evidence/1)',
  };
}

export function sendProvisionBundle(ctx: WebContext, provision: string, version: string | undefined, reply: FastifyReply): Promise<FastifyReply> {
  return sendEvidenceBundle(ctx, 'provision', provision, reply, 'path segment provision', version);
}

export function registerEvidenceRoutes(app: FastifyInstance, ctx: WebContext): void {
  // The checkpoint changes with every run: answered fresh, never from the page cache.
  app.get(evidencePaths.log(), (req, reply) => respond(ctx, req, reply, async () => ({ type: JSON_TYPE, body: JSON.stringify(await logInfo(ctx)) }), { cache: false }));
  app.get(evidencePaths.key(), (req, reply) => respond(ctx, req, reply, async () => ({ type: 'application/x-pem-file', body: signerOf(ctx).publicKeyPem })));
  app.get(evidencePaths.checkpoint(), (req, reply) =>
    respond(
      ctx,
      req,
      reply,
      async () => {
        signerOf(ctx);
        const cp = await latestCheckpoint(ctx.db);
        if (!cp) throw new HttpError(404, 'no checkpoint has been signed yet');
        return { type: 'text/plain; charset=utf-8', body: cp.note };
      },
      { cache: false },
    ),
  );
  app.get<{ Params: { provision: string }; Querystring: { version?: string } }>(
    '/provisions/:provision/evidence',
    {
      schema: {
        params: { type: 'object', properties: { provision: provisionIdSchema }, required: ['provision'] },
        querystring: { type: 'object', properties: { version: versionQuerySchema }, additionalProperties: false },
      },
    },
    (req, reply) => sendProvisionBundle(ctx, req.params.provision, req.query.version, reply),
  );
  registerMemento(app, ctx);
}
