// Authentication configuration from the environment. Production without keys, issuer and audience
// is a startup error: the server must refuse to run rather than run open.
import path from 'node:path';
import { z } from 'zod';

export interface DevelopmentAuthConfig {
  mode: 'development';
  /** Private JWK (ES256) that signs and verifies development tokens; created on first use. */
  devKeyFile: string;
}

export interface ProductionAuthConfig {
  mode: 'production';
  jwksFile?: string;
  jwksUrl?: string;
  issuer: string;
  audience: string;
}

export type AuthConfig = DevelopmentAuthConfig | ProductionAuthConfig;

export class AuthConfigError extends Error {
  override name = 'AuthConfigError';
}

const nonEmpty = z
  .string()
  .transform((s) => s.trim())
  .pipe(z.string().min(1))
  .optional()
  .catch(undefined);

const envSchema = z.object({
  AUTH_MODE: z.enum(['development', 'production']).optional(),
  AUTH_JWKS_FILE: nonEmpty,
  AUTH_JWKS_URL: nonEmpty,
  AUTH_ISSUER: nonEmpty,
  AUTH_AUDIENCE: nonEmpty,
  DEV_KEY_FILE: nonEmpty,
  NODE_ENV: z.string().optional(),
});

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Reads AUTH_MODE (development | production), AUTH_JWKS_FILE, AUTH_JWKS_URL, AUTH_ISSUER,
 * AUTH_AUDIENCE and DEV_KEY_FILE (default `<dataDir>/dev-signing-key.json`).
 * AUTH_MODE defaults to development, except under NODE_ENV=production, where development mode
 * must be asked for explicitly (the architecture: never the production default).
 * Throws AuthConfigError naming the offending variables.
 */
export function parseAuthConfig(env: Record<string, string | undefined>, dataDir: string): AuthConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const bad = parsed.error.issues.map((i) => i.path.join('.')).join(', ');
    throw new AuthConfigError(`Invalid authentication configuration (${bad}): AUTH_MODE must be "development" or "production"`);
  }
  const e = parsed.data;
  const mode = e.AUTH_MODE ?? (e.NODE_ENV === 'production' ? 'production' : 'development');

  if (mode === 'development') {
    return { mode, devKeyFile: path.resolve(e.DEV_KEY_FILE ?? path.join(dataDir, 'dev-signing-key.json')) };
  }

  const missing: string[] = [];
  if (!e.AUTH_JWKS_FILE && !e.AUTH_JWKS_URL) missing.push('AUTH_JWKS_FILE or AUTH_JWKS_URL');
  if (!e.AUTH_ISSUER) missing.push('AUTH_ISSUER');
  if (!e.AUTH_AUDIENCE) missing.push('AUTH_AUDIENCE');
  if (missing.length > 0) {
    throw new AuthConfigError(
      `AUTH_MODE=production needs ${missing.join(', ')} to verify access tokens; refusing to start without ${
        missing.length === 1 ? 'it' : 'them'
      } (set AUTH_MODE=development only for local development)`,
    );
  }
  if (e.AUTH_JWKS_FILE && e.AUTH_JWKS_URL) {
    throw new AuthConfigError('Set only one of AUTH_JWKS_FILE and AUTH_JWKS_URL');
  }
  if (e.AUTH_JWKS_URL) checkJwksUrl(e.AUTH_JWKS_URL);
  return {
    mode,
    ...(e.AUTH_JWKS_FILE ? { jwksFile: path.resolve(e.AUTH_JWKS_FILE) } : { jwksUrl: e.AUTH_JWKS_URL! }),
    issuer: e.AUTH_ISSUER!,
    audience: e.AUTH_AUDIENCE!,
  };
}

// Keys fetched over plain HTTP could be swapped in transit; only loopback (a local sidecar, tests) may skip TLS.
function checkJwksUrl(raw: string): void {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new AuthConfigError('AUTH_JWKS_URL is not a valid URL');
  }
  if (url.protocol === 'https:') return;
  if (url.protocol === 'http:' && LOOPBACK.has(url.hostname)) return;
  throw new AuthConfigError('AUTH_JWKS_URL must use https (plain http is allowed only on loopback)');
}
