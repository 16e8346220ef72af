// Progress for long runs: a bar on a terminal, a line every few seconds otherwise (logs, CI).
import cliProgress from 'cli-progress';

export interface Progress {
  update(done: number, total: number, note?: string): void;
  stop(): void;
}

export function progress(label: string, quiet = false): Progress {
  if (quiet) return { update() {}, stop() {} };
  if (process.stderr.isTTY) {
    const bar = new cliProgress.SingleBar(
      { stream: process.stderr, format: `${label} [{bar}] {percentage}% {value}/{total} {note}`, hideCursor: true, etaBuffer: 50 },
      cliProgress.Presets.shades_classic,
    );
    let started = false;
    return {
      update(done, total, note = '') {
        if (!started) bar.start(total, done, { note: '' });
        started = true;
        bar.setTotal(total);
        bar.update(done, { note: note.slice(0, 50) });
      },
      stop: () => started && bar.stop(),
    };
  }
  let last = 0;
  return {
    update(done, total) {
      const now = Date.now();
      if (now - last < 5000 && done !== total) return;
      last = now;
      process.stderr.write(`${label}: ${done}/${total}\n`);
    },
    stop() {},
  };
}
