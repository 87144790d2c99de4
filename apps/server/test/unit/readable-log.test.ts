import { describe, expect, it } from 'vitest';
import { readableLine, wantsReadableLog } from '../../src/logging/readable-log.ts';

describe('readable log lines for a terminal', () => {
  it('turns a pino line into time, level, message and extra fields', () => {
    const time = new Date(2026, 10, 25, 12, 4, 5).getTime();
    const line = readableLine(
      JSON.stringify({ level: 40, time, pid: 1, hostname: 'h', msg: 'update check failed', error: 'ENOTFOUND' }),
    );
    expect(line).toBe('12:04:05 WARN  update check failed  error=ENOTFOUND');
  });

  it('shows requests as method, url, status and duration', () => {
    const line = readableLine(
      JSON.stringify({
        level: 30,
        time: 0,
        msg: 'request completed',
        reqId: 'r1',
        res: { statusCode: 200 },
        responseTime: 2.46,
      }),
    );
    expect(line).toMatch(/INFO {2}request completed → 200 2\.5 ms$/);
    expect(
      readableLine(
        JSON.stringify({ level: 30, time: 0, msg: 'incoming request', req: { method: 'POST', url: '/api/upload' } }),
      ),
    ).toMatch(/incoming request POST \/api\/upload$/);
  });

  it('passes non-JSON through, and picks the format from LOG_FORMAT or the terminal', () => {
    expect(readableLine('plain text')).toBe('plain text');
    expect(wantsReadableLog({}, true)).toBe(true);
    expect(wantsReadableLog({}, false)).toBe(false);
    expect(wantsReadableLog({ LOG_FORMAT: 'json' }, true)).toBe(false);
    expect(wantsReadableLog({ LOG_FORMAT: 'pretty' }, false)).toBe(true);
  });
});
