// Streaming access to a git repository through the git CLI (spawned with argument arrays, never a shell):
// commits are parsed as they arrive and blobs read through one long-lived `cat-file --batch`, so memory
// stays flat however long the history.
import { spawn, execFileSync, type ChildProcessWithoutNullStreams } from 'node:child_process';

export interface CommitChange {
  status: string;
  path: string;
}
export interface Commit {
  sha: string;
  date: Date;
  subject: string;
  body: string;
  changes: CommitChange[];
}

export function git(repo: string, args: string[]): string {
  return execFileSync('git', ['-C', repo, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
}

export function countCommits(repo: string, ref: string): number {
  return Number(git(repo, ['rev-list', '--count', '--no-merges', ref]).trim());
}

/** Yields the non-merge commits of ref, oldest first, with the files each one changed. */
export async function* streamCommits(repo: string, ref: string): AsyncGenerator<Commit> {
  const child = spawn(
    'git',
    ['-C', repo, 'log', '--reverse', '--topo-order', '--no-merges', '-z', '--name-status', '--no-renames', '--format=%x1e%H%x00%cI%x00%s%x00%b%x1f', ref],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const exited = new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? 1)));
  let pending = '';
  child.stdout.setEncoding('utf8');
  for await (const chunk of child.stdout as AsyncIterable<string>) {
    pending += chunk;
    const records = pending.split('\x1e');
    pending = records.pop() ?? '';
    for (const rec of records) {
      const c = parseCommit(rec);
      if (c) yield c;
    }
  }
  const last = parseCommit(pending);
  if (last) yield last;
  const code = await exited;
  if (code !== 0) throw new Error(`git log failed in ${repo}: ${stderr.trim()}`);
}

function parseCommit(rec: string): Commit | undefined {
  const end = rec.indexOf('\x1f');
  if (end < 0) return undefined;
  const [sha, date, subject, body] = rec.slice(0, end).split('\0');
  if (!sha || !date) return undefined;
  const fields = rec.slice(end + 1).replace(/^[\0\n]+/, '').split('\0');
  const changes: CommitChange[] = [];
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const status = fields[i]!.trim();
    if (status) changes.push({ status, path: fields[i + 1]! });
  }
  return { sha, date: new Date(date), subject: subject ?? '', body: body ?? '', changes };
}

/** Reads blobs by `<commit>:<path>` through one `git cat-file --batch` process. */
export class BlobReader {
  private child: ChildProcessWithoutNullStreams;
  private buffer: Buffer = Buffer.alloc(0);
  private waiters: { resolve: (b: Buffer | undefined) => void; reject: (e: Error) => void }[] = [];

  constructor(repo: string) {
    this.child = spawn('git', ['-C', repo, 'cat-file', '--batch'], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stdout.on('data', (d: Buffer) => {
      this.buffer = this.buffer.length ? Buffer.concat([this.buffer, d]) : d;
      this.drain();
    });
    this.child.on('close', () => {
      for (const w of this.waiters.splice(0)) w.reject(new Error('git cat-file exited'));
    });
  }

  read(commit: string, path: string): Promise<Buffer | undefined> {
    if (/[\n\r]/.test(path)) return Promise.reject(new Error(`path with a line break: ${JSON.stringify(path)}`));
    return new Promise((resolve, reject) => {
      this.waiters.push({ resolve, reject });
      this.child.stdin.write(`${commit}:${path}\n`);
    });
  }

  private drain(): void {
    while (this.waiters.length) {
      const nl = this.buffer.indexOf(10);
      if (nl < 0) return;
      const header = this.buffer.subarray(0, nl).toString('utf8');
      if (header.endsWith(' missing') || header.endsWith(' ambiguous')) {
        this.buffer = this.buffer.subarray(nl + 1);
        this.waiters.shift()!.resolve(undefined);
        continue;
      }
      const size = Number(header.split(' ')[2]);
      if (this.buffer.length < nl + 1 + size + 1) return;
      const body: Buffer = Buffer.from(this.buffer.subarray(nl + 1, nl + 1 + size));
      this.buffer = this.buffer.subarray(nl + 1 + size + 1);
      this.waiters.shift()!.resolve(body);
    }
  }

  close(): void {
    this.child.stdin.end();
  }
}
