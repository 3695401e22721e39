// What a profile narrows of an element's types (type-restrictions.ts): a choice element restricted to some of
// its R4 types (also an extension's value[x] inside a slice), and a Reference restricted to fewer target types.
// Each case must give exactly one error; what R4 alone says (medplum's pass) must not be reported twice.
import { beforeAll, describe, expect, it } from 'vitest';
import type { ElementDefinition, OperationOutcomeIssue, Resource, StructureDefinition } from '@medplum/fhirtypes';
import { canonical } from '../../src/profiles/canonical.ts';
import { Validator } from '../../src/profiles/validation/index.ts';
import { baseDefinition } from './profile-fixtures.ts';
import { ctx, errors, loadR4 } from './support.ts';

const NOTICE = canonical.structureDefinition('test-text-notice');
const CONSENT_NOTICE = canonical.structureDefinition('test-consent-notice');
const DUE = canonical.structureDefinition('test-due');
const PLACE = canonical.structureDefinition('test-place');
const PLACE_SYSTEM = 'urn:oid:1.2.752.129.2.2.1.17';

/** A Communication profile from the R4 snapshot: `edit` changes elements by id, `added` go after an id. */
function communicationProfile(url: string, edit: Record<string, Partial<ElementDefinition>>, added: [string, ElementDefinition[]][] = []): StructureDefinition {
  const sd = baseDefinition('Communication');
  delete sd.text;
  const els = sd.snapshot?.element as ElementDefinition[];
  for (const [id, change] of Object.entries(edit)) Object.assign(els.find((e) => e.id === id) as ElementDefinition, change);
  for (const [after, list] of added) els.splice(els.findIndex((e) => e.id === after) + 1, 0, ...list);
  const name = url
    .slice(url.lastIndexOf('/') + 1)
    .split('-')
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join('');
  return { ...sd, id: name, url, name, derivation: 'constraint', baseDefinition: 'http://hl7.org/fhir/StructureDefinition/Communication' };
}

const slice = (name: string, extension: string, value: Omit<ElementDefinition, 'path'>[]): ElementDefinition[] => [
  { id: `Communication.extension:${name}`, path: 'Communication.extension', sliceName: name, min: 0, max: '1', type: [{ code: 'Extension', profile: [extension] }] },
  ...value.map((v) => ({ ...v, id: `Communication.extension:${name}.${v.id}`, path: `Communication.extension.${v.id}` })),
];

let v: Validator;
beforeAll(() => {
  loadR4();
  v = new Validator();
  // Text notice: content only string, subject only Reference(Patient), extension slices `due` (dateTime) and
  // `place` (a Coding whose system is required).
  v.registerProfile(
    communicationProfile(
      NOTICE,
      {
        'Communication.payload.content[x]': { type: [{ code: 'string' }] },
        'Communication.subject': { type: [{ code: 'Reference', targetProfile: ['http://hl7.org/fhir/StructureDefinition/Patient'] }] },
        'Communication.extension': { slicing: { discriminator: [{ type: 'value', path: 'url' }], rules: 'open' } },
      },
      [
        [
          'Communication.extension',
          [
            ...slice('due', DUE, [{ id: 'value[x]', min: 1, max: '1', type: [{ code: 'dateTime' }] }]),
            ...slice('place', PLACE, [
              { id: 'value[x]', min: 1, max: '1', type: [{ code: 'Coding' }] },
              { id: 'value[x].system', min: 1, max: '1', type: [{ code: 'uri' }], fixedUri: PLACE_SYSTEM },
            ]),
          ],
        ],
      ],
    ),
  );
  // Consent notice: content only Reference(Consent).
  v.registerProfile(
    communicationProfile(CONSENT_NOTICE, {
      'Communication.payload.content[x]': { type: [{ code: 'Reference', targetProfile: ['http://hl7.org/fhir/StructureDefinition/Consent'] }] },
    }),
  );
});

const notice = (profile: string, o: Record<string, unknown> = {}): Resource =>
  ({ resourceType: 'Communication', meta: { profile: [profile] }, status: 'completed', subject: { reference: 'Patient/p1' }, ...o }) as unknown as Resource;
const describeIssue = (i: OperationOutcomeIssue) => `${i.severity} ${i.expression?.join(',')}: ${i.details?.text}`;
const issues = (r: Resource) => v.validate(r, ctx).map(describeIssue);

describe('a choice element the profile narrows', () => {
  it('accepts the allowed type', () => {
    expect(issues(notice(NOTICE, { payload: [{ contentString: 'Hemgång planerad' }] }))).toEqual([]);
  });

  it('refuses another R4 type with one error naming the element and the allowed types', () => {
    expect(issues(notice(NOTICE, { payload: [{ contentString: 'a' }, { contentReference: { reference: 'DocumentReference/d1' } }] }))).toEqual([
      'error Communication.payload[1].content: content is of type Reference, but profile TestTextNotice allows only string here',
    ]);
    expect(issues(notice(CONSENT_NOTICE, { payload: [{ contentAttachment: { contentType: 'text/plain', data: 'YQ==' } }] }))).toEqual([
      'error Communication.payload[0].content: content is of type Attachment, but profile TestConsentNotice allows only Reference here',
    ]);
  });

  it('leaves a type R4 does not know to the base pass (what it says, nothing more)', () => {
    const r = notice(NOTICE, { payload: [{ contentBoolean: true }] });
    const { meta: _m, ...plain } = r as unknown as Record<string, unknown>;
    const found = errors(v.validate(r, ctx)).map(describeIssue);
    expect(found).toContain('error Communication.payload[0].contentBoolean: Invalid additional property "contentBoolean"');
    expect(found).toEqual(errors(v.validate(plain as never, ctx)).map(describeIssue));
  });

  it('is not checked when the profile is not applied', () => {
    const { meta: _m, ...plain } = notice(NOTICE, { payload: [{ contentReference: { reference: 'DocumentReference/d1' } }] }) as unknown as Record<string, unknown>;
    expect(errors(v.validate(plain as never, ctx))).toEqual([]);
    expect(errors(v.validate(plain as never, ctx, { profiles: [NOTICE] })).map(describeIssue)).toHaveLength(1);
  });
});

describe("an extension slice's value[x]", () => {
  it('accepts the allowed type', () => {
    expect(issues(notice(NOTICE, { extension: [{ url: DUE, valueDateTime: '2025-03-05' }] }))).toEqual([]);
  });

  it('refuses another type, in the slice', () => {
    expect(issues(notice(NOTICE, { extension: [{ url: 'http://example.org/other', valueString: 'x' }, { url: DUE, valueString: 'snart' }] }))).toEqual([
      "error Communication.extension[1].value: Slice 'due': value is of type string, but profile TestTextNotice allows only dateTime here",
    ]);
  });

  it("reports only the type, not the rules of the allowed type's children", () => {
    expect(issues(notice(NOTICE, { extension: [{ url: PLACE, valueCode: '1880' }] }))).toEqual([
      "error Communication.extension[0].value: Slice 'place': value is of type code, but profile TestTextNotice allows only Coding here",
    ]);
    // ...which still apply to a value of the allowed type.
    expect(errors(v.validate(notice(NOTICE, { extension: [{ url: PLACE, valueCoding: { code: '1880' } }] }), ctx)).map(describeIssue)).toEqual([
      "error Communication.extension[0].value.system: Slice 'place' requires 1..1 value(s) of value.system, but found 0",
    ]);
  });
});

describe('a Reference the profile narrows to fewer target types', () => {
  const consent = (reference: string) => notice(CONSENT_NOTICE, { payload: [{ contentReference: { reference } }] });

  it.each(['Consent/c1', 'Consent/c1/_history/2', 'https://fhir.example.org/r4/Consent/c1'])('accepts %s', (reference) => {
    expect(issues(consent(reference))).toEqual([]);
  });

  it.each(['Patient/p1', 'Patient/p1/_history/2', 'https://fhir.example.org/r4/Patient/p1'])(
    'refuses %s with one error instead of the base pass warning',
    (reference) => {
      expect(issues(consent(reference))).toEqual([
        `error Communication.payload[0].content: content refers to Patient (${reference}), but profile TestConsentNotice allows only a reference to Consent here`,
      ]);
    },
  );

  it.each(['urn:uuid:6a1f3c2e-0b7d-4c39-9a55-2f0e6d1b8c41', 'Patient?identifier=http://electronichealth.se/identifier/personnummer|195009072553'])(
    'cannot check %s (no literal Type/id) and leaves it alone',
    (reference) => {
      expect(errors(v.validate(consent(reference), ctx))).toEqual([]);
    },
  );

  it('checks an element outside choice types too (subject only Reference(Patient), R4 allows Group)', () => {
    expect(issues(notice(NOTICE, { subject: { reference: 'Group/g1' } }))).toEqual([
      'error Communication.subject: subject refers to Group (Group/g1), but profile TestTextNotice allows only a reference to Patient here',
    ]);
  });

  it('leaves what R4 alone says to the base pass: a warning, once', () => {
    // R4 allows a Communication.recipient to be a Practitioner, ..., not an Encounter; the profiles do not narrow it.
    const found = v.validate(notice(NOTICE, { recipient: [{ reference: 'Encounter/e1' }] }), ctx);
    expect(found.map((i) => i.severity)).toEqual(['warning']);
    expect(found[0]?.details?.text).toContain('Invalid reference');
  });
});
