// The development signing key: an ES256 private JWK kept in the data directory (mode 0600), created
// on first use, that signs tokens for `samverkan token` and verifies them in development mode.
import { createHash, generateKeyPairSync, randomUUID } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { SignJWT } from 'jose';
import type { JWK } from 'jose';
import { CLAIM_ORGANIZATION, CLAIM_ROLE } from './claims.ts';
import { parseAuthConfig } from './config.ts';
import { isHsaId, isRole, ORGANIZATION_ROLES, ROLES } from './principal.ts';
import type { Role } from './principal.ts';
import { parseScope } from './scopes.ts';

export const DEV_ISSUER = 'samverkan-dev';
export const DEV_AUDIENCE = 'samverkan-gateway';
export const DEV_ALGORITHM = 'ES256';

export interface DevKey {
  kid: string;
  privateJwk: JWK;
  publicJwk: JWK;
}

/** Loads the development key from `file`, creating it (and its directory) if absent. */
export function loadOrCreateDevKey(file: string): DevKey {
  let jwk: JWK;
  try {
    jwk = JSON.parse(readFileSync(file, 'utf8')) as JWK;
    // Tighten a key file someone copied around with looser permissions.
    if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new Error(`Cannot read the development signing key ${file}: ${(err as Error).message}`, { cause: err });
    }
    jwk = createKeyFile(file);
  }
  if (jwk.kty !== 'EC' || jwk.crv !== 'P-256' || !jwk.d || !jwk.x || !jwk.y) {
    throw new Error(`${file} is not an ES256 (P-256) private JWK`);
  }
  const publicJwk: JWK = { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y };
  const kid = jwk.kid ?? thumbprint(publicJwk);
  return {
    kid,
    privateJwk: { ...jwk, kid, alg: DEV_ALGORITHM },
    publicJwk: { ...publicJwk, kid, alg: DEV_ALGORITHM, use: 'sig' },
  };
}

function createKeyFile(file: string): JWK {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const raw = privateKey.export({ format: 'jwk' });
  const jwk: JWK = { kty: 'EC', crv: 'P-256', x: raw.x, y: raw.y, d: raw.d };
  jwk.kid = thumbprint(jwk);
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  try {
    // 'wx': never overwrite a key another process created a moment ago.
    writeFileSync(file, `${JSON.stringify(jwk, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
    return jwk;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return JSON.parse(readFileSync(file, 'utf8')) as JWK;
    throw err;
  }
}

// RFC 7638 thumbprint of an EC public key: SHA-256 over its required members in lexicographic order.
function thumbprint(jwk: JWK): string {
  const canonicalJson = JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y });
  return createHash('sha256').update(canonicalJson).digest('base64url');
}

export interface MintOptions {
  clientId: string;
  role: Role;
  organizationHsaId?: string;
  /** Space-separated string or list. */
  scopes: string | readonly string[];
  /** Seconds, or a jose time span such as "15m", "1h", "2d". Default 1h. */
  expiresIn?: number | string;
  issuer?: string;
  audience?: string;
}

/** A compact JWT signed by the development key, shaped like the access tokens the gateway accepts. */
export async function mintToken(options: MintOptions, key: DevKey): Promise<string> {
  const scope = typeof options.scopes === 'string' ? options.scopes : options.scopes.join(' ');
  const claims: Record<string, unknown> = {
    client_id: options.clientId,
    scope,
    [CLAIM_ROLE]: options.role,
  };
  if (options.organizationHsaId) claims[CLAIM_ORGANIZATION] = options.organizationHsaId;
  const expiresIn = options.expiresIn ?? '1h';
  return new SignJWT(claims)
    .setProtectedHeader({ alg: DEV_ALGORITHM, kid: key.kid, typ: 'at+jwt' })
    .setIssuer(options.issuer ?? DEV_ISSUER)
    .setAudience(options.audience ?? DEV_AUDIENCE)
    .setSubject(options.clientId)
    .setJti(randomUUID())
    .setIssuedAt()
    .setExpirationTime(typeof expiresIn === 'number' ? Math.floor(Date.now() / 1000) + expiresIn : expiresIn)
    .sign(key.privateJwk);
}

const TOKEN_HELP = `Usage: samverkan token --role <role> [--org <HSA-id>] [--client <id>] [--scope <scope>]... [--expires <span>]

Mints a development access token signed by the development key (AUTH_MODE=development only).

  --role     ${ROLES.join(' | ')}
  --org      HSA-id of the organisation the client acts for (required for ${ORGANIZATION_ROLES.join(', ')})
  --client   client id (default: dev-cli)
  --scope    SMART scope; repeat or space-separate (default: system/*.rs)
  --expires  lifetime: seconds or a span like 15m, 1h, 2d (default: 1h)
  --help     this text

The key lives in DEV_KEY_FILE (default: <DATA_DIR>/dev-signing-key.json; DATA_DIR defaults to ./data).
`;

/** `samverkan token`: prints a development token (or help) through `out`; throws on bad arguments. */
export async function tokenCommand(
  argv: string[],
  env: Record<string, string | undefined>,
  out: (s: string) => void,
): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      role: { type: 'string' },
      org: { type: 'string' },
      client: { type: 'string', default: 'dev-cli' },
      scope: { type: 'string', multiple: true },
      expires: { type: 'string', default: '1h' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) {
    out(TOKEN_HELP);
    return;
  }
  const role = values.role;
  if (!isRole(role)) throw new Error(`--role must be one of ${ROLES.join(', ')}`);
  const org = values.org;
  if (org !== undefined && !isHsaId(org)) throw new Error(`--org must be an HSA-id such as SE2321000131-E000000000001`);
  if (org === undefined && ORGANIZATION_ROLES.includes(role)) throw new Error(`--org is required for role ${role}`);
  const scopes = (values.scope ?? ['system/*.rs']).flatMap((s) => s.split(/\s+/)).filter(Boolean);
  for (const s of scopes) {
    if (s.includes('/') && !parseScope(s)) throw new Error(`Not a SMART resource scope: ${s}`);
  }
  const expiresIn = /^\d+$/.test(values.expires) ? Number(values.expires) : values.expires;
  if (typeof expiresIn === 'string' && !/^\d+\s*(s|sec|secs|m|min|mins|h|hr|hrs|d|day|days|w|week|weeks)$/.test(expiresIn)) {
    throw new Error('--expires must be seconds or a span such as 15m, 1h, 2d');
  }

  const config = parseAuthConfig(env, env.DATA_DIR ?? 'data');
  if (config.mode !== 'development') {
    throw new Error('samverkan token mints development tokens only; in production, tokens come from the authorization server');
  }
  const key = loadOrCreateDevKey(config.devKeyFile);
  out(await mintToken({ clientId: values.client, role, ...(org ? { organizationHsaId: org } : {}), scopes, expiresIn }, key));
}
