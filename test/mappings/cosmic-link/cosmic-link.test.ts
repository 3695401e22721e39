// The Cosmic Link adapter: fixture episodes to expected Bundles, round trip, FHIR validity, bad input.
import { describe, expect, it } from 'vitest';
import type { Handelse } from '../../../src/mappings/common/handelse.ts';
import { cosmicLinkAdapter } from '../../../src/mappings/cosmic-link/index.ts';
import { MAX_MESSAGE_CHARS } from '../../../src/mappings/cosmic-link/json-kontrakt.ts';
import { describeBadInput, describeEpisodes, loadEpisodes, mapOk } from './harness.ts';

const adapter = cosmicLinkAdapter;
const episodes = loadEpisodes('cosmic-link');
const episode = (name: string) => episodes.find((e) => e.name === name)!;
/** A complete admission notice (inskrivningsmeddelande) to break. */
const base = episode('somatisk-hoftfraktur').meddelanden[1]!;

type M = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- mutations reach anywhere in a message

describe('cosmic-link adapter', () => {
  it('declares its id, media type and every notice kind of agreements.md §2', () => {
    expect(adapter.id).toBe('cosmic-link');
    expect(adapter.contentTypes).toEqual(['application/json']);
    expect(adapter.kinds).toHaveLength(13);
    expect(adapter.kinds.some((k) => k.startsWith('adt-'))).toBe(false);
  });

  describeEpisodes(adapter);

  describe('mapping rules', () => {
    it('normalises a 10-digit personnummer to 12 digits, its century from the date the message was sent', () => {
      const [h] = mapOk(adapter, episode('skyddad-identitet').meddelanden[0]);
      expect(h!.patient.identifier).toEqual({ kind: 'personnummer', value: '200001252386' });
      expect(h!.patient.skyddadIdentitet).toBe('sekretessmarkering');
    });

    it('gives times without an offset their Stockholm offset, keeping the time of day across the DST change', () => {
      const ms = episode('sommartid').meddelanden;
      const klar = mapOk(adapter, ms[2])[0]!;
      const ut = mapOk(adapter, ms[3])[0]!;
      expect(klar.occurredAt).toBe('2025-03-29T14:00:00+01:00');
      expect(ut.occurredAt).toBe('2025-03-31T10:00:00+02:00');
      const ins = mapOk(adapter, ms[0])[0]!;
      expect(ins.kind === 'inskrivningsmeddelande' && ins.estimatedDischarge).toBe('2025-03-31T10:00:00+02:00');
    });

    it('an offset given in another zone becomes the same instant in Stockholm time', () => {
      const m = structuredClone(base) as M;
      m.skickad = '2025-02-28T08:10:00Z';
      expect(mapOk(adapter, m)[0]!.sentAt).toBe('2025-02-28T09:10:00+01:00');
    });

    it('keeps an estimated discharge given as a date as a date', () => {
      const h = mapOk(adapter, base)[0]!;
      expect(h.kind === 'inskrivningsmeddelande' && h.estimatedDischarge).toBe('2025-03-05');
    });

    it('two händelser in one message share its id and are numbered', () => {
      const hs = mapOk(adapter, episode('somatisk-hoftfraktur').meddelanden[10]);
      expect(hs.map((h) => [h.kind, h.seq, h.messageId])).toEqual([
        ['utskrivningsmeddelande', 0, 'CL-142-11'],
        ['kommentar', 1, 'CL-142-11'],
      ]);
    });

    it('a kommun is named by its kommunkod, the case id becomes the stay sourceCaseId', () => {
      const h = mapOk(adapter, base)[0]!;
      expect(h.recipients[0]).toEqual({ kind: 'kommun', kommunkod: '0680', name: 'Jönköpings kommun' });
      expect(h.stay.sourceCaseId).toBe('SA-0680-2025-000142');
      expect(h.stay.unit.kind).toBe('slutenvard');
    });

    it('accepts a nationellt reservnummer', () => {
      const m = structuredClone(base) as M;
      m.patient.id = { typ: 'NATIONELLT_RESERVNUMMER', varde: '20210325k069' };
      expect(mapOk(adapter, m)[0]!.patient.identifier).toEqual({ kind: 'nationelltReservnummer', value: '20210325K069' });
    });

    it('render refuses what the contract cannot say', () => {
      const h = mapOk(adapter, base)[0]!;
      expect(() => adapter.render([{ ...h, kind: 'adt-inskrivning' } as Handelse])).toThrow(/does not carry adt-inskrivning/);
      expect(() => adapter.render([{ ...h, stay: { ...h.stay, sourceCaseId: undefined } }])).toThrow(/samordningsärende/);
      expect(() => adapter.render([h, { ...h, seq: 1, sentAt: '2025-03-01T10:00:00+01:00' }])).toThrow(/share sentAt/);
      expect(() => adapter.render([])).toThrow();
    });
  });

  describe('bad input', () => {
    describeBadInput(adapter, base, (m) => m.meddelandeId, [
      { name: 'invalid JSON', message: '{"meddelandeId": "x",', path: '$', phrase: 'not valid JSON' },
      { name: 'an array', message: '[1, 2]', path: '$', phrase: 'an array' },
      { name: 'a string', message: '"UTSKRIVNINGSKLAR"', path: '$', phrase: 'JSON object' },
      { name: 'null', message: 'null', path: '$' },
      { name: 'an empty body', message: '', path: '$' },
      { name: 'a 5 MB string', message: (m: M) => (m.handelser[0].orsak = 'x'.repeat(5_000_000)), path: '$', phrase: String(MAX_MESSAGE_CHARS), idUnread: true },
      { name: 'a missing family name', message: (m: M) => delete m.patient.efternamn, path: 'patient.efternamn' },
      { name: 'a missing message id', message: (m: M) => delete m.meddelandeId, path: 'meddelandeId' },
      { name: 'no händelser', message: (m: M) => (m.handelser = []), path: 'handelser' },
      { name: 'no recipients', message: (m: M) => (m.mottagare = []), path: 'mottagare' },
      { name: 'a personnummer with a wrong check digit', message: (m: M) => (m.patient.id.varde = '195009072554'), path: 'patient.id.varde', phrase: 'check digit' },
      { name: 'a personnummer sent as a samordningsnummer', message: (m: M) => (m.patient.id.typ = 'SAMORDNINGSNUMMER'), path: 'patient.id.varde', phrase: 'not a samordningsnummer' },
      { name: 'an unknown identifier type', message: (m: M) => (m.patient.id.typ = 'PNR'), path: 'patient.id.typ' },
      { name: 'an impossible date', message: (m: M) => (m.skickad = '2025-02-30T10:00'), path: 'skickad', phrase: 'not a date-time' },
      { name: 'a date where a date-time is required', message: (m: M) => (m.handelser[0].tidpunkt = '2025-02-28'), path: 'handelser[0].tidpunkt' },
      { name: 'a bad estimated discharge', message: (m: M) => (m.handelser[0].beraknadUtskrivning = 'nästa vecka'), path: 'handelser[0].beraknadUtskrivning' },
      { name: 'an unknown event type', message: (m: M) => (m.handelser[0].typ = 'UTSKRIVEN'), path: 'handelser[0].typ' },
      { name: 'a lower-case event type (the wrong vocabulary)', message: (m: M) => (m.handelser[0].typ = 'inskrivningsmeddelande'), path: 'handelser[0].typ' },
      { name: 'a model code instead of Cosmic Link’s', message: (m: M) => (m.samordningsarende.vardform = 'somatic'), path: 'samordningsarende.vardform' },
      { name: 'a field of another event type', message: (m: M) => (m.handelser[0].beslut = 'GIVET'), path: 'handelser[0].beslut', phrase: 'unknown field' },
      { name: 'a __proto__ key', message: { text: (m: M) => JSON.stringify(m).replace('{', '{"__proto__":{"admin":true},') }, path: '__proto__', phrase: 'unknown field' },
      { name: 'a constructor key in the patient', message: { text: (m: M) => JSON.stringify(m).replace('"patient":{', '"patient":{"constructor":{"prototype":{}},') }, path: 'patient.constructor' },
      { name: 'a bad HSA-id', message: (m: M) => (m.avsandare.hsaId = 'SE232100-0057'), path: 'avsandare.hsaId', phrase: 'HSA-id' },
      { name: 'a unit without its HSA-id', message: (m: M) => delete m.mottagare[1].hsaId, path: 'mottagare[1].hsaId' },
      { name: 'a kommun without its kommunkod', message: (m: M) => delete m.mottagare[0].kommunkod, path: 'mottagare[0].kommunkod' },
      { name: 'an unknown kommunkod', message: (m: M) => (m.patient.folkbokforingskommun = '0699'), path: 'patient.folkbokforingskommun' },
      { name: 'a kommunkod on a unit', message: (m: M) => (m.avsandare.kommunkod = '0680'), path: 'avsandare.kommunkod' },
      { name: 'compulsory care in somatic care', message: (m: M) => (m.samordningsarende.tvangsvard = 'LPT'), path: 'samordningsarende.tvangsvard' },
      { name: 'an admission notice without the address', message: (m: M) => delete m.patient.folkbokforingsadress, path: 'patient.folkbokforingsadress', phrase: 'law 2:2' },
      { name: 'an admission notice without the postnummer', message: (m: M) => delete m.patient.folkbokforingsadress.postnummer, path: 'patient.folkbokforingsadress.postnummer' },
      { name: 'a blank free text', message: (m: M) => (m.handelser[0].orsak = '   '), path: 'handelser[0].orsak' },
      { name: 'a number where text is expected', message: (m: M) => (m.patient.efternamn = 42), path: 'patient.efternamn' },
      {
        name: 'a value nested 100 000 deep',
        message: { text: (m: M) => JSON.stringify(m).replace('"fornamn":["Tolvan"]', `"fornamn":[${'['.repeat(100_000)}${']'.repeat(100_000)}]`) },
        path: 'patient.fornamn[0]',
      },
    ]);
  });
});
