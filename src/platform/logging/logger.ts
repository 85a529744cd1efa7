import pino, { type Logger } from 'pino';

export type { Logger };

/**
 * The application's logger. Log lines carry ids, routes and outcomes, never a person's details:
 * names, contact details, NHS numbers and free text stay out (reliability plan L4). The redaction
 * below is a safety net for headers and any field named like personal data, not a licence to log them.
 *
 * @param level - the pino level.
 * @param destination - where to write (stdout unless a test collects the lines).
 * @returns a pino logger writing JSON lines.
 */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level,
    redact: {
      paths: [
        'req.headers.cookie',
        'req.headers.authorization',
        'res.headers["set-cookie"]',
        '*.password',
        '*.email',
        '*.nhsNumber',
        '*.name',
        '*.token',
        // A PostgreSQL error's detail repeats the failing row ("Failing row contains (...)"), and its
        // where and internal query can hold values too: the code, constraint and message are enough.
        'err.detail',
        'err.where',
        'err.internalQuery',
        'err.parameters',
      ],
      censor: '[removed]',
    },
    // Control characters in values are escaped by JSON encoding, so input cannot forge log lines (L5).
  };
  return destination ? pino(options, destination) : pino(options);
}
