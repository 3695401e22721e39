// Test keys and key sets: real keys from jose, a JWKS file on disk and a JWKS served over loopback HTTP.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll } from 'vitest';
import type { CryptoKey, JWK, JWTPayload } from 'jose';
import { CLAIM_ORGANIZATION, CLAIM_ROLE } from '../../src/gateway/auth/claims.ts';

export const ISSUER = 'https://as.example.test';
export const AUDIENCE = 'https://gateway.example.test/fhir';
export const ORG = 'SE2321000131-E000000000001';

export interface TestKey {
  alg: 'RS256' | 'ES256';
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

export async function testKey(alg: 'RS256' | 'ES256', kid: string): Promise<TestKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg);
  return { alg, kid, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' } };
}

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A fresh directory, removed after the importing test file has run. */
export function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'samverkan-auth-'));
  dirs.push(dir);
  return dir;
}

export function writeJwks(dir: string, keys: TestKey[]): string {
  const file = path.join(dir, 'jwks.json');
  writeFileSync(file, JSON.stringify({ keys: keys.map((k) => k.publicJwk) }));
  return file;
}

/** Serves the key set on 127.0.0.1, counting fetches; `close` stops the server. */
export async function serveJwks(keys: TestKey[]): Promise<{ url: string; fetches: () => number; close: () => Promise<void> }> {
  let fetches = 0;
  const body = JSON.stringify({ keys: keys.map((k) => k.publicJwk) });
  const server = createServer((req, res) => {
    fetches++;
    if (req.url !== '/jwks.json') {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/jwks.json`,
    fetches: () => fetches,
    close: () => new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve()))),
  };
}

export interface SignOptions {
  claims?: JWTPayload;
  issuer?: string;
  audience?: string;
  /** Seconds from now; negative for an expired token; null for no exp at all. */
  expiresIn?: number | null;
}

/** A token as an authorization server would issue it, with a kommun role and organisation by default. */
export async function sign(key: TestKey, options: SignOptions = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const claims: JWTPayload = {
    client_id: 'kommun-app',
    scope: 'system/Encounter.rs system/Task.cruds openid',
    [CLAIM_ROLE]: 'kommun',
    [CLAIM_ORGANIZATION]: ORG,
    jti: 'token-1',
    ...options.claims,
  };
  const jwt = new SignJWT(claims)
    .setProtectedHeader({ alg: key.alg, kid: key.kid })
    .setIssuer(options.issuer ?? ISSUER)
    .setAudience(options.audience ?? AUDIENCE)
    .setIssuedAt(now - 60);
  if (options.expiresIn !== null) jwt.setExpirationTime(now + (options.expiresIn ?? 300));
  return jwt.sign(key.privateKey);
}
