import autocannon from 'autocannon';

/**
 * Puts load on one URL with autocannon and prints a JSON summary on stdout.
 *
 * Run as its own process by bench/run.ts, so the load generator does not share the server's event
 * loop:  node --import tsx bench/load.ts '{"url":"http://127.0.0.1:1234/","duration":5}'
 */
type LoadRequest = { url: string; duration: number; connections: number; headers?: Record<string, string> };

export type LoadSummary = {
  requestsPerSecond: number;
  total: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  non2xx: number;
  errors: number;
  timeouts: number;
};

const request = JSON.parse(process.argv[2] ?? '{}') as LoadRequest;
const result = await autocannon({
  url: request.url,
  connections: request.connections,
  duration: request.duration,
  timeout: 10,
  headers: request.headers ?? {},
});
const summary: LoadSummary = {
  requestsPerSecond: result.requests.average,
  total: result.requests.total,
  latencyP50Ms: result.latency.p50,
  latencyP99Ms: result.latency.p99,
  non2xx: result.non2xx,
  errors: result.errors,
  timeouts: result.timeouts,
};
process.stdout.write(`${JSON.stringify(summary)}\n`);
