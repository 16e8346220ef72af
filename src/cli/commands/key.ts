import type { Command } from 'commander';
import { evidenceConfig, loadSigner } from '../../evidence/config.ts';
import { printJson } from '../format.ts';

export function registerKey(program: Command): void {
  program
    .command('key')
    .description("print the evidence log's public key (created at first use; the private key stays in its file)")
    .option('--json', 'print one JSON object')
    .action((opts: { json?: boolean }) => {
      const signer = loadSigner(evidenceConfig());
      const out = { origin: signer.origin, keyId: signer.keyId, verifierKey: signer.verifierKey, publicKey: signer.publicKeyPem, keyFile: signer.keyPath, created: signer.created };
      if (opts.json) return printJson(out);
      process.stdout.write(
        [
          `log origin:    ${out.origin}`,
          `key id:        ${out.keyId}`,
          `verifier key:  ${out.verifierKey}`,
          `key file:      ${out.keyFile}${out.created ? ' (created now: back it up, and keep it outside the database)' : ''}`,
          '',
          out.publicKey.trimEnd(),
          '',
        ].join('\n'),
      );
    });
}
