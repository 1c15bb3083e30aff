/**
 * @module testing/http-load — concurrent loopback clients for the HTTP surface:
 * API pollers and SSE listeners, bounded in count and time. Used by the load test
 * and by bench/http-load.mjs (never by the service).
 */
import { Agent, get } from 'node:http';

export interface LoadOptions {
  baseUrl: string;
  pollers: number;
  streams: number;
  durationMs: number;
  /** Path the pollers request, in turn. */
  paths: string[];
  /** Called once every stream is connected, before the pollers start. */
  onStreamsOpen?: () => void;
}

export interface LoadResult {
  requests: number;
  errors: number;
  statuses: Record<number, number>;
  latenciesMs: number[];
  /** Per stream: the ids of the events it received. */
  streamEvents: Array<Set<string>>;
  streamErrors: number;
  elapsedMs: number;
}

/** Runs pollers and streams together until durationMs has passed; every socket is closed at the end. */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: options.pollers + options.streams + 10 });
  const result: LoadResult = { requests: 0, errors: 0, statuses: {}, latenciesMs: [], streamEvents: [], streamErrors: 0, elapsedMs: 0 };
  const started = performance.now();
  const deadline = started + options.durationMs;
  const closers: Array<() => void> = [];

  const streamsOpen = Array.from(
    { length: options.streams },
    (_, i) =>
      new Promise<void>((resolve) => {
        const ids = new Set<string>();
        result.streamEvents[i] = ids;
        const request = get(`${options.baseUrl}/api/events/stream`, { agent }, (response) => {
          let buffer = '';
          response.on('data', (chunk: Buffer) => {
            buffer += chunk.toString();
            if (buffer.includes(': connected')) resolve();
            let end: number;
            while ((end = buffer.indexOf('\n\n')) >= 0) {
              const message = buffer.slice(0, end);
              buffer = buffer.slice(end + 2);
              const data = message.split('\n').find((line) => line.startsWith('data: '));
              if (data !== undefined) ids.add((JSON.parse(data.slice(6)) as { id: string }).id);
            }
          });
        });
        request.on('error', () => {
          result.streamErrors++;
          resolve();
        });
        closers.push(() => request.destroy());
      }),
  );
  await Promise.all(streamsOpen);
  options.onStreamsOpen?.();

  const poller = async (index: number): Promise<void> => {
    for (let n = 0; performance.now() < deadline && n < 1_000_000; n++) {
      const path = options.paths[(index + n) % options.paths.length]!;
      const start = performance.now();
      await new Promise<void>((resolve) => {
        const request = get(`${options.baseUrl}${path}`, { agent }, (response) => {
          response.resume();
          response.on('end', () => {
            result.requests++;
            result.statuses[response.statusCode ?? 0] = (result.statuses[response.statusCode ?? 0] ?? 0) + 1;
            result.latenciesMs.push(performance.now() - start);
            resolve();
          });
        });
        request.setTimeout(10_000, () => request.destroy(new Error('timeout')));
        request.on('error', () => {
          result.errors++;
          resolve();
        });
      });
    }
  };
  await Promise.all(Array.from({ length: options.pollers }, (_, i) => poller(i)));
  result.elapsedMs = performance.now() - started;
  // Let the last round's events reach the streams before closing them.
  await new Promise((resolve) => setTimeout(resolve, 1500));
  for (const close of closers) close();
  agent.destroy();
  result.latenciesMs.sort((a, b) => a - b);
  return result;
}

/** The q-quantile of sorted values. */
export function quantile(sorted: number[], q: number): number {
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}
