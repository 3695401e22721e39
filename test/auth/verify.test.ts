import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLAIM_ORGANIZATION, CLAIM_ROLE } from '../../src/gateway/auth/claims.ts';
import { AuthConfigError } from '../../src/gateway/auth/config.ts';
import { loadOrCreateDevKey } from '../../src/gateway/auth/dev-key.ts';
import type { ProductionAuthConfig } from '../../src/gateway/auth/config.ts';
import { AuthError, createTokenVerifier } from '../../src/gateway/auth/verify.ts';
import type { TokenVerifier } from '../../src/gateway/auth/verify.ts';
import { AUDIENCE, ISSUER, ORG, serveJwks, sign, tempDir, testKey, writeJwks } from './keys.ts';
import type { TestKey } from './keys.ts';

let rsa: TestKey;
let ec: TestKey;
let stranger: TestKey; // same kid as `ec`, but not in any key set
let jwksFile: string;

beforeAll(async () => {
  [rsa, ec, stranger] = await Promise.all([testKey('RS256', 'rsa-1'), testKey('ES256', 'ec-1'), testKey('ES256', 'ec-1')]);
  jwksFile = writeJwks(tempDir(), [rsa, ec]);
});

const production = (keys: { jwksFile: string } | { jwksUrl: string }): ProductionAuthConfig => ({
  mode: 'production',
  issuer: ISSUER,
  audience: AUDIENCE,
  ...keys,
});

async function rejection(verify: TokenVerifier, token: string): Promise<AuthError> {
  const err = await verify(token).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AuthError);
  return err as AuthError;
}

describe('token verifier with a JWKS file', () => {
  let verify: TokenVerifier;
  beforeAll(() => {
    verify = createTokenVerifier(production({ jwksFile }));
  });

  it('turns RS256 and ES256 tokens into a principal', async () => {
    for (const key of [rsa, ec]) {
      const principal = await verify(await sign(key));
      expect(principal).toMatchObject({
        clientId: 'kommun-app',
        role: 'kommun',
        organizationHsaId: ORG,
        development: false,
        tokenId: 'token-1',
      });
      expect(principal.scopes.map((s) => s.raw)).toEqual(['system/Encounter.rs', 'system/Task.cruds']);
    }
  });

  it('falls back to sub when there is no client_id', async () => {
    const token = await sign(ec, { claims: { client_id: undefined, sub: 'from-sub' } });
    expect((await verify(token)).clientId).toBe('from-sub');
  });

  it('tolerates 30 s of clock skew, not more', async () => {
    await expect(verify(await sign(ec, { expiresIn: -20 }))).resolves.toMatchObject({ role: 'kommun' });
    expect(await rejection(verify, await sign(ec, { expiresIn: -40 }))).toMatchObject({ reason: 'expired', message: 'Access token expired' });
  });

  it('rejects a wrong issuer, a wrong audience and a missing exp', async () => {
    expect((await rejection(verify, await sign(ec, { issuer: 'https://evil.test' }))).reason).toBe('wrong-issuer');
    const aud = await rejection(verify, await sign(ec, { audience: 'https://other-gateway.test' }));
    expect(aud).toMatchObject({ reason: 'wrong-audience', message: expect.stringContaining('audience') });
    expect((await rejection(verify, await sign(ec, { expiresIn: null }))).reason).toBe('missing-claim');
  });

  it('rejects a bad signature and a key it does not know', async () => {
    const token = await sign(ec);
    const [h, p] = token.split('.');
    const forged = await sign(stranger); // signed by a different key under the trusted kid
    expect((await rejection(verify, `${h}.${p}.${forged.split('.')[2]}`)).reason).toBe('bad-signature');
    expect((await rejection(verify, forged)).reason).toBe('bad-signature');
    const unknownKid = await sign({ ...stranger, kid: 'nobody' });
    expect((await rejection(verify, unknownKid)).reason).toBe('unknown-key');
    expect((await rejection(verify, 'not.a.jwt')).reason).toBe('malformed');
  });

  it('rejects unsigned and HMAC tokens', async () => {
    const payload = Buffer.from(JSON.stringify({ iss: ISSUER, aud: AUDIENCE, exp: 9999999999 })).toString('base64url');
    const none = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${payload}.`;
    expect((await rejection(verify, none)).reason).toBe('algorithm-not-allowed');
    const hs = `${Buffer.from('{"alg":"HS256","kid":"rsa-1"}').toString('base64url')}.${payload}.c2ln`;
    expect((await rejection(verify, hs)).reason).toBe('algorithm-not-allowed');
  });

  it('rejects a missing or unknown role, and an organisation role without an organisation', async () => {
    const missing = await rejection(verify, await sign(ec, { claims: { [CLAIM_ROLE]: undefined } }));
    expect(missing).toMatchObject({ reason: 'missing-claim', message: expect.stringContaining(CLAIM_ROLE) });
    const unknown = await rejection(verify, await sign(ec, { claims: { [CLAIM_ROLE]: 'superuser' } }));
    expect(unknown).toMatchObject({ reason: 'invalid-claim', message: expect.stringContaining('not one of') });
    const noOrg = await rejection(verify, await sign(ec, { claims: { [CLAIM_ORGANIZATION]: undefined } }));
    expect(noOrg).toMatchObject({ reason: 'missing-claim', message: expect.stringContaining(CLAIM_ORGANIZATION) });
    const badOrg = await rejection(verify, await sign(ec, { claims: { [CLAIM_ORGANIZATION]: 'Malmö' } }));
    expect(badOrg.reason).toBe('invalid-claim');
    // Region administrators and auditors act for no single organisation.
    const admin = await verify(await sign(ec, { claims: { [CLAIM_ROLE]: 'auditor', [CLAIM_ORGANIZATION]: undefined } }));
    expect(admin).toMatchObject({ role: 'auditor' });
    expect(admin).not.toHaveProperty('organizationHsaId');
  });

  it('never echoes the token in its errors', async () => {
    const token = await sign(ec, { issuer: 'https://evil.test' });
    const err = await rejection(verify, token);
    expect(JSON.stringify({ m: err.message, s: err.stack })).not.toContain(token.split('.')[1]);
  });

  it('refuses key files that are unreadable or hold private keys', () => {
    const dir = tempDir();
    expect(() => createTokenVerifier(production({ jwksFile: path.join(dir, 'missing.json') }))).toThrow(AuthConfigError);
    const leaky = path.join(dir, 'leaky.json');
    const { privateJwk } = loadOrCreateDevKey(path.join(dir, 'private.json'));
    writeFileSync(leaky, JSON.stringify({ keys: [privateJwk] }));
    expect(() => createTokenVerifier(production({ jwksFile: leaky }))).toThrow(/public keys only/);
  });
});

describe('token verifier with a JWKS URL over loopback HTTP', () => {
  let server: Awaited<ReturnType<typeof serveJwks>>;
  beforeAll(async () => {
    server = await serveJwks([rsa, ec]);
  });
  afterAll(() => server?.close());

  it('fetches the key set once and verifies tokens with it', async () => {
    const verify = createTokenVerifier(production({ jwksUrl: server.url }));
    expect(await verify(await sign(rsa))).toMatchObject({ role: 'kommun', organizationHsaId: ORG });
    expect(await verify(await sign(ec))).toMatchObject({ role: 'kommun' });
    expect(server.fetches()).toBe(1);
    expect((await rejection(verify, await sign(stranger))).reason).toBe('bad-signature');
  });

  it('reports an unreachable key set as unavailable (503), not as a bad token', async () => {
    const verify = createTokenVerifier(production({ jwksUrl: server.url.replace('/jwks.json', '/gone.json') }));
    expect(await rejection(verify, await sign(ec))).toMatchObject({ reason: 'key-set-unavailable', status: 503 });
  });
});
