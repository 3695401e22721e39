// src/rules/fhir/timeline.ts: the settlement Episode from a stay's FHIR resources, as the source adapters
// write them (buildTransaction from hand-written händelser) and as a FHIR client might write them by hand.
import type { Bundle, CareTeam, Communication, Encounter, Organization, Patient, Resource } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { IDENTIFIER_SYSTEM } from '../../src/mappings/common/keys.ts';
import { buildTransaction } from '../../src/mappings/common/transaktion.ts';
import { canonical } from '../../src/profiles/canonical.ts';
import { EXTENSION } from '../../src/profiles/definitions/urls.ts';
import { SYSTEM } from '../../src/profiles/identifiers/systems.ts';
import type { Episode } from '../../src/rules/episode.ts';
import type { Located, TimelineReadings } from '../../src/rules/fhir/timeline.ts';
import { STAY_IDENTIFIER_SYSTEM, episodeFromStay, episodesFromResources, staysFromResources } from '../../src/rules/fhir/timeline.ts';
import { settle } from '../../src/rules/settle.ts';
import { ISSUER, stayHandelser, type StaySpec } from './timeline-stays.ts';

const entries = (b: Bundle): Located[] => (b.entry ?? []).map((e) => ({ resource: e.resource as Resource, fullUrl: e.fullUrl }));
/** The stay's resources as one message would carry them all. */
const fromSpec = (s: StaySpec) => {
  const hs = stayHandelser(s);
  return entries(buildTransaction(hs, hs));
};
const only = (items: Located[], readings?: Partial<TimelineReadings>) => {
  const r = episodesFromResources(items, readings);
  expect(r.skipped).toEqual([]);
  expect(r.episodes).toHaveLength(1);
  return r.episodes[0]!;
};

const FULL: StaySpec = {
  id: 'V1',
  pnr: '194001012386',
  folkbokforingskommun: '1880',
  admittedAt: '2022-03-01T08:00:00+01:00',
  careContactAt: '2022-03-01T15:00:00+01:00',
  readiness: [['utskrivningsklar', '2022-03-03T10:15:00+01:00']],
  sip: { at: '2022-03-04T09:00:00+01:00' },
  dischargedAt: '2022-03-08T11:30:00+01:00',
  sentDelayMin: 5,
};

describe('the Episode of a stay written by buildTransaction', () => {
  it('a complete stay: every field from its resource', () => {
    const e = only(fromSpec(FULL));
    const expected: Episode = {
      episode_id: `${ISSUER}:V1`,
      kommunkod: '1880',
      care_type: 'somatic',
      admitted_at: '2022-03-01T08:00:00+01:00',
      admission_notice_at: '2022-03-01T09:00:00+01:00',
      estimated_discharge_notice_at: null,
      ready_at: null,
      discharged_at: '2022-03-08T11:30:00+01:00',
      sip_required: true,
      sip_invitation_at: '2022-03-04T09:00:00+01:00',
      care_contact_at: '2022-03-01T15:00:00+01:00',
      home_ready: true,
      social_services_only: false,
      outpatient_unavailable: false,
      placing_kommunkod: null,
      hospital_lanskod: null,
      // T is the readiness the notice states (10:15), not when it was sent (10:20).
      readiness_notices: [{ kind: 'ready', at: '2022-03-03T10:15:00+01:00' }],
    };
    expect(e).toEqual(expected);
    expect(STAY_IDENTIFIER_SYSTEM).toBe(IDENTIFIER_SYSTEM.vardtillfalle);
  });

  it('the evidence names where each field came from', () => {
    const stay = staysFromResources(fromSpec(FULL))[0]!;
    const t = episodeFromStay(stay);
    expect(t.ok).toBe(true);
    if (!t.ok) return;
    const fields = t.evidence.map((x) => x.field);
    expect(fields).toEqual(expect.arrayContaining(['care_type', 'kommunkod', 'readiness_notices', 'discharged_at', 'sip_required', 'sip_invitation_at', 'care_contact_at', 'home_ready']));
    expect(t.evidence.find((x) => x.field === 'sip_required')?.from).toMatch(/CarePlan SIP/);
  });

  it('a withdrawal: notices 8 and 9 in time order, whatever order the messages arrived in', () => {
    const spec: StaySpec = {
      ...FULL,
      id: 'V2',
      readiness: [
        ['utskrivningsklar', '2022-03-03T10:00:00+01:00'],
        ['aterkallad-utskrivningsklar', '2022-03-04T08:00:00+01:00'],
        ['utskrivningsklar', '2022-03-06T13:00:00+01:00'],
      ],
    };
    const hs = stayHandelser(spec);
    // One bundle per message, arriving newest first: each projects the stay from what has arrived so far.
    const reversed = [...hs].reverse();
    const bundles = reversed.flatMap((h, i) => entries(buildTransaction(reversed.slice(0, i + 1), [h])));
    const e = only(bundles);
    expect(e.readiness_notices).toEqual([
      { kind: 'ready', at: '2022-03-03T10:00:00+01:00' },
      { kind: 'withdrawn', at: '2022-03-04T08:00:00+01:00' },
      { kind: 'ready', at: '2022-03-06T13:00:00+01:00' },
    ]);
    expect(e).toEqual(only(fromSpec(spec)));
    // The engine counts from the notice that stands: 06 13:00 → 08, Örebro noon rule 2 − 1 = 1.
    const result = settle({ agreement: 'orebro', month: '2022-03', episodes: [e] });
    expect(result.kommuner[0]!.groups[0]!.episodes[0]!.days).toBe(1);
  });

  it('reading readyTime: sent, where the notice was sent after noon for a readiness before it', () => {
    const spec: StaySpec = { ...FULL, id: 'V3', readiness: [['utskrivningsklar', '2022-03-03T11:55:00+01:00']], sentDelayMin: 10 };
    expect(only(fromSpec(spec)).readiness_notices).toEqual([{ kind: 'ready', at: '2022-03-03T11:55:00+01:00' }]);
    expect(only(fromSpec(spec), { readyTime: 'sent' }).readiness_notices).toEqual([{ kind: 'ready', at: '2022-03-03T12:05:00+01:00' }]);
  });

  it('reading readyTime: a withdrawal counts from when it took effect (stated), or from when it was sent', () => {
    const spec: StaySpec = {
      ...FULL,
      id: 'V3w',
      readiness: [
        ['utskrivningsklar', '2022-03-03T10:00:00+01:00'],
        ['aterkallad-utskrivningsklar', '2022-03-04T11:50:00+01:00'],
      ],
      sentDelayMin: 20,
    };
    expect(only(fromSpec(spec)).readiness_notices).toEqual([
      { kind: 'ready', at: '2022-03-03T10:00:00+01:00' },
      { kind: 'withdrawn', at: '2022-03-04T11:50:00+01:00' },
    ]);
    expect(only(fromSpec(spec), { readyTime: 'sent' }).readiness_notices).toEqual([
      { kind: 'ready', at: '2022-03-03T10:20:00+01:00' },
      { kind: 'withdrawn', at: '2022-03-04T12:10:00+01:00' },
    ]);
  });

  it('a placing kommun pays; the registration kommun stays the kommunkod', () => {
    const e = only(fromSpec({ ...FULL, id: 'V4', folkbokforingskommun: '1881', placingKommun: '1880' }));
    expect(e.kommunkod).toBe('1881');
    expect(e.placing_kommunkod).toBe('1880');
  });

  it('social services only when every party of the notices is a socialtjänst unit', () => {
    const social = only(fromSpec({ ...FULL, id: 'V5', socialOnly: true, careContactAt: undefined, sip: undefined }));
    expect(social.social_services_only).toBe(true);
    expect(social.care_contact_at).toBeNull();
    expect(only(fromSpec(FULL)).social_services_only).toBe(false);
  });

  it('a SIP or SPLPTLRV plan without an invitation: SIP needed, invitation missing', () => {
    for (const type of ['SIP', 'SPLPTLRV'] as const) {
      const e = only(fromSpec({ ...FULL, id: `V6${type}`, sip: { at: '2022-03-04T09:00:00+01:00', type, invite: false } }));
      expect(e.sip_required, type).toBe(true);
      expect(e.sip_invitation_at, type).toBeNull();
    }
    const noSip = only(fromSpec({ ...FULL, id: 'V7', sip: undefined }));
    expect(noSip.sip_required).toBe(false);
    // An SPU is not a SIP: it does not make the invitation a precondition.
    expect(only(fromSpec({ ...FULL, id: 'V8', sip: { at: '2022-03-04T09:00:00+01:00', type: 'SPU', invite: false } })).sip_required).toBe(false);
  });

  it('no admission notice, and reading estimateInAdmissionNotice', () => {
    expect(only(fromSpec({ ...FULL, id: 'V9', admissionNotice: false })).admission_notice_at).toBeNull();
    expect(only(fromSpec(FULL), { estimateInAdmissionNotice: true }).estimated_discharge_notice_at).toBe('2022-03-01T09:00:00+01:00');
  });

  it('reading homeReady: never', () => {
    expect(only(fromSpec(FULL), { homeReady: 'never' }).home_ready).toBe(false);
    expect(only(fromSpec({ ...FULL, id: 'V10', readiness: [] })).home_ready).toBe(false);
  });

  it('still admitted: no discharge time', () => {
    const e = only(fromSpec({ ...FULL, id: 'V11', dischargedAt: undefined }));
    expect(e.discharged_at).toBeNull();
  });

  it('several stays in one list: one Episode each, grouped by their Encounter', () => {
    const items = [...fromSpec(FULL), ...fromSpec({ ...FULL, id: 'V12', pnr: '194503152383', folkbokforingskommun: '1881' })];
    const r = episodesFromResources(items);
    expect(r.episodes.map((e) => [e.episode_id, e.kommunkod])).toEqual([
      [`${ISSUER}:V1`, '1880'],
      [`${ISSUER}:V12`, '1881'],
    ]);
  });
});

// ---- hand-written FHIR, as stored (references Type/id) ---------------------------------------------

const NOTICE = canonical.codeSystem('notice-kind');
const kommun = (url: string, code: string) => ({ url, valueCoding: { system: SYSTEM.kommunkod, code } });
const careType = (code: string) => ({ url: EXTENSION.careType, valueCoding: { system: canonical.codeSystem('care-type'), code } });

function encounter(over: Partial<Encounter> = {}): Encounter {
  return {
    resourceType: 'Encounter',
    id: 'e1',
    status: 'finished',
    class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'IMP' },
    extension: [careType('psychiatric'), kommun(EXTENSION.liableKommun, '1480')],
    subject: { reference: 'Patient/p1' },
    serviceProvider: { reference: 'Organization/avd' },
    period: { start: '2024-03-01T08:00:00+01:00', end: '2024-03-10T10:00:00+01:00' },
    ...over,
  };
}
function notice(id: string, kind: string, sent: string, over: Partial<Communication> = {}): Communication {
  return {
    resourceType: 'Communication',
    id,
    status: 'completed',
    category: [{ coding: [{ system: NOTICE, code: kind }] }],
    encounter: { reference: 'Encounter/e1' },
    sent,
    sender: { reference: 'Organization/avd' },
    recipient: [{ reference: 'Organization/soc' }],
    ...over,
  };
}
const patient: Patient = { resourceType: 'Patient', id: 'p1', extension: [kommun(EXTENSION.folkbokforingskommun, '1480')] };
const region: Organization = { resourceType: 'Organization', id: 'region', name: 'Region', identifier: [{ system: SYSTEM.lanskod, value: '13' }] };
const avd: Organization = { resourceType: 'Organization', id: 'avd', name: 'Avd', partOf: { reference: 'Organization/region' }, type: [{ coding: [{ system: canonical.codeSystem('party-kind'), code: 'slutenvard' }] }] };
const soc: Organization = { resourceType: 'Organization', id: 'soc', name: 'Soc', type: [{ coding: [{ system: canonical.codeSystem('party-kind'), code: 'socialtjanst' }] }] };
const located = (...rs: Resource[]): Located[] => rs.map((resource) => ({ resource }));

describe('the Episode of hand-written FHIR', () => {
  it('Type/id references, a hospital in another region (partOf länskod), void notices ignored', () => {
    const items = located(
      encounter(),
      patient,
      region,
      avd,
      soc,
      notice('c1', 'inskrivningsmeddelande', '2024-03-01T09:00:00+01:00'),
      notice('c2', 'utskrivningsklar', '2024-03-05T09:00:00+01:00'),
      notice('c3', 'utskrivningsklar', '2024-03-04T09:00:00+01:00', { status: 'entered-in-error' }),
    );
    const e = only(items);
    expect(e).toMatchObject({
      episode_id: 'Encounter/e1',
      kommunkod: '1480',
      care_type: 'psychiatric',
      hospital_lanskod: '13',
      admission_notice_at: '2024-03-01T09:00:00+01:00',
      discharged_at: '2024-03-10T10:00:00+01:00',
      social_services_only: true,
      readiness_notices: [{ kind: 'ready', at: '2024-03-05T09:00:00+01:00' }],
    });
  });

  it('no notice 8 stored: the Encounter ready-for-discharge stands for it; no notice 6: the CareTeam start', () => {
    const team: CareTeam = { resourceType: 'CareTeam', id: 't1', status: 'active', encounter: { reference: 'Encounter/e1' }, period: { start: '2024-03-02T10:00:00+01:00' } };
    const enc = encounter({ extension: [...encounter().extension!, { url: EXTENSION.readyForDischarge, valueDateTime: '2024-03-06T08:00:00+01:00' }] });
    const e = only(located(enc, patient, team));
    expect(e.ready_at).toBe('2024-03-06T08:00:00+01:00');
    expect(e.readiness_notices).toBeUndefined();
    expect(e.care_contact_at).toBe('2024-03-02T10:00:00+01:00');
    expect(e.home_ready).toBe(true);
    // No organisations known: social services only cannot be shown.
    expect(e.social_services_only).toBe(false);
  });

  it('a finished Encounter without period.end: the notice 11 discharge-time', () => {
    const enc = encounter({ period: { start: '2024-03-01T08:00:00+01:00' } });
    const n11 = notice('c9', 'utskrivningsmeddelande', '2024-03-09T12:00:00+01:00', {
      extension: [{ url: EXTENSION.dischargeTime, valueDateTime: '2024-03-09T11:00:00+01:00' }],
    });
    expect(only(located(enc, patient, n11)).discharged_at).toBe('2024-03-09T11:00:00+01:00');
    // In progress (a cancelled discharge leaves its notice behind): still admitted.
    expect(only(located({ ...enc, status: 'in-progress' }, patient, n11)).discharged_at).toBeNull();
  });

  it('a period.end disagreeing with notice 11 is warned about; the Encounter wins', () => {
    const t = episodeFromStay({
      encounter: encounter(),
      communications: [notice('c9', 'utskrivningsmeddelande', '2024-03-11T12:00:00+01:00')],
      patient,
    });
    expect(t.ok && t.episode.discharged_at).toBe('2024-03-10T10:00:00+01:00');
    expect(t.ok && t.warnings.join('\n')).toMatch(/notice 11 says 2024-03-11T12:00:00\+01:00/);
  });

  it('the kommun: the Patient when the Encounter names none; a stay with neither is skipped', () => {
    const bare = encounter({ extension: [careType('somatic')] });
    expect(only(located(bare, patient)).kommunkod).toBe('1480');
    const r = episodesFromResources(located(bare));
    expect(r.episodes).toEqual([]);
    expect(r.skipped[0]).toMatchObject({ episodeId: 'Encounter/e1', reason: expect.stringMatching(/no liable-kommun/) });
  });

  it('skipped: cancelled, no care type, a discharge without a time of day', () => {
    const cases: Array<[Encounter, RegExp]> = [
      [encounter({ status: 'cancelled' }), /cancelled/],
      [encounter({ extension: [kommun(EXTENSION.liableKommun, '1480')] }), /care-type/],
      [encounter({ period: { start: '2024-03-01', end: '2024-03-10' } }), /no time of day/],
    ];
    for (const [enc, reason] of cases) {
      const r = episodesFromResources(located(enc, patient));
      expect(r.episodes).toEqual([]);
      expect(r.skipped[0]?.reason).toMatch(reason);
    }
  });

  it('a Consent joins its stay by the stay identifier (as the mappings key it) or by sourceReference', () => {
    const identifier = [{ system: STAY_IDENTIFIER_SYSTEM, value: 'X:1' }];
    const byId = { resourceType: 'Consent', id: 'k1', identifier } as Resource;
    const byRef = { resourceType: 'Consent', id: 'k2', sourceReference: { reference: 'Encounter/e2' } } as Resource;
    const stays = staysFromResources(located(encounter({ identifier }), encounter({ id: 'e2' }), byId, byRef));
    expect(stays.map((x) => x.consents?.map((c) => c.id))).toEqual([['k1'], ['k2']]);
  });

  it('two Encounters with one vårdtillfälle identifier: the second is skipped, not billed twice', () => {
    const identifier = [{ system: STAY_IDENTIFIER_SYSTEM, value: 'X:1' }];
    const r = episodesFromResources(located(encounter({ identifier }), encounter({ id: 'e2', identifier }), patient));
    expect(r.episodes.map((e) => e.episode_id)).toEqual(['X:1']);
    expect(r.skipped).toEqual([{ episodeId: 'X:1', reason: expect.stringMatching(/second Encounter/) }]);
  });
});
