// The HTTP side: GET query parameters and POST Parameters bodies, instance level, and the 4xx outcomes.
import { beforeAll, describe, expect, it } from 'vitest';
import type { OperationOutcome, Parameters, Resource, ValueSet } from '@medplum/fhirtypes';
import { indexR4Definitions } from '../../../src/gateway/r4-definitions.ts';
import { HttpError } from '../../../src/gateway/http/outcome.ts';
import {
  allTerminology,
  isTerminologyOperation,
  terminologyOperation,
  terminologyRequest,
  terminologyResource,
} from '../../../src/gateway/http/terminology-ops.ts';
import { CS, VS } from '../../../src/profiles/terminology/index.ts';

const result = (r: Resource): boolean | undefined => (r as Parameters).parameter?.find((p) => p.name === 'result')?.valueBoolean;

function httpFailure(f: () => unknown): { status: number; text: string; outcome: OperationOutcome } {
  try {
    f();
  } catch (err) {
    if (err instanceof HttpError) return { status: err.status, text: err.outcome.issue?.[0]?.details?.text ?? '', outcome: err.outcome };
    throw err;
  }
  throw new Error('expected an HttpError');
}

beforeAll(() => {
  indexR4Definitions();
});

describe('routing helpers', () => {
  it('knows which operations exist where', () => {
    expect(isTerminologyOperation('CodeSystem', '$lookup')).toBe(true);
    expect(isTerminologyOperation('CodeSystem', '$lookup', true)).toBe(false);
    expect(isTerminologyOperation('ValueSet', '$expand', true)).toBe(true);
    expect(isTerminologyOperation('ValueSet', '$lookup')).toBe(false);
    expect(isTerminologyOperation('Patient', '$expand')).toBe(false);
  });

  it('serves the project resources by id', () => {
    expect(terminologyResource('CodeSystem', 'notice-kind')?.url).toBe(CS.noticeKind);
    expect(terminologyResource('ValueSet', 'nope')).toBeUndefined();
    expect(allTerminology().length).toBeGreaterThan(15);
  });
});

describe('GET', () => {
  it('CodeSystem/$lookup', () => {
    const p = terminologyRequest('GET', 'CodeSystem', '$lookup', [['system', CS.planType], ['code', 'SPLPTLRV'], ['_format', 'json']], undefined) as Parameters;
    expect(p.parameter?.find((x) => x.name === 'display')?.valueString).toBe('Samordnad plan enligt LPT/LRV');
  });

  it('ValueSet/$expand with filter, count and offset as strings', () => {
    const vs = terminologyRequest('GET', 'ValueSet', '$expand', [['url', VS.noticeKind], ['filter', 'sip'], ['count', '1'], ['offset', '1']], undefined) as ValueSet;
    expect(vs.expansion?.total).toBe(2);
    expect(vs.expansion?.contains?.map((c) => c.code)).toEqual(['sip-status']);
    expect(vs.expansion?.timestamp).not.toBe('2025-03-01T00:00:00.000Z');
  });

  it('instance level: /ValueSet/{id}/$expand and /CodeSystem/{id}/$validate-code', () => {
    const vs = terminologyRequest('GET', 'ValueSet', '$expand', [], undefined, { id: 'visam-track' }) as ValueSet;
    expect(vs.expansion?.contains?.map((c) => c.code)).toEqual(['green', 'yellow', 'red']);
    expect(result(terminologyRequest('GET', 'CodeSystem', '$validate-code', [['code', 'kommun']], undefined, { id: 'party-kind' }))).toBe(true);
    expect(httpFailure(() => terminologyRequest('GET', 'ValueSet', '$expand', [], undefined, { id: 'nope' })).status).toBe(404);
    expect(httpFailure(() => terminologyRequest('GET', 'ValueSet', '$expand', [['url', VS.careType]], undefined, { id: 'visam-track' })).status).toBe(400);
    expect(httpFailure(() => terminologyOperation('CodeSystem', '$lookup', { resourceType: 'Parameters' }, { id: 'plan-type' })).status).toBe(404);
  });

  it('R4 terminology the validator indexed: lookup, expand and validate-code', () => {
    const p = terminologyRequest('GET', 'CodeSystem', '$lookup', [['system', 'http://hl7.org/fhir/administrative-gender'], ['code', 'female']], undefined) as Parameters;
    expect(p.parameter?.find((x) => x.name === 'display')?.valueString).toBe('Female');
    const vs = terminologyRequest('GET', 'ValueSet', '$expand', [['url', 'http://hl7.org/fhir/ValueSet/administrative-gender']], undefined) as ValueSet;
    expect(vs.expansion?.contains?.map((c) => c.code)).toEqual(['male', 'female', 'other', 'unknown']);
    expect(result(terminologyRequest('GET', 'ValueSet', '$validate-code', [['url', 'http://hl7.org/fhir/ValueSet/administrative-gender|4.0.1'], ['code', 'mle']], undefined))).toBe(false);
  });

  it('errors: unknown ValueSet/CodeSystem 404 naming it, missing or bad parameter 400, unknown parameter 400, not enumerable 422', () => {
    const unknownVs = httpFailure(() => terminologyRequest('GET', 'ValueSet', '$expand', [['url', 'https://example.org/vs']], undefined));
    expect(unknownVs).toMatchObject({ status: 404 });
    expect(unknownVs.text).toContain('https://example.org/vs');
    expect(unknownVs.outcome.issue?.[0]).toMatchObject({ severity: 'error', code: 'not-found', expression: ['url'] });
    const unknownCs = httpFailure(() => terminologyRequest('GET', 'CodeSystem', '$lookup', [['system', 'https://example.org/cs'], ['code', 'x']], undefined));
    expect(unknownCs.status).toBe(404);
    expect(unknownCs.text).toContain('https://example.org/cs');
    expect(httpFailure(() => terminologyRequest('GET', 'CodeSystem', '$lookup', [['system', CS.planType], ['code', 'XX']], undefined)).status).toBe(404);
    expect(httpFailure(() => terminologyRequest('GET', 'ValueSet', '$expand', [], undefined))).toMatchObject({ status: 400 });
    expect(httpFailure(() => terminologyRequest('GET', 'ValueSet', '$validate-code', [['url', VS.careType]], undefined))).toMatchObject({ status: 400 });
    expect(httpFailure(() => terminologyRequest('GET', 'ValueSet', '$expand', [['url', VS.careType], ['count', 'ten']], undefined))).toMatchObject({ status: 400 });
    const unknownParam = httpFailure(() => terminologyRequest('GET', 'ValueSet', '$expand', [['url', VS.careType], ['filtr', 'x']], undefined));
    expect(unknownParam.status).toBe(400);
    expect(unknownParam.text).toContain('filtr');
    expect(httpFailure(() => terminologyRequest('GET', 'ValueSet', '$expand', [['url', VS.careType], ['url', VS.planType]], undefined)).status).toBe(400);
    expect(httpFailure(() => terminologyRequest('GET', 'ValueSet', '$expand', [['url', 'http://hl7.org/fhir/ValueSet/observation-codes']], undefined)).status).toBe(422);
    expect(httpFailure(() => terminologyRequest('GET', 'ValueSet', '$lookup', [], undefined)).status).toBe(404);
    expect(httpFailure(() => terminologyRequest('PUT', 'ValueSet', '$expand', [], undefined)).status).toBe(405);
  });
});

describe('POST with a Parameters body', () => {
  it('ValueSet/$validate-code with a codeableConcept', () => {
    const body: Parameters = {
      resourceType: 'Parameters',
      parameter: [
        { name: 'url', valueUri: VS.coordinatedPlanType },
        { name: 'codeableConcept', valueCodeableConcept: { coding: [{ system: CS.planType, code: 'GP' }, { system: CS.planType, code: 'SIP' }] } },
      ],
    };
    expect(result(terminologyRequest('POST', 'ValueSet', '$validate-code', [], body))).toBe(true);
  });

  it('CodeSystem/$validate-code with a coding and a wrong display', () => {
    const body: Parameters = {
      resourceType: 'Parameters',
      parameter: [
        { name: 'url', valueUri: CS.consentStatus },
        { name: 'coding', valueCoding: { system: CS.consentStatus, code: 'refused', display: 'Nej' } },
      ],
    };
    const p = terminologyRequest('POST', 'CodeSystem', '$validate-code', [], body) as Parameters;
    expect(result(p)).toBe(false);
    expect(p.parameter?.find((x) => x.name === 'message')?.valueString).toContain('Samtycke nekat');
  });

  it('ValueSet/$expand with integers, and query parameters merged in', () => {
    const body: Parameters = { resourceType: 'Parameters', parameter: [{ name: 'url', valueUri: VS.partyKind }, { name: 'count', valueInteger: 2 }] };
    const vs = terminologyRequest('POST', 'ValueSet', '$expand', [['offset', '4']], body) as ValueSet;
    expect(vs.expansion?.contains?.map((c) => c.code)).toEqual(['kommun', 'region']);
  });

  it('a body that is not Parameters, or a parameter of the wrong type, is 400', () => {
    expect(httpFailure(() => terminologyRequest('POST', 'ValueSet', '$expand', [], { resourceType: 'ValueSet' })).status).toBe(400);
    expect(httpFailure(() => terminologyRequest('POST', 'ValueSet', '$expand', [], null)).status).toBe(400);
    const badCoding: Parameters = { resourceType: 'Parameters', parameter: [{ name: 'url', valueUri: VS.careType }, { name: 'coding', valueString: 'somatic' }] };
    expect(httpFailure(() => terminologyRequest('POST', 'ValueSet', '$validate-code', [], badCoding)).status).toBe(400);
    const negative: Parameters = { resourceType: 'Parameters', parameter: [{ name: 'url', valueUri: VS.careType }, { name: 'count', valueInteger: -1 }] };
    expect(httpFailure(() => terminologyRequest('POST', 'ValueSet', '$expand', [], negative)).status).toBe(400);
  });
});
