// The SAMSA adapter against its fixture episodes (expected Bundles, round trip, profiles) and bad input.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Communication, Consent, Encounter, Patient } from '@medplum/fhirtypes';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Handelse } from '../../../src/mappings/common/handelse.ts';
import { samsaAdapter } from '../../../src/mappings/samsa/index.ts';
import { episodeBundles, expectBundles, loadEpisodes, profileErrors, readExpected, resourcesOf } from './support.ts';

const here = import.meta.dirname;
const expectedDir = join(here, 'expected');
const map = (raw: string) => samsaAdapter.map(raw, 'application/xml');
const episodes = loadEpisodes(join(here, 'fixtures'), map);
const episode = (name: string) => episodes.find((e) => e.name === name)!;

describe('SAMSA fixture episodes', () => {
  it('has the episodes the brief asks for', () => {
    expect(episodes.map((e) => e.name)).toEqual([
      'psykiatri-trollhattan-sekretess',
      'reservnummer-avbruten-boras',
      'somatisk-goteborg',
      'sommartid-skovde-skyddad',
    ]);
    // Every kind the adapter declares occurs in some fixture.
    const kinds = new Set(episodes.flatMap((e) => e.messages.flatMap((m) => m.handelser.map((h) => h.kind))));
    expect([...kinds].sort()).toEqual([...samsaAdapter.kinds].sort());
  });

  it.each(episodes.map((e) => [e.name, e] as const))('%s gives the expected Bundles', (_n, e) => {
    expectBundles(expectedDir, e);
  });

  it.each(episodes.map((e) => [e.name] as const))('%s: every resource of the expected Bundles is valid against its profile', (name) => {
    const bundles = readExpected(expectedDir, name);
    const errors = bundles.flatMap((b) => (b.bundle.entry ?? []).flatMap((x) => profileErrors(x.resource!).map((m) => `${b.file}: ${m}`)));
    expect(errors).toEqual([]);
  });

  it.each(episodes.flatMap((e) => e.messages.map((m) => [`${e.name}/${m.file}`, m.handelser] as const)))(
    'round trip %s: map(render(h)) deep-equals h',
    (_n, hs) => {
      const rendered = samsaAdapter.render(hs);
      expect(rendered.contentType).toBe('application/xml');
      const back = samsaAdapter.map(rendered.body, rendered.contentType);
      expect(back).toEqual({ ok: true, messageId: hs[0]!.messageId, handelser: hs });
    },
  );

  it('keeps the time of day across the change to summer time (2025-03-30)', () => {
    const bundles = episodeBundles(episode('sommartid-skovde-skyddad'));
    const stay = resourcesOf<Encounter>(bundles, 'Encounter').at(-1)!;
    expect(stay.period).toEqual({ start: '2025-03-27T09:50:00+01:00', end: '2025-03-31T14:30:00+02:00' });
    // Sent as 13:30Z: 14:30 Stockholm winter time.
    expect(stay.extension).toContainEqual(expect.objectContaining({ valueDateTime: '2025-03-29T14:30:00+01:00' }));
    const sip = resourcesOf<Communication>(bundles, 'Communication').find((c) => c.category?.[0]?.coding?.[0]?.code === 'kallelse-sip')!;
    expect(sip.extension?.[0]?.valueDateTime).toBe('2025-03-31T09:00:00+02:00');
  });

  it('marks protected identities and keeps the reservnummer', () => {
    const security = (name: string) => resourcesOf<Patient>(episodeBundles(episode(name)), 'Patient').at(-1)!;
    expect(security('sommartid-skovde-skyddad').meta?.security?.[0]?.code).toBe('skyddadFolkbokforing');
    const p = security('psykiatri-trollhattan-sekretess');
    expect(p.meta?.security?.[0]?.code).toBe('sekretessmarkering');
    // Sent as 20000125-2386: normalised to 12 digits.
    expect(p.identifier).toEqual([{ system: 'http://electronichealth.se/identifier/personnummer', value: '200001252386' }]);
    expect(security('reservnummer-avbruten-boras').identifier).toEqual([
      { system: 'http://electronichealth.se/identifier/nationelltReservnummer', value: '19480611M075' },
    ]);
    expect(security('somatisk-goteborg').meta?.security).toBeUndefined();
  });

  it('maps refused consent, withdrawn readiness and the interrupted process', () => {
    const psyk = episodeBundles(episode('psykiatri-trollhattan-sekretess'));
    expect(resourcesOf<Consent>(psyk, 'Consent')[0]?.status).toBe('rejected');
    const stays = resourcesOf<Encounter>(psyk, 'Encounter');
    const ready = (e: Encounter) => e.extension?.find((x) => x.url.endsWith('/ready-for-discharge'))?.valueDateTime;
    // After the withdrawal (message 7) there is no readiness until the next notice 8.
    expect(stays.map(ready)).toEqual([...Array(5).fill(undefined), '2025-06-03T11:20:00+02:00', undefined, '2025-06-09T13:40:00+02:00', '2025-06-09T13:40:00+02:00']);
    expect(stays.at(-1)?.extension).toContainEqual(expect.objectContaining({ valueCoding: expect.objectContaining({ code: 'oppen-lpt' }) }));

    const boras = episodeBundles(episode('reservnummer-avbruten-boras'));
    const last = resourcesOf<Encounter>(boras, 'Encounter').at(-1)!;
    expect(ready(last)).toBeUndefined();
    expect(last.status).toBe('finished');
    const avbrott = resourcesOf<Communication>(boras, 'Communication').find((c) => c.identifier?.[0]?.value?.endsWith(':SAMSA-c41d7e06'))!;
    expect(avbrott.category?.[0]?.coding?.[0]?.code).toBe('aterkallad-utskrivningsklar');
    expect(avbrott.payload?.[0]?.contentString).toMatch(/^Processen avbruten: Patienten flyttas/);
  });

  it('joins the sections of a care request into its text, in the contract order', () => {
    const [vb, samtycke] = episode('somatisk-goteborg').messages[0]!.handelser;
    expect(vb?.kind === 'vardbegaran' && vb.text.split('\n').map((l) => l.split(':')[0])).toEqual([
      'Orsak',
      'Läkemedelshantering',
      'Egenvård',
      'Funktionsstatus',
      'Boendeform',
      'Pågående insatser',
      'Kontaktuppgifter',
    ]);
    expect(samtycke).toMatchObject({ kind: 'samtycke', decision: 'given', seq: 1, occurredAt: '2025-02-27T14:55:00+01:00' });
  });
});

describe('SAMSA render refuses what SAMSA cannot say', () => {
  const [ins] = episode('somatisk-goteborg').messages[1]!.handelser as [Handelse];
  it.each([
    ['a record-system event', [{ ...ins, kind: 'adt-inskrivning' }], /does not carry adt-inskrivning/],
    ['a ViSam track', [{ ...ins, stay: { ...ins.stay, visamTrack: 'red' } }], /ViSam/],
    ['händelser of two messages', [ins, { ...ins, seq: 1, messageId: 'other', kind: 'samtycke', decision: 'given' }], /differs .* messageId/],
    ['two notices SAMSA never sends together', [ins, { ...ins, seq: 1, kind: 'utskrivningsklar' }], /cannot send utskrivningsklar/],
  ] as const)('%s', (_n, hs, error) => {
    expect(() => samsaAdapter.render(hs as unknown as Handelse[])).toThrow(error);
  });
});

describe('SAMSA bad input', () => {
  const good = readFileSync(join(here, 'fixtures/somatisk-goteborg/02-inskrivningsmeddelande.xml'), 'utf8');
  const swap = (from: string | RegExp, to: string) => {
    const out = good.replace(from, to);
    if (out === good) throw new Error(`fixture has no ${String(from)}`);
    return out;
  };
  const P = 'SamsaMeddelande';
  const bomb = `<?xml version="1.0"?><!DOCTYPE lol [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>${good.replace(/^<\?xml[^>]*>/, '').replace('Tolvansson</Efternamn>', '&c;</Efternamn>')}`;
  const cases: [string, string, string, RegExp][] = [
    ['missing element', swap(/\s*<Efternamn>Tolvansson<\/Efternamn>/, ''), `${P}/Patient/Efternamn`, /missing/],
    ['missing Innehall', swap(/<Innehall>[\s\S]*<\/Innehall>/, ''), `${P}/Innehall`, /missing/],
    ['bad personnummer checksum', swap('<Personnummer>195009072553', '<Personnummer>195009072554'), `${P}/Patient/Personnummer`, /kontrollsiffra/],
    ['a personnummer as Samordningsnummer', swap('<Personnummer>195009072553</Personnummer>', '<Samordningsnummer>195009072553</Samordningsnummer>'), `${P}/Patient/Samordningsnummer`, /personnummer, not a samordningsnummer/],
    ['address without postal code', swap(/\s*<Postnummer>41477<\/Postnummer>/, ''), `${P}/Patient/Folkbokforingsadress/Postnummer`, /missing/],
    ['admission notice without address', swap(/\s*<Folkbokforingsadress>[\s\S]*<\/Folkbokforingsadress>/, ''), `${P}/Patient/Folkbokforingsadress`, /law 2:2/],
    ['bad reservnummer', swap('<Personnummer>195009072553</Personnummer>', '<Reservnummer>19480611M076</Reservnummer>'), `${P}/Patient/Reservnummer`, /reservnummer/],
    ['two identifiers', swap('<Personnummer>195009072553</Personnummer>', '<Personnummer>195009072553</Personnummer><Reservnummer>19480611M075</Reservnummer>'), `${P}/Patient`, /exactly one/],
    ['bad date-time', swap('<Skickat>2025-02-28T09:10:00', '<Skickat>2025-02-30T09:10:00'), `${P}/Skickat`, /not a date-time/],
    ['bad date', swap('<BeraknadUtskrivning>2025-03-05', '<BeraknadUtskrivning>2025-13-05'), `${P}/Innehall/BeraknadUtskrivning`, /calendar date/],
    ['unknown message type', swap('<Meddelandetyp>Inskrivningsmeddelande', '<Meddelandetyp>Remissvar'), `${P}/Meddelandetyp`, /unknown message type "Remissvar"/],
    ['unknown element', swap('<Efternamn>', '<Smeknamn>Tolle</Smeknamn><Efternamn>'), `${P}/Patient/Smeknamn`, /unknown element/],
    ['repeated single element', swap('<Efternamn>Tolvansson</Efternamn>', '<Efternamn>A</Efternamn><Efternamn>B</Efternamn>'), `${P}/Patient/Efternamn`, /only once/],
    ['bad HSA-id', swap('<HsaId>SE2120001355-E000000000201</HsaId>', '<HsaId>2120001355-E1</HsaId>'), `${P}/Mottagare[1]/HsaId`, /HSA-id/],
    ['unknown kommunkod', swap('<Folkbokforingskommun>1480', '<Folkbokforingskommun>1479'), `${P}/Patient/Folkbokforingskommun`, /kommunkod/],
    ['wrong sender', swap('<Parttyp>Slutenvard</Parttyp>', '<Parttyp>Socialtjanst</Parttyp>'), `${P}/Avsandare/Parttyp`, /sent by Slutenvard/],
    ['compulsory care in somatic care', swap('<Vardform>Somatisk</Vardform>', '<Vardform>Somatisk</Vardform><Tvangsvard>LPT</Tvangsvard>'), `${P}/Vardtillfalle/Tvangsvard`, /Psykiatrisk/],
    ['unknown version', swap('version="1"', 'version="2"'), `${P}/@version`, /version is 1/],
    ['text among elements', swap('<Patient>', '<Patient>hej'), `${P}/Patient/#text`, /text is not allowed/],
    ['malformed XML', good.slice(0, good.length - 30), P, /not well-formed/],
    ['DOCTYPE with an entity expansion attempt', bomb, P, /DOCTYPE/],
    ['external entity', good.replace('<SamsaMeddelande', '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><SamsaMeddelande'), P, /DOCTYPE/],
    ['wrong root element', '<Meddelande><Id>1</Id></Meddelande>', P, /root element must be <SamsaMeddelande>/],
    ['an element named __proto__', swap('<Efternamn>', '<__proto__><x>1</x></__proto__><Efternamn>'), P, /could not be read/],
    ['deep nesting', swap('<Innehall>', `<Innehall>${'<a>'.repeat(5000)}${'</a>'.repeat(5000)}`), P, /could not be read/],
    ['not XML', '{"MeddelandeId": "1"}', P, /./],
    ['empty', '', P, /./],
    ['5 MB', good.replace('Pneumoni', 'x'.repeat(5 * 1024 * 1024)), P, /larger than/],
  ];
  it.each(cases)('%s', (_n, raw, path, message) => {
    const r = map(raw);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues.map((i) => i.path)).toContain(path);
    expect(r.issues.find((i) => i.path === path)?.message).toMatch(message);
  });

  it('names the message id of a rejected message when it could be read', () => {
    const r = map(swap('<Personnummer>195009072553', '<Personnummer>195009072554'));
    expect(r).toMatchObject({ ok: false, messageId: 'SAMSA-7f3a1c02' });
  });

  it('refuses a content type that is not XML', () => {
    expect(samsaAdapter.map(good, 'application/json')).toMatchObject({ ok: false, issues: [{ path: 'Content-Type' }] });
    expect(samsaAdapter.map(good, 'text/xml; charset=utf-8').ok).toBe(true);
  });

  it('keeps & and < in text through escaping', () => {
    const r = map(swap('Pneumoni och fall i hemmet.', 'Fall &amp; fraktur, Hb &lt; 90 &#8212; åter'));
    expect(r.ok && r.handelser[0]?.kind === 'inskrivningsmeddelande' && r.handelser[0].reason).toBe('Fall & fraktur, Hb < 90 — åter');
    if (!r.ok) return;
    expect(map(samsaAdapter.render(r.handelser).body)).toEqual(r);
  });

  it('never throws, for any string', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (s) => {
        const r = map(s);
        expect(r.ok).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  it('never throws for a fixture with a random piece replaced (and says why when it refuses)', () => {
    fc.assert(
      fc.property(fc.nat(good.length), fc.nat(40), fc.string({ unit: 'binary', maxLength: 30 }), (at, cut, insert) => {
        const r = map(good.slice(0, at) + insert + good.slice(at + cut));
        if (!r.ok) expect(r.issues.length).toBeGreaterThan(0);
      }),
      { numRuns: 400 },
    );
  });
});
