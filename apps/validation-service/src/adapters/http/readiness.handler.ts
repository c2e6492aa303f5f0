import type { ReadinessRegistry } from '@latchkey/service-kit';
import { discardBody, RouteHandler, sendJson } from './http-io';

const CHECK_TIMEOUT_MS = 2000;

type Indicator = Record<string, unknown> & { status: 'up' | 'down' };

/**
 * `GET /health/ready` in terminus' shape, served on the hot path so a 503 keeps its details (which check is down,
 * and for freshness: stale, mode and heartbeat lag) instead of becoming a bare problem document.
 */
export function readinessHandler(registry: ReadinessRegistry): RouteHandler {
  return (req, res) => {
    discardBody(req);
    void Promise.all(
      registry.all().map(async (c): Promise<[string, Indicator]> => {
        let timer: NodeJS.Timeout | undefined;
        try {
          const result = await Promise.race([
            c.check(),
            new Promise<{ ok: boolean; detail?: Record<string, unknown> }>((resolve) => {
              timer = setTimeout(() => resolve({ ok: false, detail: { reason: 'timeout' } }), CHECK_TIMEOUT_MS);
            }),
          ]);
          return [c.name, { status: result.ok ? 'up' : 'down', ...result.detail }];
        } catch (err) {
          return [c.name, { status: 'down', reason: err instanceof Error ? err.message : String(err) }];
        } finally {
          clearTimeout(timer);
        }
      }),
    ).then((results) => {
      const details = Object.fromEntries(results);
      const info = Object.fromEntries(results.filter(([, r]) => r.status === 'up'));
      const error = Object.fromEntries(results.filter(([, r]) => r.status === 'down'));
      const ok = Object.keys(error).length === 0;
      sendJson(res, ok ? 200 : 503, { status: ok ? 'ok' : 'error', info, error, details });
    });
  };
}
