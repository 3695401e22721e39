// The kommun adapter against its fixture episode parts (expected Bundles, round trip, profiles) and bad input.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CarePlan, Communication, Encounter, Patient } from '@medplum/fhirtypes';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Handelse } from '../../../src/mappings/common/handelse.ts';
import { kommunAdapter } from '../../../src/mappings/kommun/index.ts';
import { samsaAdapter } from '../../../src/mappings/samsa/index.ts';
import { episodeBundles, expectBundles, loadEpisodes, profileErrors, readExpected, resourcesOf } from '../samsa/support.ts';

const here = import.meta.dirname;
const expectedDir = join(here, 'expected');
const map = (raw: string) => kommunAdapter.map(raw, 'application/json');
const episodes = loadEpisodes(join(here, 'fixtures'), map);
const episode = (name: string) => episodes.find((e) => e.name === name)!;

describe('kommun fixture episode parts', () => {
  it('covers every sending system, message type and händelse kind', () => {
    const raws = episodes.flatMap((e) => e.messages.map((m) => JSON.parse(m.raw) as { kallsystem: string; meddelandetyp: string }));
    expect(new Set(raws.map((r) => r.kallsystem))).toEqual(new Set(['Treserva', 'Pulsen Combine', 'Lifecare VoO']));
    expect(new Set(raws.map((r) => r.meddelandetyp))).toEqual(new Set(['kvittens', 'ejKand', 'avvisning', 'adlOchInsatser', 'redoAttTaEmot', 'meddelande', 'sipBeslut']));
    const kinds = new Set(episodes.flatMap((e) => e.messages.flatMap((m) => m.handelser.map((h) => h.kind))));
    expect([...kinds].sort()).toEqual([...kommunAdapter.kinds].sort());
  });

  it.each(episodes.map((e) => [e.name, e] as const))('%s gives the expected Bundles', (_n, e) => {
    expectBundles(expectedDir, e);
  });

  it.each(episodes.map((e) => [e.name] as const))('%s: every resource of the expected Bundles is valid against its profile', (name) => {
    const errors = readExpected(expectedDir, name).flatMap((b) => (b.bundle.entry ?? []).flatMap((x) => profileErrors(x.resource!).map((m) => `${b.file}: ${m}`)));
    expect(errors).toEqual([]);
  });

  it.each(episodes.flatMap((e) => e.messages.map((m) => [`${e.name}/${m.file}`, m.handelser] as const)))('round trip %s', (_n, hs) => {
    const rendered = kommunAdapter.render(hs);
    expect(rendered.contentType).toBe('application/json');
    expect(kommunAdapter.map(rendered.body, rendered.contentType)).toEqual({ ok: true, messageId: hs[0]!.messageId, handelser: hs });
  });

  it('namespaces message ids by the sending system', () => {
    expect(episodes.flatMap((e) => e.messages.map((m) => m.handelser[0]!.messageId.split(':')[0]))).toEqual([
      'pulsen-combine',
      'pulsen-combine',
      'lifecare-voo',
      'treserva',
      'treserva',
      'treserva',
      'treserva',
      'treserva',
      'treserva',
    ]);
  });

  it('maps the acknowledgement kinds, ready to receive and the SIP decision', () => {
    const code = (c: Communication, i: number) => c.category?.[i]?.coding?.[0]?.code;
    const comms = episodes.flatMap((e) => resourcesOf<Communication>(episodeBundles(e), 'Communication'));
    expect(comms.filter((c) => code(c, 0) === 'kvittens').map((c) => code(c, 1))).toEqual(['ej-kand', 'avvisning', 'kvittens']);
    const redo = comms.find((c) => c.identifier?.[0]?.value?.endsWith(':treserva:5b0e6a1e-0003'))!;
    expect(code(redo, 0)).toBe('kommentar');
    expect(redo.payload?.[0]?.contentString).toBe('Redo att ta emot från 2025-03-06T16:00:00+01:00: Utökad hemtjänst beviljad; första besöket klockan 18.');
    const plan = resourcesOf<CarePlan>(episodeBundles(episode('treserva-trollhattan-psykiatri')), 'CarePlan')[0]!;
    expect(plan.identifier).toEqual([{ system: 'https://samverkan-gateway.se/fhir/identifier/plan/kommun', value: 'T-SPLPTLRV-2025-0107' }]);
    expect(plan.category?.[0]?.coding?.[0]?.code).toBe('SPLPTLRV');
    expect(plan.activity?.map((a) => a.detail?.performer?.[0]?.display)).toEqual(['Trollhättans stad, socialpsykiatri', 'NU-sjukvården, psykiatrisk öppenvårdsmottagning Trollhättan']);
  });

  it('keeps the time of day across the end of summer time (2025-10-26)', () => {
    const b = episodeBundles(episode('combine-orebro-ej-kand'));
    expect(resourcesOf<Encounter>(b, 'Encounter')[0]?.period?.start).toBe('2025-10-25T23:30:00+02:00');
    expect(resourcesOf<Communication>(b, 'Communication')[0]?.sent).toBe('2025-10-26T09:15:00+01:00');
  });

  it('marks a protected identity and the kommun as a party by its kommunkod', () => {
    const p = resourcesOf<Patient>(episodeBundles(episode('treserva-trollhattan-psykiatri')), 'Patient')[0]!;
    expect(p.meta?.security?.[0]?.code).toBe('sekretessmarkering');
    const b = episodeBundles(episode('lifecare-jonkoping-avvisning'));
    const orgs = b[0]!.bundle.entry!.filter((e) => e.resource?.resourceType === 'Organization').map((e) => e.resource);
    expect(orgs).toContainEqual(expect.objectContaining({ identifier: [{ system: 'urn:oid:1.2.752.129.2.2.1.17', value: '0680' }], name: 'Jönköpings kommun' }));
  });

  it('answers the same stay as the SAMSA episode it replies to', () => {
    const samsa = loadEpisodes(join(here, '../samsa/fixtures'), (raw) => samsaAdapter.map(raw, 'application/xml')).find((e) => e.name === 'somatisk-goteborg')!;
    const key = (h: Handelse) => `${h.stay.issuer}:${h.stay.id}`;
    expect(new Set(episode('treserva-goteborg').messages.map((m) => key(m.handelser[0]!)))).toEqual(new Set([key(samsa.messages[0]!.handelser[0]!)]));
  });
});

describe('kommun render refuses what the contract cannot say', () => {
  const [h] = episode('treserva-goteborg').messages[0]!.handelser as [Handelse];
  it.each([
    ['a notice only the hospital sends', [{ ...h, kind: 'utskrivningsklar' }], /does not carry utskrivningsklar/],
    ['an unknown sending system', [{ ...h, messageId: 'viva:1' }], /known sending system/],
    ['two händelser', [h, { ...h, seq: 1 }], /one händelse/],
    ['an address', [{ ...h, patient: { ...h.patient, folkbokforingsadress: { line: ['x'] } } }], /folkbokföringsadress/],
  ] as const)('%s', (_n, hs, error) => {
    expect(() => kommunAdapter.render(hs as unknown as Handelse[])).toThrow(error);
  });
});

describe('kommun bad input', () => {
  const good = JSON.parse(readFileSync(join(here, 'fixtures/treserva-goteborg/04-sip-beslut.json'), 'utf8')) as Record<string, never>;
  /** The fixture with one change: `edit` gets a deep copy to change. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the cases reach into any member of the parsed fixture
  const with_ = (edit: (m: Record<string, any>) => void) => {
    const m: Record<string, unknown> = structuredClone(good);
    edit(m);
    return JSON.stringify(m);
  };
  const cases: [string, string, string, RegExp][] = [
    ['missing member', with_((m) => delete m.patient.efternamn), 'patient.efternamn', /missing/],
    ['bad personnummer checksum', with_((m) => (m.patient.personnummer = '195009072554')), 'patient.personnummer', /kontrollsiffra/],
    ['no identifier', with_((m) => delete m.patient.personnummer), 'patient', /exactly one/],
    ['bad reservnummer', with_((m) => { delete m.patient.personnummer; m.patient.reservnummer = '19480611M076'; }), 'patient.reservnummer', /reservnummer/],
    ['bad date-time', with_((m) => (m.skickat = '2025-03-32T10:00')), 'skickat', /not a date-time/],
    ['bad date', with_((m) => (m.innehall.uppfoljning = '2025-02-29')), 'innehall.uppfoljning', /calendar date/],
    ['unknown message type', with_((m) => (m.meddelandetyp = 'bistandsbeslut')), 'meddelandetyp', /unknown message type "bistandsbeslut"/],
    ['unknown sending system', with_((m) => (m.kallsystem = 'Viva')), 'kallsystem', /Treserva/],
    ['unknown member', with_((m) => (m.patient.smeknamn = 'Tolle')), 'patient.smeknamn', /unknown member/],
    ['a prototype key', '{"__proto__": {"polluted": true}, ' + with_(() => undefined).slice(1), '__proto__', /unknown member/],
    ['bad HSA-id', with_((m) => (m.mottagare[0].hsaId = 'SE123')), 'mottagare[0].hsaId', /HSA-id/],
    ['a kommun with an HSA-id', with_((m) => (m.avsandare = { typ: 'kommun', hsaId: 'SE2120001355-E1', namn: 'Göteborg' })), 'avsandare.hsaId', /kommunkod/],
    ['a hospital as sender', with_((m) => (m.avsandare.typ = 'slutenvard')), 'avsandare.typ', /municipal/],
    ['an action without a responsible party', with_((m) => delete m.innehall.insatser[0].ansvarig), 'innehall.insatser[0].ansvarig', /missing/],
    ['empty ADL message', with_((m) => { m.meddelandetyp = 'adlOchInsatser'; m.innehall = {}; }), 'innehall', /at least one/],
    ['not JSON', '<SamsaMeddelande/>', '(message)', /not JSON/],
    ['not an object', '[1, 2]', '(message)', /JSON object/],
    ['deep nesting', `${'['.repeat(100_000)}${']'.repeat(100_000)}`, '(message)', /JSON object/],
    ['5 MB', with_((m) => (m.innehall.insatser[0].beskrivning = 'x'.repeat(5 * 1024 * 1024))), '(message)', /larger than/],
  ];
  it.each(cases)('%s', (_n, raw, path, message) => {
    const r = map(raw);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues.map((i) => i.path)).toContain(path);
    expect(r.issues.find((i) => i.path === path)?.message).toMatch(message);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('names the message id of a rejected message when it could be read', () => {
    expect(map(with_((m) => (m.patient.personnummer = '195009072554')))).toMatchObject({ ok: false, messageId: 'treserva:5b0e6a1e-0004' });
  });

  it('refuses a content type that is not JSON', () => {
    expect(kommunAdapter.map(JSON.stringify(good), 'application/xml')).toMatchObject({ ok: false, issues: [{ path: 'Content-Type' }] });
  });

  it('never throws, for any string or any JSON value', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 300 }), fc.json({ maxDepth: 6 })), (s) => {
        expect(map(s).ok).toBe(false);
      }),
      { numRuns: 400 },
    );
  });

  it('never throws for the fixture with one member replaced by any JSON value', () => {
    const paths = ['skickat', 'avsandare', 'mottagare', 'patient', 'vardtillfalle', 'innehall', 'meddelandeId'];
    fc.assert(
      fc.property(fc.constantFrom(...paths), fc.jsonValue({ maxDepth: 4 }), (p, v) => {
        const r = map(with_((m) => (m[p] = v)));
        if (!r.ok) expect(r.issues.length).toBeGreaterThan(0);
      }),
      { numRuns: 300 },
    );
  });
});
