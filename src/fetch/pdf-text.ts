// PDF to plain text with pdf.js (legacy build), in a worker thread (see pdf-worker.mjs for why). Line breaks are
// rebuilt from the y coordinate of text runs, because pdf.js hands out positioned fragments, not lines.
import { Worker } from 'node:worker_threads';
import { FetchFailure } from './failure.ts';

interface WorkerReply {
  id: number;
  text?: string;
  pages?: number;
  error?: { name: string; message: string };
}

interface Job {
  resolve(reply: WorkerReply): void;
  reject(err: Error): void;
}

/** One long-lived worker, started on the first PDF; it holds the process open only while a job is pending. */
class PdfWorker {
  private worker: Worker | undefined;
  private readonly jobs = new Map<number, Job>();
  private nextId = 1;

  private start(): Worker {
    // execArgv [] keeps the tsx loader out of the thread.
    const worker = new Worker(new URL('./pdf-worker.mjs', import.meta.url), { execArgv: [], resourceLimits: { maxOldGenerationSizeMb: 1024 } });
    worker.on('message', (reply: WorkerReply) => {
      const job = this.jobs.get(reply.id);
      if (!job) return;
      this.jobs.delete(reply.id);
      if (this.jobs.size === 0) worker.unref();
      job.resolve(reply);
    });
    const fail = (why: string) => {
      if (this.worker === worker) this.worker = undefined;
      for (const job of this.jobs.values()) job.reject(new FetchFailure('unsupported-content', `PDF parser stopped: ${why}`));
      this.jobs.clear();
    };
    worker.on('error', (err) => fail(err.message));
    worker.on('exit', (code) => fail(`exit code ${code}`));
    return worker;
  }

  extract(body: Uint8Array, timeoutMs: number): Promise<WorkerReply> {
    const worker = (this.worker ??= this.start());
    worker.ref();
    const id = this.nextId++;
    // A copy is transferred: the caller keeps the raw bytes for the archive.
    const data = new Uint8Array(body);
    return new Promise<WorkerReply>((resolve, reject) => {
      const timer = setTimeout(() => {
        // pdf.js cannot be interrupted mid-parse; the thread is the unit we can stop.
        this.jobs.delete(id);
        reject(new FetchFailure('timeout', `PDF text extraction took longer than ${timeoutMs} ms`));
        if (this.worker === worker) this.worker = undefined;
        void worker.terminate();
      }, timeoutMs);
      this.jobs.set(id, {
        resolve: (reply) => {
          clearTimeout(timer);
          resolve(reply);
        },
        reject: (err) => {
          clearTimeout(timer);
          reject(err);
        },
      });
      worker.postMessage({ id, data }, [data.buffer]);
    });
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    if (worker) await worker.terminate();
  }
}

const shared = new PdfWorker();

/** Text of every page, pages separated by a blank line. Throws FetchFailure for corrupt, locked or text-less PDFs. */
export async function extractPdfText(body: Uint8Array, timeoutMs = 60_000): Promise<string> {
  const reply = await shared.extract(body, timeoutMs);
  if (reply.error) {
    const { name, message } = reply.error;
    if (name === 'PasswordException') throw new FetchFailure('unsupported-content', 'PDF is password-protected');
    const why = name === 'InvalidPDFException' ? 'invalid or corrupt PDF' : 'could not parse PDF';
    throw new FetchFailure('unsupported-content', `${why}: ${message}`);
  }
  const pages = reply.pages ?? 0;
  if (!reply.text || reply.text.trim() === '') {
    throw new FetchFailure('empty-page', `PDF has no text layer (${pages} page${pages === 1 ? '' : 's'}; scanned or image-only?)`);
  }
  return reply.text;
}

/** Stops the PDF worker thread, if one was started. */
export function closePdfWorker(): Promise<void> {
  return shared.close();
}
