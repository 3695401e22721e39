// $lookup, $validate-code and $expand over the project's terminology (pure functions).
import { describe, expect, it } from 'vitest';
import type { Parameters, ParametersParameter } from '@medplum/fhirtypes';
import { CS, TerminologyError, TerminologyService, VS, expand, lookup, validateCode } from '../../../src/profiles/terminology/index.ts';

const get = (p: Parameters, name: string): ParametersParameter | undefined => p.parameter?.find((x) => x.name === name);
const all = (p: Parameters, name: string): ParametersParameter[] => (p.parameter ?? []).filter((x) => x.name === name);
const resultOf = (p: Parameters): boolean | undefined => get(p, 'result')?.valueBoolean;

function failure(f: () => unknown): TerminologyError {
  try {
    f();
  } catch (err) {
    if (err instanceof TerminologyError) return err;
    throw err;
  }
  throw new Error('expected a TerminologyError');
}

describe('$lookup', () => {
  it('gives name, version, Swedish display, English definition, designation and properties', () => {
    const p = lookup(CS.noticeKind, 'utskrivningsklar');
    expect(get(p, 'name')?.valueString).toMatch(/Notice kinds/);
    expect(get(p, 'version')?.valueString).toBe('0.1.0');
    expect(get(p, 'display')?.valueString).toBe('Utskrivningsklar');
    expect(get(p, 'definition')?.valueString).toMatch(/ready for discharge/);
    expect(get(p, 'designation')?.part).toEqual([
      { name: 'language', valueCode: 'en' },
      { name: 'value', valueString: 'Ready for discharge' },
    ]);
    const props = Object.fromEntries(all(p, 'property').map((x) => [x.part?.[0]?.valueCode, x.part?.[1]]));
    expect(props['notice-number']).toEqual({ name: 'value', valueInteger: 8 });
    expect(props['legal-basis']).toEqual({ name: 'value', valueString: '3 kap. 1 §' });
    expect(props.source?.valueString).toMatch(/agreements.md §2 #8/);
  });

  it('returns only the properties asked for', () => {
    const p = new TerminologyService().lookup({ coding: { system: CS.compulsoryCare, code: 'oppen-lpt' }, property: ['law', 'definition'] });
    expect(all(p, 'property').map((x) => x.part?.[0]?.valueCode)).toEqual(['definition', 'law']);
  });

  it('unknown code → 404, unknown system → 404 naming it, missing parameters → 400', () => {
    expect(failure(() => lookup(CS.noticeKind, 'nope'))).toMatchObject({ status: 404, code: 'not-found' });
    const e = failure(() => lookup('https://example.org/CodeSystem/x', 'a'));
    expect(e.status).toBe(404);
    expect(e.message).toContain('https://example.org/CodeSystem/x');
    expect(failure(() => new TerminologyService().lookup({ code: 'a' }))).toMatchObject({ status: 400, expression: 'system' });
    expect(failure(() => new TerminologyService().lookup({ system: CS.planType }))).toMatchObject({ status: 400, expression: 'code' });
  });
});

describe('$validate-code', () => {
  it('a code in the ValueSet is valid, with its display', () => {
    const p = validateCode(VS.consentStatus, 'cannot-be-obtained');
    expect(resultOf(p)).toBe(true);
    expect(get(p, 'display')?.valueString).toMatch(/menprövning/);
  });

  it('a code of the CodeSystem outside a subset is not', () => {
    const p = validateCode(VS.openCompulsoryCare, 'lpt');
    expect(resultOf(p)).toBe(false);
    expect(get(p, 'message')?.valueString).toContain(VS.openCompulsoryCare);
    expect(resultOf(validateCode(CS.compulsoryCare, 'lpt'))).toBe(true);
  });

  it('codes are case-sensitive', () => {
    expect(resultOf(validateCode(VS.planType, 'sip'))).toBe(false);
    expect(resultOf(validateCode(CS.planType, 'SIP'))).toBe(true);
  });

  it('display: the Swedish display or a designation is right, anything else is wrong', () => {
    expect(resultOf(validateCode(VS.visamTrack, 'red', 'Rött spår'))).toBe(true);
    expect(resultOf(validateCode(VS.visamTrack, 'red', 'Red track'))).toBe(true);
    const p = validateCode(CS.visamTrack, 'red', 'Röd');
    expect(resultOf(p)).toBe(false);
    expect(get(p, 'message')?.valueString).toMatch(/expected 'Rött spår'/);
  });

  it('an unknown code in a CodeSystem is false, an unknown URL is 404', () => {
    expect(resultOf(validateCode(CS.partyKind, 'apotek'))).toBe(false);
    const e = failure(() => validateCode('https://example.org/ValueSet/x', 'a'));
    expect(e).toMatchObject({ status: 404 });
    expect(e.message).toContain('https://example.org/ValueSet/x');
  });

  it('system, coding and codeableConcept', () => {
    const s = new TerminologyService();
    expect(resultOf(s.validateCodeInValueSet({ url: VS.careType, system: CS.careType, code: 'somatic' }))).toBe(true);
    expect(resultOf(s.validateCodeInValueSet({ url: VS.careType, system: CS.settlementCareType, code: 'somatic' }))).toBe(false);
    expect(resultOf(s.validateCodeInValueSet({ url: VS.careType, coding: { system: CS.careType, code: 'psychiatric' } }))).toBe(true);
    const cc = { coding: [{ system: 'http://example.org/local', code: 'x' }, { system: CS.planType, code: 'SPU' }] };
    expect(resultOf(s.validateCodeInValueSet({ url: VS.coordinatedPlanType, codeableConcept: cc }))).toBe(true);
    const bad = s.validateCodeInValueSet({ url: VS.coordinatedPlanType, codeableConcept: { coding: [{ system: CS.planType, code: 'VP' }] } });
    expect(resultOf(bad)).toBe(false);
    expect(resultOf(s.validateCodeInCodeSystem({ url: CS.planType, coding: { system: CS.careType, code: 'SIP' } }))).toBe(false);
    expect(failure(() => s.validateCodeInValueSet({ url: VS.careType }))).toMatchObject({ status: 400 });
    expect(failure(() => s.validateCodeInValueSet({ code: 'somatic' }))).toMatchObject({ status: 400, expression: 'url' });
  });
});

describe('$expand', () => {
  it('all codes in CodeSystem order with displays and a total', () => {
    const vs = expand(VS.noticeKind);
    expect(vs.url).toBe(VS.noticeKind);
    expect(vs.compose).toBeUndefined();
    expect(vs.expansion?.total).toBe(13);
    expect(vs.expansion?.contains?.map((c) => c.code).slice(0, 3)).toEqual(['vardbegaran', 'inskrivningsmeddelande', 'samtycke']);
    expect(vs.expansion?.contains?.[0]).toEqual({ system: CS.noticeKind, version: '0.1.0', code: 'vardbegaran', display: 'Vårdbegäran' });
    expect(vs.expansion?.timestamp).toBe('2025-03-01T00:00:00.000Z');
  });

  it('a subset keeps its listed order', () => {
    expect(expand(VS.coordinatedPlanType).expansion?.contains?.map((c) => c.code)).toEqual(['SIP', 'SPU', 'SPLPTLRV']);
  });

  it('filter matches code, Swedish display or English designation, case-insensitively', () => {
    const codes = (f: string): (string | undefined)[] | undefined => expand(VS.noticeKind, f).expansion?.contains?.map((c) => c.code);
    expect(codes('UTSKRIVNINGSKLAR')).toEqual(['utskrivningsklar', 'aterkallad-utskrivningsklar']);
    expect(codes('admission')).toEqual(['inskrivningsmeddelande']);
    expect(codes('vårdkontakt')).toEqual(['fast-vardkontakt']);
    const none = expand(VS.noticeKind, 'zzz');
    expect(none.expansion?.total).toBe(0);
    expect(none.expansion?.contains).toBeUndefined();
  });

  it('pages with count and offset; total is the filtered count', () => {
    const pages: (string | undefined)[] = [];
    for (let offset = 0; offset < 13; offset += 5) {
      const vs = expand(VS.noticeKind, undefined, 5, offset);
      expect(vs.expansion).toMatchObject({ total: 13, offset });
      pages.push(...(vs.expansion?.contains ?? []).map((c) => c.code));
    }
    expect(pages).toEqual(expand(VS.noticeKind).expansion?.contains?.map((c) => c.code));
    const filtered = expand(VS.dischargeInformation, 'läkemedel', 2, 2);
    expect(filtered.expansion?.total).toBe(5);
    expect(filtered.expansion?.contains).toHaveLength(2);
    expect(filtered.expansion?.parameter).toEqual([
      { name: 'filter', valueString: 'läkemedel' },
      { name: 'count', valueInteger: 2 },
      { name: 'offset', valueInteger: 2 },
    ]);
    expect(expand(VS.noticeKind, undefined, 0).expansion).toMatchObject({ total: 13 });
    expect(expand(VS.noticeKind, undefined, 5, 20).expansion?.contains).toBeUndefined();
  });

  it('unknown ValueSet → 404 naming it; bad paging → 400; a timestamp from the caller', () => {
    const e = failure(() => expand('https://example.org/ValueSet/none'));
    expect(e.status).toBe(404);
    expect(e.message).toContain('https://example.org/ValueSet/none');
    expect(failure(() => expand(VS.careType, undefined, -1))).toMatchObject({ status: 400, expression: 'count' });
    expect(failure(() => expand(VS.careType, undefined, 1, 1.5))).toMatchObject({ status: 400, expression: 'offset' });
    const s = new TerminologyService({ now: () => new Date('2025-06-01T10:00:00Z') });
    expect(s.expand({ url: VS.careType }).expansion?.timestamp).toBe('2025-06-01T10:00:00.000Z');
  });

  it('extra terminology: expands and looks up codes of other CodeSystems; non-enumerable is 422', () => {
    const s = new TerminologyService({
      extra: [
        {
          resourceType: 'Bundle',
          type: 'collection',
          entry: [
            { resource: { resourceType: 'CodeSystem', url: 'http://example.org/cs', status: 'active', content: 'complete', concept: [{ code: 'a', display: 'A' }, { code: 'b', display: 'B' }] } },
            { resource: { resourceType: 'ValueSet', id: 'ex', url: 'http://example.org/vs', status: 'active', compose: { include: [{ system: 'http://example.org/cs' }] } } },
            { resource: { resourceType: 'ValueSet', url: 'http://example.org/open', status: 'active', compose: { include: [{ system: 'http://snomed.info/sct' }] } } },
          ],
        },
      ],
    });
    expect(s.expand({ url: 'http://example.org/vs' }).expansion?.contains?.map((c) => c.display)).toEqual(['A', 'B']);
    expect(s.urlOfId('ValueSet', 'ex')).toBe('http://example.org/vs');
    expect(get(s.lookup({ system: 'http://example.org/cs', code: 'b' }), 'display')?.valueString).toBe('B');
    expect(failure(() => s.expand({ url: 'http://example.org/open' }))).toMatchObject({ status: 422 });
    expect(failure(() => s.validateCodeInValueSet({ url: 'http://example.org/open', system: 'http://snomed.info/sct', code: '1' }))).toMatchObject({ status: 422 });
    expect(failure(() => s.urlOfId('CodeSystem', 'nope'))).toMatchObject({ status: 404 });
  });
});
