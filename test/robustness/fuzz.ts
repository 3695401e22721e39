// Seeded mutations of valid resources and bundles, for the bad-input fuzz. Each case is a pure function of
// (seed, n), so a failure reported as "seed S case N" replays exactly.
import { rng, type Rng } from './helpers.ts';

const PNR_SYSTEM = 'http://electronichealth.se/identifier/personnummer';
const PERSONNUMMER = ['195009072553', '196101182803', '189002029800', '200302022389', '199002222397', '200001252386', '189602029812', '201701012393'];

export function validPatient(tag: string, pnr = PERSONNUMMER[0]!): string {
  return JSON.stringify(patientObject(tag, pnr));
}

function patientObject(tag: string, pnr: string) {
  return {
    resourceType: 'Patient',
    identifier: [
      { system: PNR_SYSTEM, value: pnr },
      { system: 'urn:test:robustness', value: tag },
    ],
    active: true,
    name: [{ use: 'official', family: 'Testsson', given: ['Anna', 'Maria'] }],
    gender: 'female',
    birthDate: '1950-09-07',
    address: [{ line: ['Storgatan 1'], city: 'Umeå', postalCode: '90326', country: 'SE' }],
    telecom: [{ system: 'phone', value: '+46 90 123 45', use: 'home' }],
    managingOrganization: { reference: 'Organization/sus-1', display: 'Sjukhuset' },
    extension: [{ url: 'http://example.org/fhir/StructureDefinition/note', valueString: 'fuzz base' }],
  };
}

export function validEncounter(tag: string, patientId: string): string {
  return JSON.stringify(encounterObject(tag, `Patient/${patientId}`));
}

function encounterObject(tag: string, subject: string) {
  return {
    resourceType: 'Encounter',
    identifier: [{ system: 'urn:test:robustness', value: tag }],
    status: 'in-progress',
    class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'IMP', display: 'inpatient encounter' },
    type: [{ coding: [{ system: 'http://snomed.info/sct', code: '183452005', display: 'Emergency hospital admission' }] }],
    subject: { reference: subject },
    period: { start: '2024-03-01T10:15:00+01:00', end: '2024-03-09T12:00:00+01:00' },
    serviceProvider: { reference: 'Organization/sus-1' },
    hospitalization: { dischargeDisposition: { text: 'Hem med kommunal hemtjänst' } },
    length: { value: 8, unit: 'd', system: 'http://unitsofmeasure.org', code: 'd' },
  };
}

export function validBundle(tag: string, type: 'transaction' | 'batch' = 'transaction'): string {
  return JSON.stringify(bundleObject(tag, type, PERSONNUMMER[1]!));
}

function bundleObject(tag: string, type: string, pnr: string) {
  const patientUrl = 'urn:uuid:3f1c2b7a-0d6e-4b8a-9c1f-5e2d4a6b8c01';
  return {
    resourceType: 'Bundle',
    type,
    entry: [
      { fullUrl: patientUrl, resource: patientObject(tag, pnr), request: { method: 'POST', url: 'Patient' } },
      { fullUrl: 'urn:uuid:3f1c2b7a-0d6e-4b8a-9c1f-5e2d4a6b8c02', resource: encounterObject(tag, patientUrl), request: { method: 'POST', url: 'Encounter' } },
      { request: { method: 'GET', url: `Patient?identifier=urn:test:robustness|${tag}` } },
    ],
  };
}

export interface FuzzCase {
  description: string;
  method: string;
  path: string;
  body: string;
  type?: string;
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

const STRINGS = [
  '', ' ', 'x', '2024-02-30', '2024-13-01', '1950-09-07', '2024-03-01T10:15:00+01:00', '2024-03-01T25:00:00Z', '9999-12-31', '0001-01-01',
  'true', 'null', '42', '-0', '1e309', 'Patient/abc', 'Patient/', 'urn:uuid:3f1c2b7a-0d6e-4b8a-9c1f-5e2d4a6b8c01', 'http://example.org',
  'in-progress', 'female', 'unknown-code', '\u0000', '\ud800', '\udfff\ud800', '\u202e', 'ÅÄÖ åäö', '𝔘𝔫𝔦𝔠𝔬𝔡𝔢', '<script>', "' or 1=1 --",
  '%00', '../../etc/passwd', '$1', '{"resourceType":"Patient"}', 'a'.repeat(5000), PERSONNUMMER[2]!, '19500907-2553', 'Patient?identifier=x',
];
const KEYS = [
  'resourceType', 'id', 'meta', 'text', 'contained', 'extension', 'modifierExtension', 'identifier', 'active', 'name', 'gender', 'birthDate',
  'status', 'class', 'subject', 'period', 'reference', 'system', 'value', 'code', 'url', 'valueString', '_birthDate', '_active',
  '__proto__', 'constructor', 'toString', 'hasOwnProperty', '', ' ', 'entry', 'request', 'method', 'fullUrl', 'resource', 'x'.repeat(300),
];

function randomLeaf(r: Rng): Json {
  switch (r.int(8)) {
    case 0:
      return null;
    case 1:
      return r.chance(0.5);
    case 2:
      return r.pick([0, -1, 1.5, 1e308, -1e-308, 2 ** 53 + 1, 19500907, 42]);
    case 3:
      return {};
    case 4:
      return [];
    default:
      return r.pick(STRINGS);
  }
}

function randomValue(r: Rng, depth = 0): Json {
  if (depth > 3 || r.chance(0.6)) return randomLeaf(r);
  if (r.chance(0.5)) return Array.from({ length: r.int(4) }, () => randomValue(r, depth + 1));
  const o: Record<string, Json> = {};
  for (let i = r.int(4); i > 0; i--) o[r.pick(KEYS)] = randomValue(r, depth + 1);
  return o;
}

function nest(r: Rng, inner: Json, levels: number): Json {
  let v = inner;
  for (let i = 0; i < levels; i++) v = r.chance(0.5) ? [v] : { [r.pick(KEYS)]: v };
  return v;
}

/** Every container (object or array) in the value, with its path. */
function containers(v: Json, out: (Json[] | Record<string, Json>)[] = []): (Json[] | Record<string, Json>)[] {
  if (v !== null && typeof v === 'object') {
    out.push(v);
    for (const c of Array.isArray(v) ? v : Object.values(v)) containers(c, out);
  }
  return out;
}

function mutate(r: Rng, root: Json): string {
  const all = containers(root);
  const target = r.pick(all);
  const keys: (string | number)[] = Array.isArray(target) ? target.map((_, i) => i) : Object.keys(target);
  const get = (k: string | number) => (Array.isArray(target) ? target[k as number] : (target as Record<string, Json>)[k as string]) as Json;
  const set = (k: string | number, v: Json) => {
    if (Array.isArray(target)) target[k as number] = v;
    else Object.defineProperty(target, k as string, { value: v, enumerable: true, writable: true, configurable: true });
  };
  const del = (k: string | number) => {
    if (Array.isArray(target)) target.splice(k as number, 1);
    else delete (target as Record<string, Json>)[k as string];
  };
  const k = keys.length ? r.pick(keys) : undefined;
  const op = r.int(10);
  switch (op) {
    case 0:
      if (k !== undefined) del(k);
      return `delete ${k}`;
    case 1:
      if (k !== undefined) set(k, randomLeaf(r));
      return `replace ${k} with a leaf`;
    case 2:
      if (k !== undefined) set(k, randomValue(r));
      return `replace ${k} with a value`;
    case 3: {
      // duplicate a field under another (possibly known) name, or repeat an array element
      if (k === undefined) return 'noop';
      if (Array.isArray(target)) target.push(structuredClone(get(k)));
      else set(r.pick(KEYS), structuredClone(get(k)));
      return `duplicate ${k}`;
    }
    case 4: {
      // type swap: wrap in an array, unwrap an array, stringify, or turn a string into a number
      if (k === undefined) return 'noop';
      const v = get(k);
      if (Array.isArray(v)) set(k, v[0] ?? null);
      else if (typeof v === 'string') set(k, Number.isNaN(Number(v)) ? [v] : Number(v));
      else if (typeof v === 'number' || typeof v === 'boolean') set(k, String(v));
      else set(k, [v]);
      return `type swap ${k}`;
    }
    case 5:
      if (k !== undefined) set(k, nest(r, get(k), 1 + r.int(r.chance(0.2) ? 120 : 40)));
      return `nest ${k}`;
    case 6:
      set(Array.isArray(target) ? target.length : r.pick(KEYS), randomValue(r));
      return 'add a field';
    case 7:
      if (k !== undefined) set(k, r.pick(STRINGS));
      return `string into ${k}`;
    default: {
      // add an unknown element, or set a known one to a random value
      set(Array.isArray(target) ? r.int(target.length + 1) : r.pick(KEYS), randomLeaf(r));
      return 'known/unknown element';
    }
  }
}

function byteMutate(r: Rng, text: string): string {
  const buf = Buffer.from(text, 'utf8');
  const out: number[] = [...buf];
  for (let i = 1 + r.int(4); i > 0; i--) {
    const at = r.int(out.length + 1);
    const what = r.int(3);
    if (what === 0) out.splice(at, 1);
    else if (what === 1) out.splice(at, 0, r.int(256));
    else out[at] = r.pick([0x7b, 0x7d, 0x5b, 0x5d, 0x22, 0x2c, 0x3a, 0x5c, 0x00, 0xff, 0xc3]);
  }
  return Buffer.from(out).toString('latin1') === text ? text : Buffer.from(out).toString('utf8');
}

/** Case n of the fuzz: a valid Patient, Encounter or Bundle, mutated 1-4 times. */
export function fuzzCase(seed: number, n: number, patientId: string): FuzzCase {
  const r = rng(seed * 100_003 + n);
  const kind = r.pick(['Patient', 'Patient', 'Encounter', 'Encounter', 'Bundle', 'Bundle-batch', 'Patient-update'] as const);
  const tag = `fuzz-${seed}-${n}`;
  let base: Json;
  let method = 'POST';
  let path: string;
  if (kind === 'Patient' || kind === 'Patient-update') {
    base = patientObject(tag, r.pick(PERSONNUMMER)) as unknown as Json;
    path = 'Patient';
    if (kind === 'Patient-update') {
      const id = `fuzz-${n}`;
      (base as Record<string, Json>).id = id;
      method = 'PUT';
      path = `Patient/${id}`;
    }
  } else if (kind === 'Encounter') {
    base = encounterObject(tag, `Patient/${patientId}`) as unknown as Json;
    path = 'Encounter';
  } else {
    base = bundleObject(tag, kind === 'Bundle' ? 'transaction' : 'batch', r.pick(PERSONNUMMER)) as unknown as Json;
    path = '';
  }
  const steps: string[] = [];
  // A few cases stay valid, so the 2xx path (read back) is exercised too.
  const mutations = r.chance(0.08) ? 0 : 1 + r.int(4);
  for (let i = 0; i < mutations; i++) steps.push(mutate(r, base));
  let body = JSON.stringify(base);
  if (r.chance(0.12)) {
    body = byteMutate(r, body);
    steps.push('bytes');
  }
  return { description: `${kind}: ${steps.join(', ') || 'valid'}`, method, path, body };
}
