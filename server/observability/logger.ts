import pino, { type Logger } from 'pino';

/** Structured JSON logs; `level` from `LOG_LEVEL`. */
export function createLogger(level = 'info'): Logger {
  return pino({ level, base: { service: 'livedesk' } });
}
