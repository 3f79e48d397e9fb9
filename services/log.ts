/**
 * Structured logs for the services: pino, one JSON object a line, on stderr so
 * that stdout stays free for a command's own output. Level from AEGIS_LOG_LEVEL.
 */
import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(service: string, level = process.env.AEGIS_LOG_LEVEL ?? 'info'): Logger {
  return pino({ name: service, level, base: { service } }, pino.destination({ fd: 2, sync: true }));
}
