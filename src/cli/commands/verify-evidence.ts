// Offline: reads one bundle file and checks it without any database, network or configuration.
import { existsSync, readFileSync, statSync } from 'node:fs';
import type { X509Certificate } from 'node:crypto';
import type { Command } from 'commander';
import { UsageError, FailuresFound } from '../context.ts';
import { verifyBundle } from '../../evidence/bundle.ts';
import type { VerifyBundleOptions } from '../../evidence/bundle.ts';
import { parseVerifierKey, toPublicKey } from '../../evidence/keys.ts';
import { parseCertificates } from '../../evidence/timestamp.ts';
import { printJson } from '../format.ts';

function readArg(value: string, flag: string): string {
  if (!existsSync(value)) return value;
  try {
    return readFileSync(value, 'utf8');
  } catch (err) {
    throw new UsageError(`${flag}: cannot read ${value}: ${(err as Error).message}`);
  }
}

/** --key: a PEM file, a PEM text, or a verifier key "name+id+base64" (or a file holding one). */
function trustedKey(value: string): string {
  const text = readArg(value, '--key').trim();
  try {
    if (text.includes('-----BEGIN')) {
      if (/PRIVATE KEY-----/.test(text)) throw new Error('that is a private key; give the public key');
      toPublicKey(text);
    } else parseVerifierKey(text);
  } catch (err) {
    throw new UsageError(`--key: not an Ed25519 public key PEM or a verifier key (name+keyid+base64): ${(err as Error).message}`);
  }
  return text;
}

export function registerVerifyEvidence(program: Command): void {
  program
    .command('verify-evidence')
    .description('check an evidence bundle offline, with no database: says exactly what holds and what fails')
    .argument('<file>', 'a bundle written by export-evidence')
    .option('--key <key>', "the log's public key, obtained independently: PEM file, or verifier key (name+keyid+base64)")
    .option('--key-id <hex>', 'the key id (8 hex digits) the checkpoint signature must have')
    .option('--origin <name>', 'the log name the checkpoint must carry')
    .option('--tsa-ca <pem>', 'certificates trusted for the RFC 3161 timestamp (PEM file)')
    .option('--json', 'print one JSON object')
    .action((file: string, opts: { key?: string; keyId?: string; origin?: string; tsaCa?: string; json?: boolean }) => {
      let bytes: Buffer;
      try {
        if (!statSync(file).isFile()) throw new Error('not a file');
        bytes = readFileSync(file);
      } catch (err) {
        throw new UsageError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
      }
      const options: VerifyBundleOptions = {};
      if (opts.key) options.trustedKey = trustedKey(opts.key);
      if (opts.keyId) {
        if (!/^[0-9a-fA-F]{8}$/.test(opts.keyId)) throw new UsageError(`--key-id: "${opts.keyId}" is not 8 hex digits`);
        options.trustedKeyId = opts.keyId;
      }
      if (opts.origin) options.origin = opts.origin;
      if (opts.tsaCa) {
        let certs: X509Certificate[];
        try {
          certs = parseCertificates(readFileSync(opts.tsaCa, 'utf8'));
        } catch (err) {
          throw new UsageError(`--tsa-ca: ${(err as Error).message}`);
        }
        if (!certs.length) throw new UsageError(`--tsa-ca: no certificate in ${opts.tsaCa}`);
        options.trustedTsaCerts = certs;
      }
      const r = verifyBundle(bytes, options);
      const anchored = options.trustedKey !== undefined || options.trustedKeyId !== undefined;
      if (opts.json) {
        printJson({ ok: r.ok, file, trustedKeyChecked: anchored, record: r.record ?? null, sources: r.sources ?? [], checks: r.checks });
      } else {
        process.stdout.write(`evidence bundle ${file}\n`);
        for (const c of r.checks) process.stdout.write(`  ${c.ok ? 'ok  ' : 'FAIL'} ${c.name}: ${c.detail}\n`);
        if (r.ok) {
          const cp = r.checkpoint!;
          const rec = r.record!;
          process.stdout.write(`VALID: ${rec.id} (${rec.kind}, SHA-256 ${rec.sha256}, recorded ${rec.time}) is in the log "${cp.origin}" as signed at size ${cp.size} on ${cp.time}\n`);
          for (const src of r.sources ?? []) process.stdout.write(`  derived from ${src.id} (${src.kind}, SHA-256 ${src.sha256}, recorded ${src.time}), in the same log\n`);
          if (!anchored) process.stdout.write("note: no --key given, so this shows that the bundle's own key signed it; compare that key with the one the operator publishes (`clausewatch key`)\n");
        } else {
          const failed = r.checks.filter((c) => !c.ok).length;
          process.stdout.write(`INVALID: ${failed} of ${r.checks.length} checks fail\n`);
        }
      }
      if (!r.ok) throw new FailuresFound('');
    });
}
