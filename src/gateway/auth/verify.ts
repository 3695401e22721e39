// Access-token verification: signature against the configured keys, then issuer, audience, expiry and
// the claims that make a principal. Errors carry a reason safe to show the client; never the token.
import { readFileSync } from 'node:fs';
import { createLocalJWKSet, createRemoteJWKSet, errors, jwtVerify } from 'jose';
import type { JSONWebKeySet, JWTPayload, JWTVerifyGetKey } from 'jose';
import type { AuthConfig } from './config.ts';
import { AuthConfigError } from './config.ts';
import { CLAIM_ORGANIZATION, CLAIM_ROLE } from './claims.ts';
import { DEV_AUDIENCE, DEV_ISSUER, loadOrCreateDevKey } from './dev-key.ts';
import { isHsaId, isRole, ORGANIZATION_ROLES, ROLES } from './principal.ts';
import type { Principal } from './principal.ts';
import { parseScopes } from './scopes.ts';

export { CLAIM_ORGANIZATION, CLAIM_ROLE } from './claims.ts';

export const ALLOWED_ALGORITHMS = ['RS256', 'RS384', 'ES256', 'ES384'];
export const CLOCK_TOLERANCE_SECONDS = 30;

export type AuthFailureReason =
  | 'expired'
  | 'not-yet-valid'
  | 'wrong-issuer'
  | 'wrong-audience'
  | 'bad-signature'
  | 'unknown-key'
  | 'algorithm-not-allowed'
  | 'malformed'
  | 'missing-claim'
  | 'invalid-claim'
  | 'key-set-unavailable';

/** A rejected token. `message` is meant for the client (OperationOutcome diagnostics). */
export class AuthError extends Error {
  override name = 'AuthError';
  readonly reason: AuthFailureReason;
  /** 401 for a bad token; 503 when the key set cannot be fetched (not the client's fault). */
  readonly status: 401 | 503;

  constructor(reason: AuthFailureReason, message: string, status: 401 | 503 = 401) {
    super(message);
    this.reason = reason;
    this.status = status;
  }
}

export type TokenVerifier = (token: string) => Promise<Principal>;

/** Builds the verifier for `config`; reads a JWKS file or the dev key now, so bad keys fail at startup. */
export function createTokenVerifier(config: AuthConfig): TokenVerifier {
  const { keys, issuer, audience, development } = keySource(config);
  return async (token) => {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, keys, {
        issuer,
        audience,
        algorithms: ALLOWED_ALGORITHMS,
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
        requiredClaims: ['exp'],
      }));
    } catch (err) {
      throw toAuthError(err);
    }
    return principalFromClaims(payload, development);
  };
}

function keySource(config: AuthConfig): { keys: JWTVerifyGetKey; issuer: string; audience: string; development: boolean } {
  if (config.mode === 'development') {
    const devKey = loadOrCreateDevKey(config.devKeyFile);
    return {
      keys: createLocalJWKSet({ keys: [devKey.publicJwk] }),
      issuer: DEV_ISSUER,
      audience: DEV_AUDIENCE,
      development: true,
    };
  }
  const base = { issuer: config.issuer, audience: config.audience, development: false };
  if (config.jwksFile) return { ...base, keys: createLocalJWKSet(readJwksFile(config.jwksFile)) };
  if (config.jwksUrl) return { ...base, keys: remoteKeys(new URL(config.jwksUrl)) };
  throw new AuthConfigError('AUTH_MODE=production needs AUTH_JWKS_FILE or AUTH_JWKS_URL');
}

function readJwksFile(file: string): JSONWebKeySet {
  let jwks: unknown;
  try {
    jwks = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new AuthConfigError(`AUTH_JWKS_FILE ${file} cannot be read as JSON: ${(err as Error).message}`, { cause: err });
  }
  if (!jwks || typeof jwks !== 'object' || !Array.isArray((jwks as { keys?: unknown }).keys)) {
    throw new AuthConfigError(`AUTH_JWKS_FILE ${file} is not a JWK Set (expected {"keys": [...]})`);
  }
  const set = jwks as JSONWebKeySet;
  // A private key in a published key set is a leak waiting to happen; refuse it loudly.
  if (set.keys.some((k) => 'd' in k || 'k' in k)) {
    throw new AuthConfigError(`AUTH_JWKS_FILE ${file} contains private or symmetric keys; it must hold public keys only`);
  }
  return set;
}

// Failures to fetch the key set are ours, not the client's: tell them apart from a token no key matches.
function remoteKeys(url: URL): JWTVerifyGetKey {
  const remote = createRemoteJWKSet(url);
  const tokenProblems = new Set(['ERR_JWKS_NO_MATCHING_KEY', 'ERR_JWKS_MULTIPLE_MATCHING_KEYS', 'ERR_JOSE_ALG_NOT_ALLOWED', 'ERR_JOSE_NOT_SUPPORTED']);
  return async (header, token) => {
    try {
      return await remote(header, token);
    } catch (err) {
      if (err instanceof errors.JOSEError && tokenProblems.has(err.code)) throw err;
      throw new AuthError('key-set-unavailable', 'The key set to verify access tokens is unavailable; try again later', 503);
    }
  };
}

function toAuthError(err: unknown): AuthError {
  if (err instanceof AuthError) return err;
  if (err instanceof errors.JWTExpired) return new AuthError('expired', 'Access token expired');
  if (err instanceof errors.JWTClaimValidationFailed) {
    switch (err.claim) {
      case 'iss':
        return new AuthError('wrong-issuer', 'Access token was not issued by the trusted issuer');
      case 'aud':
        return new AuthError('wrong-audience', 'Access token was not issued for this gateway (wrong audience)');
      case 'nbf':
        return new AuthError('not-yet-valid', 'Access token is not valid yet (nbf)');
      case 'exp':
        return err.reason === 'missing'
          ? new AuthError('missing-claim', 'Access token has no expiry (exp)')
          : new AuthError('invalid-claim', 'Access token has an invalid expiry (exp)');
      default:
        return new AuthError('invalid-claim', `Access token claim ${safeName(err.claim)} is invalid`);
    }
  }
  if (err instanceof errors.JWSSignatureVerificationFailed) {
    return new AuthError('bad-signature', 'Access token signature is not valid');
  }
  if (err instanceof errors.JWKSNoMatchingKey || err instanceof errors.JWKSMultipleMatchingKeys) {
    return new AuthError('unknown-key', 'Access token is not signed by a trusted key');
  }
  if (err instanceof errors.JOSEAlgNotAllowed || err instanceof errors.JOSENotSupported) {
    return new AuthError('algorithm-not-allowed', `Access token algorithm not allowed (allowed: ${ALLOWED_ALGORITHMS.join(', ')})`);
  }
  return new AuthError('malformed', 'Access token is not a well-formed signed JWT');
}

function principalFromClaims(payload: JWTPayload, development: boolean): Principal {
  const clientId = nonEmptyString(payload.client_id) ?? nonEmptyString(payload.sub);
  if (!clientId) throw new AuthError('missing-claim', 'Access token has no client_id (or sub) claim');

  const role = payload[CLAIM_ROLE];
  if (role === undefined) throw new AuthError('missing-claim', `Access token has no role claim (${CLAIM_ROLE})`);
  if (!isRole(role)) {
    throw new AuthError('invalid-claim', `Access token role is not one of ${ROLES.join(', ')} (${CLAIM_ROLE})`);
  }

  const org = payload[CLAIM_ORGANIZATION];
  if (org !== undefined && !isHsaId(org)) {
    throw new AuthError('invalid-claim', `Access token organisation is not an HSA-id (${CLAIM_ORGANIZATION})`);
  }
  if (org === undefined && ORGANIZATION_ROLES.includes(role)) {
    throw new AuthError('missing-claim', `Role ${role} needs the organisation claim (${CLAIM_ORGANIZATION})`);
  }

  const scope = payload.scope;
  if (scope !== undefined && typeof scope !== 'string') {
    throw new AuthError('invalid-claim', 'Access token scope must be a space-separated string');
  }

  const principal: Principal = { clientId, role, scopes: parseScopes(scope), development };
  if (org !== undefined) principal.organizationHsaId = org;
  const jti = nonEmptyString(payload.jti);
  if (jti) principal.tokenId = jti;
  return principal;
}

function nonEmptyString(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() !== '' ? v : undefined;
}

// Claim names come from jose, but keep diagnostics to plain identifiers anyway.
function safeName(name: string): string {
  return /^[\w:/.-]{1,100}$/.test(name) ? name : 'unknown';
}
