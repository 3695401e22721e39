// Gateway configuration from the environment, validated once at start-up.
import path from 'node:path';
import { z } from 'zod';
import { parseAuthConfig, type AuthConfig } from './auth/config.ts';

export interface GatewayConfig {
  port: number;
  host: string;
  /** A PostgreSQL server; absent means the embedded PGlite store in dataDir. */
  databaseUrl?: string;
  dataDir: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** The public base URL of the FHIR API, used in Location headers, fullUrls and paging links. */
  baseUrl: string;
  maxBodyBytes: number;
  auth: AuthConfig;
  /** The HL7v2 MLLP listener; absent = off. MLLP carries no credentials: bind it where only trusted senders reach. */
  mllp?: { host: string; port: number };
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

const schema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  DATA_DIR: z.string().min(1).default('./data'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  BASE_URL: z.url().optional(),
  MAX_BODY_BYTES: z.coerce.number().int().min(1024).max(100 * 1024 * 1024).default(10 * 1024 * 1024),
  MLLP_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  MLLP_HOST: z.string().min(1).default('127.0.0.1'),
  MLLP_ALLOW_REMOTE: z.enum(['true', 'false']).default('false'),
});

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

export function isLoopback(host: string): boolean {
  return LOOPBACK_HOSTS.has(host) || host.startsWith('127.');
}

/** Reads and checks the environment; throws ConfigError naming every bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): GatewayConfig {
  const blankless = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = schema.safeParse(blankless);
  if (!parsed.success) {
    const detail = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new ConfigError(`Invalid configuration: ${detail}`);
  }
  const e = parsed.data;
  const dataDir = path.resolve(e.DATA_DIR);
  let auth: AuthConfig;
  try {
    auth = parseAuthConfig(env, dataDir);
  } catch (err) {
    throw new ConfigError(err instanceof Error ? err.message : String(err));
  }
  if (auth.mode === 'development' && !isLoopback(e.HOST)) {
    throw new ConfigError(
      `Development mode gives every request without a token full access, so it only listens on loopback; HOST=${e.HOST} needs AUTH_MODE=production with keys`,
    );
  }
  if (e.MLLP_PORT !== undefined && !isLoopback(e.MLLP_HOST) && e.MLLP_ALLOW_REMOTE !== 'true') {
    throw new ConfigError(
      `MLLP carries no credentials: whoever reaches the listener sends as a hospital record system. MLLP_HOST=${e.MLLP_HOST} needs MLLP_ALLOW_REMOTE=true, and a network only trusted senders reach`,
    );
  }
  const hostForUrl = e.HOST.includes(':') && !e.HOST.startsWith('[') ? `[${e.HOST}]` : e.HOST;
  return {
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    dataDir,
    logLevel: e.LOG_LEVEL,
    baseUrl: (e.BASE_URL ?? `http://${hostForUrl}:${e.PORT}/fhir`).replace(/\/+$/, ''),
    maxBodyBytes: e.MAX_BODY_BYTES,
    auth,
    ...(e.MLLP_PORT !== undefined ? { mllp: { host: e.MLLP_HOST, port: e.MLLP_PORT } } : {}),
  };
}
