// The `clausewatch` command line: thin commands over the same functions the server and jobs use.
import { Command, CommanderError } from 'commander';
import { UsageError, FailuresFound } from './context.ts';
import { registerTrack } from './commands/track.ts';
import { registerStatus } from './commands/status.ts';
import { registerHistory } from './commands/history.ts';
import { registerDiff } from './commands/diff.ts';
import { registerShow } from './commands/show.ts';
import { registerVerify } from './commands/verify.ts';
import { registerImportOta } from './commands/import-ota.ts';
import { registerReplay } from './commands/replay.ts';
import { registerRun } from './commands/run.ts';
import { registerCatalog } from './commands/catalog.ts';
// Evidence commands.
import { registerKey } from './commands/key.ts';
import { registerCheckpoint } from './commands/checkpoint.ts';
import { registerExportEvidence } from './commands/export-evidence.ts';
import { registerVerifyEvidence } from './commands/verify-evidence.ts';
import { registerCite } from './commands/cite.ts';
import { registerReextract } from './commands/reextract.ts';
import { registerServe } from './commands/serve.ts';
import { registerRenderPages } from './commands/render-pages.ts';
// Clause analysis commands.
import { registerAnalyze } from './commands/analyze.ts';
import { registerAnalyse } from './commands/analyse.ts';
import { registerEval } from './commands/eval.ts';
import { registerSummary } from './commands/summary.ts';
// Monitoring commands.
import { registerMonitor } from './commands/monitor.ts';

export const EXIT = { ok: 0, failures: 1, usage: 2 } as const;

export function buildProgram(): Command {
  const program = new Command('clausewatch')
    .description('Watches platforms\' legal documents and records every version, with evidence.')
    .version('0.1.0')
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)');
  for (const register of [registerRun, registerTrack, registerStatus, registerHistory, registerDiff, registerShow, registerVerify, registerImportOta, registerReplay, registerReextract, registerCatalog, registerServe, registerRenderPages]) {
    register(program);
  }
  for (const register of [registerAnalyze, registerAnalyse, registerSummary, registerEval]) register(program);
  for (const register of [registerKey, registerCheckpoint, registerExportEvidence, registerVerifyEvidence, registerCite]) register(program);
  registerMonitor(program);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return EXIT.ok;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return EXIT.ok;
      return EXIT.usage;
    }
    if (err instanceof FailuresFound) {
      if (err.message) process.stderr.write(`${err.message}\n`);
      return EXIT.failures;
    }
    if (err instanceof UsageError) {
      process.stderr.write(`clausewatch: ${err.message}\n`);
      return EXIT.usage;
    }
    const e = err as Error;
    // Declaration errors and the like carry their own precise message; anything else is a bug: show the stack.
    process.stderr.write(`clausewatch: ${e.message}\n`);
    if (process.env.CLAUSEWATCH_DEBUG) process.stderr.write(`${e.stack}\n`);
    return EXIT.failures;
  }
}
