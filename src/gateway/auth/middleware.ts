// Express glue: every request leaves here with a principal on res.locals, or with a 401 OperationOutcome.
import { forbidden, unauthorized } from '@medplum/core';
import type { OperationOutcome } from '@medplum/fhirtypes';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { AuthConfig } from './config.ts';
import type { Principal } from './principal.ts';
import { allows, isHonoured, missingScope, parseScopes } from './scopes.ts';
import type { Interaction } from './scopes.ts';
import { AuthError } from './verify.ts';
import type { TokenVerifier } from './verify.ts';

const REALM = 'samverkan-gateway';
const FHIR_JSON = 'application/fhir+json; charset=utf-8';

/** Who an unauthenticated request is in development mode: full access, clearly marked. */
// Parsed once: every token-less request in development mode gets this principal.
const DEVELOPMENT_SCOPES = parseScopes('system/*.cruds');

export function developmentPrincipal(): Principal {
  return {
    clientId: 'development',
    role: 'region-admin',
    scopes: DEVELOPMENT_SCOPES,
    development: true,
  };
}

/**
 * Authenticates each request from `Authorization: Bearer <token>`. Production: no token → 401.
 * Development: no token → the development principal; a token is still verified (against the dev key).
 */
export function authenticate(verifier: TokenVerifier, config: AuthConfig): RequestHandler {
  return async (req: Request, res: Response, next: NextFunction) => {
    const header = req.headers.authorization;
    if (header === undefined) {
      if (config.mode === 'development') {
        res.locals.principal = developmentPrincipal();
        next();
        return;
      }
      sendUnauthorized(res, 'Authentication required: send an access token as Authorization: Bearer <token>');
      return;
    }
    const match = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i.exec(header);
    if (!match) {
      sendUnauthorized(res, 'Authorization header must be "Bearer <token>"', 'invalid_request');
      return;
    }
    try {
      res.locals.principal = await verifier(match[1]!);
    } catch (err) {
      if (err instanceof AuthError && err.status === 503) {
        sendOutcome(res, 503, outcome('transient', err.message));
        return;
      }
      const message = err instanceof AuthError ? err.message : 'Access token could not be verified';
      sendUnauthorized(res, message, 'invalid_token');
      return;
    }
    next();
  };
}

/** The principal `authenticate` put on the response; throws if it did not run (a wiring bug). */
export function principalOf(res: Response): Principal {
  const principal = res.locals.principal as Principal | undefined;
  if (!principal) throw new Error('No principal on this request: authenticate() must run before this handler');
  return principal;
}

/**
 * undefined when `principal` may perform `interaction` on `resourceType`; otherwise a 403
 * OperationOutcome (getStatus → 403) naming the scope that would allow it.
 */
export function requireScope(
  principal: Principal,
  interaction: Interaction,
  resourceType?: string,
): OperationOutcome | undefined {
  if (allows(principal.scopes, interaction, resourceType)) return undefined;
  const target = resourceType ? ` on ${resourceType}` : '';
  const unhonoured = principal.scopes.some((s) => !isHonoured(s))
    ? ' (patient/ scopes and scopes with ?restrictions are not supported yet and grant nothing)'
    : '';
  const diagnostics =
    interaction === 'transaction' || interaction === 'batch'
      ? `Interaction ${interaction} needs at least one usable resource scope${unhonoured}`
      : `Interaction ${interaction}${target} needs scope ${missingScope(interaction, resourceType)}${unhonoured}`;
  return {
    ...forbidden,
    issue: [{ ...forbidden.issue[0]!, diagnostics }],
  };
}

function outcome(code: 'login' | 'transient', diagnostics: string): OperationOutcome {
  if (code === 'login') return { ...unauthorized, issue: [{ ...unauthorized.issue[0]!, diagnostics }] };
  return { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code, diagnostics }] };
}

function sendUnauthorized(res: Response, diagnostics: string, error?: 'invalid_request' | 'invalid_token'): void {
  // RFC 6750: no error attribute when no credentials were sent; the description must not contain quotes.
  const challenge = error
    ? `Bearer realm="${REALM}", error="${error}", error_description="${diagnostics.replace(/["\\]/g, "'")}"`
    : `Bearer realm="${REALM}"`;
  res.setHeader('WWW-Authenticate', challenge);
  sendOutcome(res, 401, outcome('login', diagnostics));
}

function sendOutcome(res: Response, status: number, body: OperationOutcome): void {
  res.status(status).type(FHIR_JSON).send(JSON.stringify(body));
}
