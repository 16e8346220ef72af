// Every benchmark prints the machine it ran on, so figures are never quoted without their context.
import os from 'node:os';

export function machine(): string {
  return `${os.cpus()[0]?.model ?? 'unknown CPU'} × ${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${os.platform()} ${os.release()}`;
}

export function rssMB(): number {
  return Math.round(process.memoryUsage().rss / 2 ** 20);
}
