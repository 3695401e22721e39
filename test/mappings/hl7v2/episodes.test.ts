// Every fixture episode, message by message, through the adapter and the shared transaction builder:
// each message's Bundle (with all earlier händelser of the episode as the stay) must equal the committed
// expected Bundle, and every resource in it must validate. UPDATE_EXPECTED=1 rewrites the expected files
// (review them by eye before committing).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Bundle, Encounter, Patient } from '@medplum/fhirtypes';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Handelse } from '../../../src/mappings/common/handelse.ts';
import { buildTransaction } from '../../../src/mappings/common/transaktion.ts';
import { hl7v2Adapter } from '../../../src/mappings/hl7v2/index.ts';
import { createValidator } from '../../../src/gateway/validation.ts';
import type { Validator } from '../../../src/profiles/validation/index.ts';
import { episodes, EXPECTED } from './support.ts';

type Step = { messageId: string; bundle: Bundle };

function run(messages: string[]): { handelser: Handelse[][]; steps: Step[] } {
  const all: Handelse[] = [];
  const handelser: Handelse[][] = [];
  const steps: Step[] = [];
  for (const raw of messages) {
    const r = hl7v2Adapter.map(raw, 'x-application/hl7-v2+er7');
    if (!r.ok) throw new Error(`fixture message does not map: ${JSON.stringify(r.issues)}`);
    all.push(...r.handelser);
    handelser.push(r.handelser);
    steps.push({ messageId: r.messageId, bundle: buildTransaction(all, r.handelser) });
  }
  return { handelser, steps };
}

const lastOf = <T extends { resourceType: string }>(steps: Step[], type: T['resourceType']): T =>
  steps.at(-1)!.bundle.entry!.map((e) => e.resource!).find((r) => r.resourceType === type) as T;

const EPISODES = episodes();

describe('fixture episodes', () => {
  it('there are the episodes the contract promises', () => {
    expect(EPISODES.map((e) => e.name)).toEqual(
      expect.arrayContaining(['somatic-transfer', 'cancel-admit', 'cancel-discharge', 'psychiatric-lpt', 'sekretessmarkering', 'skyddad-folkbokforing', 'dst-spring', 'dst-autumn']),
    );
  });

  for (const episode of EPISODES) {
    it(`${episode.name}: each message's transaction Bundle is the expected one`, () => {
      const { steps } = run(episode.messages);
      const file = join(EXPECTED, `${episode.name}.json`);
      if (process.env.UPDATE_EXPECTED === '1' || !existsSync(file)) {
        mkdirSync(EXPECTED, { recursive: true });
        writeFileSync(file, JSON.stringify(steps, null, 2) + '\n');
      }
      expect(steps).toEqual(JSON.parse(readFileSync(file, 'utf8')));
    });
  }
});

describe('what the episodes mean', () => {
  const byName = (name: string) => run(EPISODES.find((e) => e.name === name)!.messages);

  it('somatic-transfer: admitted, expected discharge from the A08, moved to Avd 74, finished at the discharge time', () => {
    const { handelser, steps } = byName('somatic-transfer');
    expect(handelser.map((hs) => hs.map((h) => h.kind))).toEqual([['adt-inskrivning'], ['adt-uppdatering'], ['adt-overflyttning'], ['adt-utskrivning']]);
    const enc = lastOf<Encounter>(steps, 'Encounter');
    expect(enc.status).toBe('finished');
    expect(enc.period).toEqual({ start: '2025-02-27T14:20:00+01:00', end: '2025-03-04T11:30:00+01:00' });
    expect(enc.serviceProvider?.display).toBe('Avd 74 Geriatrik');
    expect(enc.identifier?.[0]?.value).toBe('SE2321000164-7381037590003:V2025-0001');
    expect(enc.extension).toContainEqual(expect.objectContaining({ valueDateTime: '2025-03-05' }));
    // The escaped & of the unit name (\T\) is read back as &.
    expect(handelser[0]![0]!.stay.unit.name).toBe('Avd 71 Medicin & Akut');
    const patient = lastOf<Patient>(steps, 'Patient');
    expect(patient.address).toEqual([{ use: 'home', type: 'physical', line: ['Storgatan 1'], postalCode: '70210', city: 'Örebro' }]);
    expect(patient.name).toEqual([{ family: 'Tolvansson', given: ['Tolvan', 'Olof'] }]);
  });

  it('cancel-admit: an A01 with PV2-9 gives two händelser; the A11 cancels the stay', () => {
    const { handelser, steps } = byName('cancel-admit');
    expect(handelser[0]!.map((h) => [h.kind, h.seq])).toEqual([['adt-inskrivning', 0], ['adt-uppdatering', 1]]);
    expect(lastOf<Encounter>(steps, 'Encounter').status).toBe('cancelled');
    // The name in CX-4.1 (personnummer) is accepted as well as the OID.
    expect(handelser[0]![0]!.patient.identifier).toEqual({ kind: 'personnummer', value: '196101182803' });
  });

  it('cancel-discharge: the A13 reopens the stay, the second A03 ends it at its own time', () => {
    const { steps } = byName('cancel-discharge');
    const statuses = steps.map((s) => (s.bundle.entry!.find((e) => e.resource?.resourceType === 'Encounter')!.resource as Encounter).status);
    expect(statuses).toEqual(['in-progress', 'finished', 'in-progress', 'finished']);
    expect(lastOf<Encounter>(steps, 'Encounter').period?.end).toBe('2025-05-12T09:30:00+02:00');
  });

  it('psychiatric-lpt: psychiatric care under LPT, expected discharge with a time of day', () => {
    const { steps } = byName('psychiatric-lpt');
    const codes = lastOf<Encounter>(steps, 'Encounter').extension!.map((x) => x.valueCoding?.code ?? x.valueDateTime);
    expect(codes).toEqual(expect.arrayContaining(['psychiatric', 'lpt', '2025-06-17T14:00:00+02:00', '1883']));
  });

  it('protected identities carry their security label, from PD1-12 and ZSV-1', () => {
    expect(lastOf<Patient>(byName('sekretessmarkering').steps, 'Patient').meta?.security?.map((c) => c.code)).toEqual(['sekretessmarkering']);
    const skyddad = lastOf<Patient>(byName('skyddad-folkbokforing').steps, 'Patient');
    expect(skyddad.meta?.security?.map((c) => c.code)).toEqual(['skyddadFolkbokforing']);
    // No address is sent for a skyddad folkbokföring; the kommun (PID-11.9) still is.
    expect(skyddad.address).toBeUndefined();
    expect(skyddad.extension?.[0]?.valueCoding?.code).toBe('1480');
  });

  it('dst-spring: times without offset are Stockholm time on both sides of the change', () => {
    const { handelser, steps } = byName('dst-spring');
    expect(handelser.flat().map((h) => h.occurredAt)).toEqual(['2025-03-29T22:34:00+01:00', '2025-03-30T03:09:00+02:00', '2025-03-31T10:00:00+02:00']);
    expect(lastOf<Encounter>(steps, 'Encounter').period).toEqual({ start: '2025-03-29T22:30:00+01:00', end: '2025-03-31T10:00:00+02:00' });
  });

  it('dst-autumn: the two 02:20s of 26 October are told apart by their offsets, and ordered by instant', () => {
    const { handelser, steps } = byName('dst-autumn');
    expect(handelser.flat().map((h) => h.occurredAt)).toEqual(['2025-10-24T15:04:00+02:00', '2025-10-26T02:40:00+02:00', '2025-10-26T02:20:00+01:00']);
    const enc = lastOf<Encounter>(steps, 'Encounter');
    // The discharge (02:20 winter time) is after the move (02:40 summer time): the stay ends at Avd 14.
    expect(enc.status).toBe('finished');
    expect(enc.serviceProvider?.display).toBe('Ryhov Avd 14 Medicin');
  });
});

describe('expected Bundles validate', () => {
  let validator: Validator;
  beforeAll(() => {
    validator = createValidator();
  });
  for (const episode of EPISODES) {
    it(`${episode.name}: every resource validates without errors`, () => {
      const steps = JSON.parse(readFileSync(join(EXPECTED, `${episode.name}.json`), 'utf8')) as Step[];
      const ctx = { now: new Date('2025-12-01T12:00:00Z') };
      const errors = steps.flatMap((s, i) =>
        s.bundle.entry!.flatMap((e) =>
          validator
            .validate(e.resource, ctx)
            .filter((x) => x.severity === 'error' || x.severity === 'fatal')
            .map((x) => `${i} ${e.resource!.resourceType} ${x.expression?.join(',')}: ${x.details?.text}`),
        ),
      );
      expect(errors).toEqual([]);
      expect(steps.length).toBe(episode.messages.length);
    });
  }
});
