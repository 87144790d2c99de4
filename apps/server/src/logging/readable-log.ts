/**
 * Log lines for a person at a terminal: `npm start` in a shell prints `12:04:05 INFO  message  key=value`
 * instead of JSON. Services, pipes and journald keep pino's JSON lines (one object per line), which is what
 * log tooling wants. LOG_FORMAT=json|pretty overrides the choice.
 */
import { Writable } from 'node:stream';

const LEVELS: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO ', 40: 'WARN ', 50: 'ERROR', 60: 'FATAL' };
const HIDDEN = new Set(['level', 'time', 'pid', 'hostname', 'msg', 'reqId', 'v']);

/** One pino JSON line → one readable line (unparseable input is passed through unchanged). */
export function readableLine(json: string): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return json;
  }
  const time = typeof entry['time'] === 'number' ? new Date(entry['time']).toTimeString().slice(0, 8) : '--:--:--';
  const level = LEVELS[Number(entry['level'])] ?? 'INFO ';
  const request = entry['req'] as { method?: string; url?: string } | undefined;
  const response = entry['res'] as { statusCode?: number } | undefined;
  let message = typeof entry['msg'] === 'string' ? entry['msg'] : '';
  if (request?.method) message = `${message} ${request.method} ${request.url ?? ''}`;
  if (response?.statusCode) {
    const ms = typeof entry['responseTime'] === 'number' ? ` ${entry['responseTime'].toFixed(1)} ms` : '';
    message = `${message} → ${response.statusCode}${ms}`;
  }
  const extras = Object.entries(entry)
    .filter(([key]) => !HIDDEN.has(key) && key !== 'req' && key !== 'res' && key !== 'responseTime')
    .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`);
  return [`${time} ${level} ${message.trim()}`, ...extras].join('  ');
}

/** A stream for pino that writes readable lines to `out`. */
export function readableLogStream(out: NodeJS.WritableStream = process.stdout): Writable {
  let pending = '';
  return new Writable({
    write(chunk: Buffer, _encoding, done) {
      pending += chunk.toString();
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) if (line) out.write(`${readableLine(line)}\n`);
      done();
    },
  });
}

/** Pretty on a terminal unless LOG_FORMAT says otherwise. */
export function wantsReadableLog(env: NodeJS.ProcessEnv = process.env, isTty = Boolean(process.stdout.isTTY)): boolean {
  const format = env['LOG_FORMAT']?.toLowerCase();
  if (format === 'json') return false;
  if (format === 'pretty') return true;
  return isTty;
}
