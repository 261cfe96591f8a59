// The HTTP load generator, forked by load.mjs so that load never runs on the event loop of the
// server under test or of the runner. It receives one job over IPC, runs autocannon, and sends
// back a summary.
import autocannon from 'autocannon';

process.once('message', (job) => {
  let next = job.firstSource ?? 0;
  const options = {
    url: job.url,
    method: job.method ?? 'GET',
    headers: job.headers ?? {},
    body: job.body,
    connections: job.connections ?? 16,
    ...(job.amount === undefined ? { duration: job.durationSec } : { amount: job.amount }),
  };
  if (job.distinctSources === true) {
    // A new X-Forwarded-For per request: each request comes from its own client address.
    options.requests = [
      {
        setupRequest(req) {
          const n = next++;
          const ip = `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
          return { ...req, headers: { ...req.headers, 'x-forwarded-for': ip } };
        },
      },
    ];
  }
  autocannon(options, (err, result) => {
    if (err) {
      process.send({ error: String(err) }, () => process.exit(1));
      return;
    }
    process.send(
      {
        rps: result.requests.total / result.duration,
        p50: result.latency.p50,
        p99: result.latency.p99,
        total: result.requests.total,
        ok: result['2xx'],
        non2xx: result.non2xx,
        errors: result.errors,
        timeouts: result.timeouts,
      },
      () => process.exit(0),
    );
  });
});
