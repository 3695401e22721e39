import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import { CLAIM_ORGANIZATION, CLAIM_ROLE } from '../../src/gateway/auth/claims.ts';
import { parseAuthConfig } from '../../src/gateway/auth/config.ts';
import { DEV_AUDIENCE, DEV_ISSUER, loadOrCreateDevKey, mintToken, tokenCommand } from '../../src/gateway/auth/dev-key.ts';
import { createTokenVerifier } from '../../src/gateway/auth/verify.ts';
import { ORG, tempDir } from './keys.ts';

describe('development signing key', () => {
  it('is created once with mode 0600 and reused', () => {
    const file = path.join(tempDir(), 'nested', 'dev-signing-key.json');
    const first = loadOrCreateDevKey(file);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ kty: 'EC', crv: 'P-256', d: expect.any(String) });
    expect(first.publicJwk).not.toHaveProperty('d');
    expect(loadOrCreateDevKey(file).kid).toBe(first.kid);
  });

  it('mints tokens that round-trip through the development verifier', async () => {
    const dir = tempDir();
    const config = parseAuthConfig({}, dir);
    const key = loadOrCreateDevKey(config.mode === 'development' ? config.devKeyFile : '');
    const token = await mintToken(
      { clientId: 'sjukhus-app', role: 'inpatient-unit', organizationHsaId: ORG, scopes: ['system/Encounter.cru'], expiresIn: 60 },
      key,
    );
    const claims = decodeJwt(token);
    expect(claims).toMatchObject({ iss: DEV_ISSUER, aud: DEV_AUDIENCE, [CLAIM_ROLE]: 'inpatient-unit', [CLAIM_ORGANIZATION]: ORG });
    expect(claims.exp! - claims.iat!).toBe(60);

    const principal = await createTokenVerifier(config)(token);
    expect(principal).toMatchObject({ clientId: 'sjukhus-app', role: 'inpatient-unit', organizationHsaId: ORG, development: true });
    expect(principal.scopes.map((s) => s.raw)).toEqual(['system/Encounter.cru']);
  });
});

describe('samverkan token', () => {
  const run = async (argv: string[], env: Record<string, string | undefined>) => {
    const out: string[] = [];
    await tokenCommand(argv, env, (s) => out.push(s));
    return out.join('');
  };

  it('prints a token the development gateway accepts', async () => {
    const env = { DATA_DIR: tempDir() };
    const token = await run(['--role', 'kommun', '--org', ORG, '--client', 'kommun-x', '--scope', 'system/Task.rs system/Encounter.r', '--expires', '15m'], env);
    const principal = await createTokenVerifier(parseAuthConfig(env, env.DATA_DIR))(token);
    expect(principal).toMatchObject({ clientId: 'kommun-x', role: 'kommun', organizationHsaId: ORG });
    expect(principal.scopes.map((s) => s.raw)).toEqual(['system/Task.rs', 'system/Encounter.r']);
    const { exp, iat } = decodeJwt(token);
    expect(exp! - iat!).toBe(900);
  });

  it('prints help and rejects bad arguments', async () => {
    const env = { DATA_DIR: tempDir() };
    expect(await run(['--help'], env)).toContain('--role');
    await expect(run(['--role', 'doctor'], env)).rejects.toThrow(/--role must be one of/);
    await expect(run(['--role', 'kommun'], env)).rejects.toThrow(/--org is required/);
    await expect(run(['--role', 'auditor', '--org', 'not-an-hsa-id'], env)).rejects.toThrow(/HSA-id/);
    await expect(run(['--role', 'auditor', '--scope', 'system/Task.sr'], env)).rejects.toThrow(/Not a SMART resource scope/);
    await expect(run(['--role', 'auditor', '--expires', 'soon'], env)).rejects.toThrow(/--expires/);
    await expect(run(['--role', 'auditor', '--bogus'], env)).rejects.toThrow();
  });

  it('refuses to mint in production mode', async () => {
    const env = { AUTH_MODE: 'production', AUTH_JWKS_FILE: 'x', AUTH_ISSUER: 'i', AUTH_AUDIENCE: 'a', DATA_DIR: tempDir() };
    await expect(run(['--role', 'auditor'], env)).rejects.toThrow(/development tokens only/);
  });
});
