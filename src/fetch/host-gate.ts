// One request at a time per hostname, with a pause between them: we visit the same few sites every day and
// must never look like a crawler hammering them. Different hostnames proceed in parallel.
import { abortable, sleep } from './wait.ts';

interface HostState {
  /** Settles when the latest holder (or waiter) of this host is done. */
  tail: Promise<void>;
  /** When the last request to this host finished; 0 if none yet. */
  lastEnd: number;
  waiting: number;
}

export class HostGate {
  private readonly hosts = new Map<string, HostState>();
  constructor(private readonly delayMs: number) {}

  /** Waits for the host's turn and its politeness pause; resolves to a release function (call it exactly once). */
  async acquire(hostname: string, signal?: AbortSignal): Promise<() => void> {
    const key = hostname.toLowerCase();
    let state = this.hosts.get(key);
    if (!state) {
      state = { tail: Promise.resolve(), lastEnd: 0, waiting: 0 };
      this.hosts.set(key, state);
    }
    const prev = state.tail;
    let release!: () => void;
    const done = new Promise<void>((resolve) => (release = resolve));
    state.tail = done;
    state.waiting++;
    try {
      await abortable(prev, signal);
      const pause = state.lastEnd + this.delayMs - Date.now();
      if (pause > 0) await sleep(pause, signal);
    } catch (err) {
      // Leaving the queue early must not let the next waiter overtake the one before us.
      state.waiting--;
      void prev.then(release);
      throw err;
    }
    let released = false;
    const st = state;
    return () => {
      if (released) return;
      released = true;
      st.lastEnd = Date.now();
      st.waiting--;
      release();
      this.prune();
    };
  }

  async run<T>(hostname: string, signal: AbortSignal | undefined, fn: () => Promise<T>): Promise<T> {
    const release = await this.acquire(hostname, signal);
    try {
      return await fn();
    } finally {
      release();
    }
  }

  /** Forgets hosts that are idle and past their pause, so a long run over many hosts does not grow without bound. */
  private prune(): void {
    if (this.hosts.size < 256) return;
    const now = Date.now();
    for (const [key, st] of this.hosts) {
      if (st.waiting === 0 && st.lastEnd + this.delayMs < now) this.hosts.delete(key);
    }
  }
}
