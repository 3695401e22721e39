// mapAdt: what a valid message gives, the table of broken fields (each refused with that field named),
// the readings of identifiers and times, that it never throws, and that render is its inverse.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Handelse } from '../../../src/mappings/common/handelse.ts';
import { stockholmIso } from '../../../src/mappings/common/tid.ts';
import { ADT_KINDS, FIELDS } from '../../../src/mappings/hl7v2/contract.ts';
import { hl7v2Adapter } from '../../../src/mappings/hl7v2/index.ts';
import { mapAdt } from '../../../src/mappings/hl7v2/map.ts';
import { renderAdt } from '../../../src/mappings/hl7v2/render.ts';
import { asEvent, VALID_A01, withField } from './support.ts';

const ok = (raw: string): Handelse[] => {
  const r = mapAdt(raw);
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.handelser;
};
const issuesOf = (raw: string) => {
  const r = mapAdt(raw);
  return r.ok ? [] : r.issues;
};

describe('the adapter', () => {
  it('is the hl7v2 source with its media types and the adt kinds', () => {
    expect(hl7v2Adapter.id).toBe('hl7v2');
    expect(hl7v2Adapter.contentTypes).toEqual(['x-application/hl7-v2+er7', 'text/plain']);
    expect([...hl7v2Adapter.kinds].sort()).toEqual(['adt-inskrivning', 'adt-inskrivning-makulerad', 'adt-overflyttning', 'adt-uppdatering', 'adt-utskrivning', 'adt-utskrivning-makulerad']);
    expect(hl7v2Adapter.map(VALID_A01.join('\r'), 'text/plain').ok).toBe(true);
  });
});

describe('a valid A01', () => {
  it('becomes one adt-inskrivning with everything the contract carries', () => {
    expect(ok(VALID_A01.join('\r'))).toEqual([
      {
        source: 'hl7v2',
        messageId: 'ORB-1001',
        seq: 0,
        kind: 'adt-inskrivning',
        occurredAt: '2025-02-27T14:24:00+01:00',
        sentAt: '2025-02-27T14:25:00+01:00',
        patient: {
          identifier: { kind: 'personnummer', value: '195009072553' },
          family: 'Tolvansson',
          given: ['Tolvan'],
          folkbokforingsadress: { line: ['Storgatan 1'], postalCode: '70210', city: 'Örebro' },
          folkbokforingskommun: '1880',
        },
        stay: {
          issuer: 'SE2321000164-7381037590003',
          id: 'V2025-0001',
          admittedAt: '2025-02-27T14:20:00+01:00',
          unit: { kind: 'slutenvard', hsaId: 'SE2321000164-1ORB7100', name: 'Avd 71 Medicin' },
          careType: 'somatic',
        },
        sender: { kind: 'slutenvard', hsaId: 'SE2321000164-1ORB7100', name: 'Avd 71 Medicin' },
        recipients: [],
      },
    ]);
  });

  it('takes EVN-6 over EVN-2 over MSH-7 for the event time', () => {
    expect(ok(withField('EVN', 6, '202502271410'))[0]!.occurredAt).toBe('2025-02-27T14:10:00+01:00');
    expect(ok(withField('EVN', 2, ''))[0]!.occurredAt).toBe('2025-02-27T14:25:00+01:00');
  });

  it('an A03 happens at PV1-45, else at the event time', () => {
    const a03 = asEvent('ADT^A03^ADT_A03');
    expect(ok(withField('PV1', 45, '20250304113000', a03))[0]).toMatchObject({ kind: 'adt-utskrivning', occurredAt: '2025-03-04T11:30:00+01:00' });
    expect(ok(withField('EVN', 6, '20250304120000', a03))[0]!.occurredAt).toBe('2025-03-04T12:00:00+01:00');
  });

  it.each([
    ['ADT^A02^ADT_A02', 'adt-overflyttning'],
    ['ADT^A08^ADT_A01', 'adt-uppdatering'],
    ['ADT^A11^ADT_A09', 'adt-inskrivning-makulerad'],
    ['ADT^A13^ADT_A01', 'adt-utskrivning-makulerad'],
    ['ADT^A13', 'adt-utskrivning-makulerad'],
  ])('%s is %s', (type, kind) => {
    expect(ok(asEvent(type).join('\r'))[0]!.kind).toBe(kind);
  });

  it('PV2-9 is the expected discharge of an A08, a date or an instant', () => {
    const a08 = [...asEvent('ADT^A08^ADT_A01'), 'PV2|||||||||20250305'];
    expect(ok(a08.join('\r'))[0]).toMatchObject({ kind: 'adt-uppdatering', estimatedDischarge: '2025-03-05' });
    expect(ok(withField('PV2', 9, '202503051400', a08))[0]).toMatchObject({ estimatedDischarge: '2025-03-05T14:00:00+01:00' });
  });

  it('reads PID-3 by assigning authority or identifier type, whichever repetition it is in', () => {
    const id = (cx: string) => ok(withField('PID', 3, cx))[0]!.patient.identifier;
    expect(id('4711^^^USO^MR~195009072553^^^1.2.752.129.2.1.3.1')).toEqual({ kind: 'personnummer', value: '195009072553' });
    expect(id('19500907-2553^^^urn:oid:1.2.752.129.2.1.3.1')).toEqual({ kind: 'personnummer', value: '195009072553' });
    expect(id('195009072553^^^^NNSWE')).toEqual({ kind: 'personnummer', value: '195009072553' });
    // 10 digits: the century from the message date (MSH-7).
    expect(id('500907-2553^^^PERSONNUMMER')).toEqual({ kind: 'personnummer', value: '195009072553' });
    expect(id('20210325K069^^^nationelltReservnummer~195009072553^^^personnummer')).toEqual({ kind: 'personnummer', value: '195009072553' });
  });

  it('takes the legal name and address among several', () => {
    const h = ok(withField('PID', 11, 'Postbox 9^^Kumla^^69221^^M~Storgatan 1^lgh 1201^Örebro^^70210^^L^^1880', withField('PID', 5, 'Alias^X^^^^^A~Tolvansson^Tolvan^Olof Erik^^^^L').split('\r')))[0]!;
    expect([h.patient.family, h.patient.given]).toEqual(['Tolvansson', ['Tolvan', 'Olof', 'Erik']]);
    expect(h.patient.folkbokforingsadress).toEqual({ line: ['Storgatan 1', 'lgh 1201'], postalCode: '70210', city: 'Örebro' });
  });

  it('reads PD1-12 and ZSV-1 for protected identity', () => {
    const base = [...VALID_A01];
    expect(ok([...base, 'ZSV|skyddadFolkbokforing'].join('\r'))[0]!.patient.skyddadIdentitet).toBe('skyddadFolkbokforing');
    expect(ok([...base, 'PD1||||||||||||N'].join('\r'))[0]!.patient.skyddadIdentitet).toBe('none');
    expect(ok(base.join('\r'))[0]!.patient.skyddadIdentitet).toBeUndefined();
    expect(ok([...base, 'ZSV||yellow'].join('\r'))[0]!.stay.visamTrack).toBe('yellow');
  });
});

describe('broken fields are refused with the field named', () => {
  const a08 = (pv2: string) => [...asEvent('ADT^A08^ADT_A01'), pv2].join('\r');
  const a03 = (pv145: string) => withField('PV1', 45, pv145, asEvent('ADT^A03^ADT_A03'));
  const cases: [string, string, string][] = [
    ['MSH-4 missing', withField('MSH', 4, ''), 'MSH-4.1'],
    ['MSH-4 not an HSA-id', withField('MSH', 4, 'Region Örebro'), 'MSH-4.1'],
    ['MSH-7 missing', withField('MSH', 7, ''), 'MSH-7'],
    ['MSH-7 not a time', withField('MSH', 7, '20251301'), 'MSH-7'],
    ['MSH-9 missing', withField('MSH', 9, ''), 'MSH-9'],
    ['MSH-9 not ADT', withField('MSH', 9, 'ORU^R01^ORU_R01'), 'MSH-9'],
    ['MSH-9 event not taken', withField('MSH', 9, 'ADT^A04^ADT_A01'), 'MSH-9'],
    ['MSH-9 wrong structure', withField('MSH', 9, 'ADT^A03^ADT_A01'), 'MSH-9'],
    ['MSH-10 missing', withField('MSH', 10, ''), 'MSH-10'],
    ['MSH-10 too long', withField('MSH', 10, 'x'.repeat(200)), 'MSH-10'],
    ['MSH-11 unknown', withField('MSH', 11, 'X'), 'MSH-11'],
    ['MSH-12 missing', withField('MSH', 12, ''), 'MSH-12'],
    ['MSH-12 other version', withField('MSH', 12, '2.3'), 'MSH-12'],
    ['MSH-18 unknown', withField('MSH', 18, 'ISO IR87'), 'MSH-18'],
    ['EVN missing', VALID_A01.filter((l) => !l.startsWith('EVN')).join('\r'), 'EVN'],
    ['EVN-1 contradicts MSH-9', withField('EVN', 1, 'A03'), 'EVN-1'],
    ['EVN-2 not a time', withField('EVN', 2, 'igår'), 'EVN-2'],
    ['EVN-6 not a time', withField('EVN', 6, '2025022714'), 'EVN-6'],
    ['PID missing', VALID_A01.filter((l) => !l.startsWith('PID')).join('\r'), 'PID'],
    ['PID twice', [...VALID_A01, VALID_A01[2]!].join('\r'), 'PID'],
    ['PID-3 missing', withField('PID', 3, ''), 'PID-3'],
    ['PID-3 only a local id', withField('PID', 3, '4711^^^USO^MR'), 'PID-3'],
    ['PID-3 bad check digit', withField('PID', 3, '195009072554^^^1.2.752.129.2.1.3.1'), 'PID-3'],
    ['PID-3 personnummer under the samordningsnummer OID', withField('PID', 3, '195009072553^^^1.2.752.129.2.1.3.3'), 'PID-3'],
    ['PID-3 two different personnummer', withField('PID', 3, '195009072553^^^personnummer~196101182803^^^personnummer'), 'PID-3'],
    ['PID-5 missing', withField('PID', 5, ''), 'PID-5.1'],
    ['PID-5.1 empty', withField('PID', 5, '^Tolvan'), 'PID-5.1'],
    ['PID-11.9 not a kommunkod', withField('PID', 11, 'Storgatan 1^^Örebro^^70210^SE^L^^1899'), 'PID-11.9'],
    ['PID-12 not a kommunkod', withField('PID', 12, '18', withField('PID', 11, '').split('\r')), 'PID-12'],
    ['PD1-12 not Y/N', [...VALID_A01, 'PD1||||||||||||J'].join('\r'), 'PD1-12'],
    ['PD1-12 Y without ZSV-1', [...VALID_A01, 'PD1||||||||||||Y'].join('\r'), 'ZSV-1'],
    ['PD1-12 N but ZSV-1 protected', [...VALID_A01, 'PD1||||||||||||N', 'ZSV|sekretessmarkering'].join('\r'), 'PD1-12'],
    ['ZSV-1 unknown', [...VALID_A01, 'ZSV|hemlig'].join('\r'), 'ZSV-1'],
    ['ZSV-2 unknown', [...VALID_A01, 'ZSV||blue'].join('\r'), 'ZSV-2'],
    ['PV1 missing', VALID_A01.filter((l) => !l.startsWith('PV1')).join('\r'), 'PV1'],
    ['PV1-2 outpatient', withField('PV1', 2, 'O'), 'PV1-2'],
    ['PV1-3 missing', withField('PV1', 3, ''), 'PV1-3.1'],
    ['PV1-3.1 not an HSA-id', withField('PV1', 3, 'AVD71^^^^^^^^Avd 71'), 'PV1-3.1'],
    ['PV1-3.9 no unit name', withField('PV1', 3, 'SE2321000164-1ORB7100'), 'PV1-3.9'],
    ['PV1-10 missing', withField('PV1', 10, ''), 'PV1-10'],
    ['PV1-10 unknown', withField('PV1', 10, 'MED'), 'PV1-10'],
    ['PV1-18 unknown', withField('PV1', 18, 'TVÅNG', withField('PV1', 10, 'PSY').split('\r')), 'PV1-18'],
    ['PV1-18 LPT in somatic care', withField('PV1', 18, 'LPT'), 'PV1-18'],
    ['PV1-19 missing', withField('PV1', 19, ''), 'PV1-19'],
    ['PV1-19 too long', withField('PV1', 19, 'V'.repeat(65)), 'PV1-19'],
    ['PV1-19 with spaces around', withField('PV1', 19, ' V1 '), 'PV1-19'],
    ['PV1-44 missing', withField('PV1', 44, ''), 'PV1-44'],
    ['PV1-44 not a time', withField('PV1', 44, '20250230120000'), 'PV1-44'],
    ['PV1-45 not a time', a03('2025-03-04'), 'PV1-45'],
    ['PV1-45 before PV1-44', a03('20250226120000'), 'PV1-45'],
    ['PV2-9 not a date', a08('PV2|||||||||20250231'), 'PV2-9'],
    ['PV2 twice', [a08('PV2|||||||||20250305'), 'PV2|||||||||20250306'].join('\r'), 'PV2'],
    ['not ER7', 'hello', 'MSH'],
    ['bad MSH-2', VALID_A01.join('\r').replace('^~\\&', '^~'), 'MSH-2'],
    ['bad escape', withField('PID', 5, 'Tolv\\Z\\ansson'), 'PID-5'],
  ];

  it.each(cases)('%s', (_name, raw, path) => {
    const r = mapAdt(raw);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues.map((i) => i.path)).toContain(path);
    expect(r.issues.find((i) => i.path === path)!.message).toMatch(new RegExp(path.split('-')[0]!));
  });

  it('keeps the message id of a refused message whose header can be read', () => {
    expect(mapAdt(withField('PV1', 19, ''))).toMatchObject({ ok: false, messageId: 'ORB-1001' });
    expect(mapAdt('hello')).not.toHaveProperty('messageId');
  });

  it('names every problem of a message, not just the first', () => {
    const raw = withField('PV1', 10, '', withField('PID', 3, '', withField('MSH', 7, '').split('\r')).split('\r'));
    expect(issuesOf(raw).map((i) => i.path).sort()).toEqual(['MSH-7', 'PID-3', 'PV1-10']);
  });
});

describe('totality', () => {
  const segmentish = fc.oneof(
    fc.string(),
    fc.constantFrom(...VALID_A01),
    fc.constantFrom('MSH|^~\\&|', 'PID|||', 'PV1||I|', 'EVN|A01|', '\\X', '\\', '^', '~', '&', '|', '\r', '\n', 'ZSV|', 'PD1||||||||||||Y', 'PV2|||||||||'),
  );
  it('mapAdt never throws and always answers with a result, on any text', () => {
    fc.assert(
      fc.property(fc.array(segmentish, { maxLength: 12 }), fc.boolean(), (parts, startWithMsh) => {
        const raw = (startWithMsh ? VALID_A01[0] + '\r' : '') + parts.join('');
        const r = mapAdt(raw);
        expect(typeof r.ok).toBe('boolean');
        if (!r.ok) expect(r.issues.length).toBeGreaterThan(0);
      }),
      { numRuns: 2000 },
    );
  });

  it('mapAdt never throws on a valid message with one field mutated', () => {
    const valid = VALID_A01.join('\r');
    fc.assert(
      fc.property(fc.nat({ max: valid.length - 1 }), fc.string({ maxLength: 4 }), fc.nat({ max: 3 }), (at, insert, del) => {
        const r = mapAdt(valid.slice(0, at) + insert + valid.slice(at + del));
        expect(typeof r.ok).toBe('boolean');
      }),
      { numRuns: 2000 },
    );
  });
});

describe('render is the inverse of map', () => {
  const hsa = fc.stringMatching(/^SE232100016[0-9]-[A-Z0-9]{1,12}$/);
  const name = fc.stringMatching(/^[A-Za-zÅÄÖåäö|^~\\&'-]{1,12}$/);
  const time = fc.integer({ min: Date.UTC(2024, 0, 1), max: Date.UTC(2026, 11, 31) }).map((ms) => Math.floor(ms / 1000) * 1000);
  const stockholm = stockholmIso;
  const person = fc.constantFrom('195009072553', '196101182803', '189002029800', '200302022389', '199002222397', '200001252386', '189602029812', '201701012393');

  const handelse = fc
    .record({
      kind: fc.constantFrom(...ADT_KINDS),
      messageId: fc.stringMatching(/^[A-Za-z0-9|^&~\\-]{1,20}$/),
      sent: time,
      occurred: time,
      admitted: time,
      pnr: person,
      family: name,
      given: fc.array(name, { maxLength: 3 }),
      adress: fc.option(fc.record({ line: fc.array(name, { minLength: 1, maxLength: 2 }), postalCode: fc.option(fc.stringMatching(/^\d{5}$/), { nil: undefined }), city: fc.option(name, { nil: undefined }) }), { nil: undefined }),
      kommun: fc.option(fc.constantFrom('1880', '0680', '1480', '9901'), { nil: undefined }),
      skyddad: fc.option(fc.constantFrom('sekretessmarkering' as const, 'skyddadFolkbokforing' as const, 'none' as const), { nil: undefined }),
      issuer: hsa,
      stayId: fc.stringMatching(/^[A-Za-z0-9^|&-]{1,20}$/),
      unitHsa: hsa,
      unitName: fc.stringMatching(/^[A-Za-zÅÄÖåäö0-9 &^|]{0,20}[A-Za-z]$/),
      psych: fc.option(fc.constantFrom('lpt' as const, 'lrv' as const, 'oppen-lpt' as const, 'oppen-lrv' as const), { nil: null }),
      careType: fc.constantFrom('somatic' as const, 'psychiatric' as const),
      visam: fc.option(fc.constantFrom('green' as const, 'yellow' as const, 'red' as const), { nil: undefined }),
      estimated: fc.option(fc.oneof(fc.constantFrom('2025-03-05', '2024-02-29'), time), { nil: undefined }),
    })
    .map((r): Handelse[] => {
      const unit = { kind: 'slutenvard' as const, hsaId: r.unitHsa, name: r.unitName.trim() };
      const careType = r.psych ? 'psychiatric' : r.careType;
      const occurred = r.kind === 'adt-utskrivning' ? Math.max(r.occurred, r.admitted) : r.occurred;
      const base = {
        source: 'hl7v2' as const,
        messageId: r.messageId,
        seq: 0,
        occurredAt: stockholm(occurred),
        sentAt: stockholm(r.sent),
        patient: {
          identifier: { kind: 'personnummer' as const, value: r.pnr },
          family: r.family,
          given: r.given,
          ...(r.adress ? { folkbokforingsadress: { line: r.adress.line, ...(r.adress.postalCode ? { postalCode: r.adress.postalCode } : {}), ...(r.adress.city ? { city: r.adress.city } : {}) } } : {}),
          ...(r.kommun ? { folkbokforingskommun: r.kommun } : {}),
          ...(r.skyddad ? { skyddadIdentitet: r.skyddad } : {}),
        },
        stay: { issuer: r.issuer, id: r.stayId, admittedAt: stockholm(r.admitted), unit, careType, ...(r.psych ? { compulsoryCare: r.psych } : {}), ...(r.visam ? { visamTrack: r.visam } : {}) },
        sender: unit,
        recipients: [],
      };
      const estimated = r.estimated === undefined ? undefined : typeof r.estimated === 'string' ? r.estimated : stockholm(r.estimated);
      if (r.kind === 'adt-uppdatering') return [{ ...base, kind: r.kind, ...(estimated ? { estimatedDischarge: estimated } : {}) }];
      const first = { ...base, kind: r.kind } as Handelse;
      if (estimated && (r.kind === 'adt-inskrivning' || r.kind === 'adt-overflyttning')) return [first, { ...base, seq: 1, kind: 'adt-uppdatering', estimatedDischarge: estimated }];
      return [first];
    });

  it('map(render(h)) = h for every händelse the contract carries', () => {
    fc.assert(
      fc.property(handelse, (hs) => {
        const rendered = renderAdt(hs);
        expect(rendered.contentType).toBe('x-application/hl7-v2+er7');
        expect(mapAdt(rendered.body)).toEqual({ ok: true, messageId: hs[0]!.messageId, handelser: hs });
      }),
      { numRuns: 400 },
    );
  });

  it('render refuses what HL7v2 ADT does not carry', () => {
    const [h] = ok(VALID_A01.join('\r'));
    expect(() => renderAdt([{ ...h!, kind: 'utskrivningsklar' }])).toThrow(/does not carry/);
    expect(() => renderAdt([h!, h!])).toThrow(/one event per message/);
    expect(() => renderAdt([])).toThrow();
  });
});

describe('the contract document', () => {
  it('docs/mappings/hl7v2.md names every field of the contract', async () => {
    const { readFileSync } = await import('node:fs');
    const doc = readFileSync(new URL('../../../docs/mappings/hl7v2.md', import.meta.url), 'utf8');
    const missing = FIELDS.map((f) => f.path).filter((p) => !doc.includes(`\`${p}\``));
    expect(missing).toEqual([]);
  });
});
