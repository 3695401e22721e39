// Structured JSON logs (pino). Personnummer never reach a log line: every string that could carry one
// (URLs with search parameters, messages) is scrubbed on the way out.
import { pino, type Logger } from 'pino';

// 12 or 10 digits, optionally with - or + before the last four: personnummer and samordningsnummer.
const PERSONNUMMER = /(?<!\d)(?:\d{2})?\d{6}[-+]?\d{4}(?!\d)/g;

export function scrubPersonnummer(text: string): string {
  return text.replace(PERSONNUMMER, '[personnummer]');
}

function scrubDeep(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return scrubPersonnummer(value);
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (value instanceof Error) return { type: value.name, message: scrubPersonnummer(value.message) };
  if (Array.isArray(value)) return value.map((v) => scrubDeep(v, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, scrubDeep(v, depth + 1)]));
}

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'samverkan-gateway' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { log: (obj) => scrubDeep(obj) as Record<string, unknown> },
      hooks: {
        logMethod(args, method) {
          method.apply(this, args.map((a) => (typeof a === 'string' ? scrubPersonnummer(a) : a)) as Parameters<typeof method>);
        },
      },
    },
    destination,
  );
}
