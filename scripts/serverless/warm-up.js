'use strict';
/**
 * A local serverless plugin, listed after serverless-offline: once offline's HTTP server listens
 * (offline:start:init), it calls the read routes a few times, so each handler's bundle is loaded, its
 * Elasticsearch client connected, its index checked and its hot path compiled before an analyst's first call.
 * Best effort: a route that fails (Elasticsearch not up yet) is only reported; it never stops the server.
 */
const ROUTES = ['/health', '/tweets?limit=20', '/stats'];
const ROUNDS = 20; // enough for V8 to optimise the per-request path
const TIMEOUT_MS = 60_000; // a first load of a bundle on a busy 2-core machine can take seconds

class WarmUp {
  constructor(serverless) {
    this.serverless = serverless;
    this.hooks = { 'offline:start:init': () => this.warm() };
  }

  async warm() {
    if (process.env.WARM_UP === '0') return;
    const offline = this.serverless.service.custom?.['serverless-offline'] ?? {};
    const host = offline.host || process.env.HOST || '127.0.0.1';
    const base = `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${offline.httpPort || process.env.PORT || 3000}`;
    const t0 = Date.now();
    const failed = new Set();
    for (let round = 0; round < ROUNDS; round++) {
      await Promise.all(
        ROUTES.map((route) =>
          fetch(base + route, { signal: AbortSignal.timeout(TIMEOUT_MS) })
            .then((res) => res.arrayBuffer()) // any answer, even 503 (no models yet), means the route is loaded
            .catch((error) => failed.add(`${route} ${error.message}`)),
        ),
      );
      if (failed.size && round === 0) break; // nothing to gain from repeating a failing call
    }
    const problems = failed.size ? ` (not warm: ${[...failed].join(', ')})` : '';
    console.log(`[warm-up] ${ROUTES.join(' ')} answered in ${Date.now() - t0} ms${problems}`);
  }
}

module.exports = WarmUp;
