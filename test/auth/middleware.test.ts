import { getStatus } from '@medplum/core';
import express from 'express';
import type { Express } from 'express';
import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AuthConfig } from '../../src/gateway/auth/config.ts';
import { parseAuthConfig } from '../../src/gateway/auth/config.ts';
import { loadOrCreateDevKey, mintToken } from '../../src/gateway/auth/dev-key.ts';
import { authenticate, principalOf, requireScope } from '../../src/gateway/auth/middleware.ts';
import type { Interaction } from '../../src/gateway/auth/scopes.ts';
import { createTokenVerifier } from '../../src/gateway/auth/verify.ts';
import { AUDIENCE, ISSUER, ORG, sign, tempDir, testKey, writeJwks } from './keys.ts';
import type { TestKey } from './keys.ts';

// A tiny FHIR-ish app: GET reads, POST creates, each guarded by requireScope.
function app(config: AuthConfig): Express {
  const a = express();
  a.use(authenticate(createTokenVerifier(config), config));
  const guarded = (interaction: Interaction) => (req: express.Request, res: express.Response) => {
    const principal = principalOf(res);
    const denied = requireScope(principal, interaction, String(req.params.type));
    if (denied) {
      res.status(getStatus(denied)).type('application/fhir+json').send(JSON.stringify(denied));
      return;
    }
    res.json({ clientId: principal.clientId, role: principal.role, org: principal.organizationHsaId, development: principal.development });
  };
  a.get('/fhir/:type/:id', guarded('read'));
  a.post('/fhir/:type', guarded('create'));
  return a;
}

describe('authenticate in production', () => {
  let key: TestKey;
  let server: Express;
  beforeAll(async () => {
    key = await testKey('ES256', 'k1');
    server = app({ mode: 'production', jwksFile: writeJwks(tempDir(), [key]), issuer: ISSUER, audience: AUDIENCE });
  });

  it('401s a request without a token, with a Bearer challenge and an OperationOutcome', async () => {
    const res = await request(server).get('/fhir/Encounter/1');
    expect(res.status).toBe(401);
    expect(res.headers['content-type']).toMatch(/^application\/fhir\+json/);
    expect(res.headers['www-authenticate']).toBe('Bearer realm="samverkan-gateway"');
    const body = JSON.parse(res.text);
    expect(body).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'login' }] });
    expect(body.issue[0].diagnostics).toContain('Authorization: Bearer');
  });

  it('401s a non-Bearer header as invalid_request', async () => {
    const res = await request(server).get('/fhir/Encounter/1').set('Authorization', 'Basic dXNlcjpwYXNz');
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toContain('error="invalid_request"');
  });

  it('401s an expired token saying so, without echoing it', async () => {
    const token = await sign(key, { expiresIn: -120 });
    const res = await request(server).get('/fhir/Encounter/1').set('Authorization', `Bearer ${token}`);
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toContain('error="invalid_token"');
    expect(JSON.parse(res.text).issue[0].diagnostics).toBe('Access token expired');
    expect(res.text + res.headers['www-authenticate']).not.toContain(token);
  });

  it('401s a token for another audience with that reason', async () => {
    const token = await sign(key, { audience: 'https://elsewhere.test' });
    const res = await request(server).get('/fhir/Encounter/1').set('Authorization', `Bearer ${token}`);
    expect(res.status).toBe(401);
    expect(JSON.parse(res.text).issue[0].diagnostics).toMatch(/wrong audience/);
  });

  it('lets a valid token through with its principal, and 403s an interaction its scopes lack', async () => {
    const token = await sign(key); // system/Encounter.rs system/Task.cruds
    const ok = await request(server).get('/fhir/Encounter/1').set('Authorization', `bearer ${token}`);
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({ clientId: 'kommun-app', role: 'kommun', org: ORG, development: false });

    const denied = await request(server).post('/fhir/Encounter').set('Authorization', `Bearer ${token}`).send({});
    expect(denied.status).toBe(403);
    expect(denied.headers['content-type']).toMatch(/^application\/fhir\+json/);
    expect(JSON.parse(denied.text)).toMatchObject({
      resourceType: 'OperationOutcome',
      issue: [{ code: 'forbidden', diagnostics: 'Interaction create on Encounter needs scope system/Encounter.c' }],
    });
    expect((await request(server).post('/fhir/Task').set('Authorization', `Bearer ${token}`).send({})).status).toBe(200);
  });
});

describe('authenticate in development', () => {
  let config: AuthConfig;
  let server: Express;
  beforeAll(() => {
    config = parseAuthConfig({}, tempDir());
    server = app(config);
  });

  it('gives a request without a token the development principal', async () => {
    const res = await request(server).post('/fhir/Encounter').send({});
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ clientId: 'development', role: 'region-admin', development: true });
  });

  it('verifies a token against the development key, and rejects one signed by anything else', async () => {
    const devKey = loadOrCreateDevKey(config.mode === 'development' ? config.devKeyFile : '');
    const token = await mintToken({ clientId: 'kommun-dev', role: 'kommun', organizationHsaId: ORG, scopes: 'system/Encounter.r' }, devKey);
    const ok = await request(server).get('/fhir/Encounter/1').set('Authorization', `Bearer ${token}`);
    expect(ok.body).toEqual({ clientId: 'kommun-dev', role: 'kommun', org: ORG, development: true });
    // The token's own scopes apply, not the development principal's.
    expect((await request(server).post('/fhir/Encounter').set('Authorization', `Bearer ${token}`).send({})).status).toBe(403);

    const foreign = await sign(await testKey('ES256', devKey.kid), { issuer: 'samverkan-dev', audience: 'samverkan-gateway' });
    const res = await request(server).get('/fhir/Encounter/1').set('Authorization', `Bearer ${foreign}`);
    expect(res.status).toBe(401);
    expect(JSON.parse(res.text).issue[0].diagnostics).toBe('Access token signature is not valid');
  });
});
