// Every example of examples.ts (whatever it holds) over real HTTP on loopback, through `POST {type}/$validate`
// and through a create (`POST {type}`), with the gateway's own validator (profiles, terminology and the Swedish
// identifier layer): a valid example is all-clear (200) and is created (201); an invalid one has exactly its
// one stated error (expression and message phrase) from $validate (200: the validation ran, per FHIR) and is
// refused with 422 carrying the same error. The store does not resolve references on a write, so the examples'
// references (Patient/p1, Organization/avd71, ...) need no resources behind them. PGlite only: the verdicts
// come from the validator, which is the same whatever the store.
//
// Two carve-outs, each asserted so that it fails once it no longer holds:
// * EXTRA_OVER_HTTP: an invalid example whose stated error is joined over HTTP by one more from the Swedish
//   identifier layer (which examples.test.ts, a bare Validator, does not run). The example should be fixed.
// * Profiles on a type the gateway validates but does not store (Bundle: Utskrivningsinformation and
//   UtskrivningsinformationVgr, a `collection` handed over, not kept) go through `Bundle/$validate` like the
//   others, but have no create: `POST Bundle` answers 404 naming the type, for valid and invalid examples alike.
//   The last block checks the rest of Bundle's surface: only type-level POST $validate, nothing else.
import type { CapabilityStatement, OperationOutcome, OperationOutcomeIssue, Resource } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Fhir } from '../../http/http.ts';
import { startTestGateway, type TestGateway } from '../../support/gateway.ts';
import { PROFILE } from '../../../src/profiles/definitions/index.ts';
import { EXAMPLES, type InvalidExample } from './examples.ts';

let gw: TestGateway;
let fhir: Fhir;

beforeAll(async () => {
  gw = await startTestGateway('pglite');
  fhir = new Fhir(gw.base);
  const cs = await fhir.get<CapabilityStatement>('metadata');
  served = new Set((cs.body.rest?.[0]?.resource ?? []).map((r) => r.type));
}, 60_000);
afterAll(async () => {
  await gw?.stop();
});

const errors = (o: OperationOutcome) => (o.issue ?? []).filter((i) => i.severity === 'error' || i.severity === 'fatal');
const describeIssue = (i: OperationOutcomeIssue) => `${i.severity} ${i.expression?.join(',')}: ${i.details?.text}`;
const ALL_CLEAR = 'No issues: the resource is valid';

/** Example name → the extra error the identifier layer adds over HTTP (its expression and a phrase). */
const EXTRA_OVER_HTTP: Record<string, { expression: string; message: string }> = {
  // The wrong system is the länskod OID, so the identifier layer also checks '1880' as a länskod.
  'folkbokföringskommun not a kommunkod Coding': { expression: 'Patient.extension[0].valueCoding.code', message: 'is not a valid länskod' },
};

function expectOneError(outcome: OperationOutcome, e: InvalidExample): void {
  const found = errors(outcome);
  const extra = EXTRA_OVER_HTTP[e.name];
  expect(found.map(describeIssue), e.name).toHaveLength(extra ? 2 : 1);
  const stated = found.find((i) => i.expression?.[0] === e.expression);
  expect(found.map((i) => i.expression), e.name).toContainEqual([e.expression]);
  expect(stated?.details?.text).toContain(e.message);
  if (extra) {
    const other = found.find((i) => i !== stated);
    expect(other?.expression).toEqual([extra.expression]);
    expect(other?.details?.text).toContain(extra.message);
  }
}

let served: Set<string>;

for (const group of EXAMPLES) {
  const name = group.profile.slice(group.profile.lastIndexOf('/') + 1);
  const type = (group.valid[0] ?? group.invalid[0])!.resource.resourceType;
  describe(name, () => {
    it('is on a type the gateway serves, or on one it only validates (Bundle), whose create is refused with 404 naming it', async () => {
      if (served.has(type)) return;
      expect(type).toBe('Bundle');
      for (const e of [...group.valid, ...group.invalid]) {
        const a = await fhir.post<OperationOutcome>(type, e.resource);
        expect(a.status, a.text).toBe(404);
        expect(a.body.issue?.[0]?.details?.text).toContain(`Resource type ${type} is not served`);
      }
    });

    it.each(group.valid.map((e) => [e.name, e] as const))('valid: %s, through $validate and a create', async (_n, e) => {
      const validated = await fhir.post<OperationOutcome>(`${type}/$validate`, e.resource);
      expect(validated.status, validated.text).toBe(200);
      const issues = validated.body.issue ?? [];
      if (issues.length) expect(issues.map(describeIssue)).toEqual([`information undefined: ${ALL_CLEAR}`]);

      if (!served.has(type)) return; // validated, not stored: see the first test
      const created = await fhir.post<Resource>(type, e.resource);
      expect(created.status, created.text.slice(0, 500)).toBe(201);
      expect(created.body.meta?.profile).toEqual(e.resource.meta?.profile);
    });

    it.each(group.invalid.map((e) => [e.name, e] as const))('invalid: %s, through $validate and refused by a create', async (_n, e) => {
      const validated = await fhir.post<OperationOutcome>(`${type}/$validate`, e.resource);
      expect(validated.status, validated.text).toBe(200);
      expectOneError(validated.body, e);

      if (!served.has(type)) return; // validated, not stored: see the first test

      const created = await fhir.post<OperationOutcome>(type, e.resource);
      expect(created.status, created.text.slice(0, 500)).toBe(422);
      expect(created.body.resourceType).toBe('OperationOutcome');
      expectOneError(created.body, e);
    });

    it('the valid examples pass $validate?profile= with the profile asked for instead of claimed', async () => {
      for (const e of group.valid) {
        const { meta: _meta, ...rest } = e.resource as unknown as Record<string, unknown>;
        const a = await fhir.post<OperationOutcome>(`${type}/$validate?profile=${encodeURIComponent(group.profile)}`, rest);
        expect(a.status).toBe(200);
        expect(errors(a.body).map(describeIssue), e.name).toEqual([]);
      }
    });
  });
}

// Bundle is validated, not stored: `POST Bundle/$validate` (a Bundle or a Parameters body, `profile` in the query
// or the body) and nothing else; it is not in the CapabilityStatement, which lists the stored types.
describe('Bundle: only $validate', () => {
  const utskrivningsinformation = () => {
    const group = EXAMPLES.find((g) => g.profile === PROFILE.utskrivningsinformation)!;
    const { meta: _meta, ...bundle } = group.valid[0]!.resource as unknown as Record<string, unknown>;
    return bundle;
  };

  it('is not a served type', () => {
    expect(served.has('Bundle')).toBe(false);
  });

  it('validates a plain R4 Bundle, and finds what R4 says is wrong with one', async () => {
    const ok = await fhir.post<OperationOutcome>('Bundle/$validate', { resourceType: 'Bundle', type: 'collection' });
    expect(ok.status, ok.text).toBe(200);
    expect((ok.body.issue ?? []).map(describeIssue)).toEqual([`information undefined: ${ALL_CLEAR}`]);
    const bad = await fhir.post<OperationOutcome>('Bundle/$validate', { resourceType: 'Bundle', type: 'pile' });
    expect(bad.status, bad.text).toBe(200);
    expect(errors(bad.body).map((i) => i.expression?.[0])).toEqual(['Bundle.type']);
  });

  it('takes the profile from a Parameters body as from the query', async () => {
    const params = (profile: string) => ({
      resourceType: 'Parameters',
      parameter: [
        { name: 'resource', resource: utskrivningsinformation() },
        { name: 'profile', valueUri: profile },
      ],
    });
    const ok = await fhir.post<OperationOutcome>('Bundle/$validate', params(PROFILE.utskrivningsinformation));
    expect(ok.status, ok.text).toBe(200);
    expect(errors(ok.body).map(describeIssue)).toEqual([]);
    // The same documents do not make VGR's list.
    const vgr = await fhir.post<OperationOutcome>('Bundle/$validate', params(PROFILE.utskrivningsinformationVgr));
    expect(errors(vgr.body).map((i) => i.details?.text?.slice(0, 22))).toEqual(['Constraint sg-ufi-6 no']);
    const unknown = await fhir.post<OperationOutcome>(`Bundle/$validate?profile=${encodeURIComponent('https://example.org/fhir/StructureDefinition/x')}`, utskrivningsinformation());
    expect(errors(unknown.body).map((i) => i.code)).toEqual(['not-found']);
  });

  it('refuses a body of another type with 400, and GET with 405', async () => {
    const other = await fhir.post<OperationOutcome>('Bundle/$validate', { resourceType: 'Patient' });
    expect(other.status, other.text).toBe(400);
    const get = await fhir.get<OperationOutcome>('Bundle/$validate');
    expect(get.status, get.text).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
  });

  it.each([
    ['GET', 'Bundle'],
    ['POST', 'Bundle/_search'],
    ['GET', 'Bundle/b1'],
    ['PUT', 'Bundle/b1'],
    ['DELETE', 'Bundle/b1'],
    ['GET', 'Bundle/b1/$validate'],
    ['GET', 'Bundle/_history'],
  ])('%s %s is 404: Bundle is not stored', async (method, path) => {
    const a = await fhir.call<OperationOutcome>(method, path, method === 'PUT' ? { body: { resourceType: 'Bundle', id: 'b1', type: 'collection' } } : {});
    expect(a.status, a.text).toBe(404);
    expect(a.body.issue?.[0]?.details?.text).toContain('Resource type Bundle is not served');
  });
});
