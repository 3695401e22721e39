// The Lifecare SP adapter: fixture episodes to expected Bundles, round trip, FHIR validity, bad input,
// and the same facts through Cosmic Link giving the same Encounter.
import { describe, expect, it } from 'vitest';
import type { Encounter, Patient } from '@medplum/fhirtypes';
import { cosmicLinkAdapter } from '../../../src/mappings/cosmic-link/index.ts';
import { MAX_MESSAGE_CHARS } from '../../../src/mappings/cosmic-link/json-kontrakt.ts';
import { IDENTIFIER_SYSTEM } from '../../../src/mappings/common/keys.ts';
import { lifecareSpAdapter } from '../../../src/mappings/lifecare-sp/index.ts';
import { describeBadInput, describeEpisodes, episodeBundles, loadEpisodes, mapOk, resourceOf } from '../cosmic-link/harness.ts';

const adapter = lifecareSpAdapter;
const episodes = loadEpisodes('lifecare-sp');
const episode = (name: string) => episodes.find((e) => e.name === name)!;
/** A complete admission notice (inskrivningsmeddelande) to break. */
const base = episode('somatisk-geriatrik').meddelanden[1]!;

type M = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- mutations reach anywhere in a message

describe('lifecare-sp adapter', () => {
  it('declares its id, media type and every notice kind of agreements.md §2', () => {
    expect(adapter.id).toBe('lifecare-sp');
    expect(adapter.contentTypes).toEqual(['application/json']);
    expect(adapter.kinds).toHaveLength(13);
    expect(new Set(adapter.kinds)).toEqual(new Set(cosmicLinkAdapter.kinds));
  });

  describeEpisodes(adapter);

  describe('mapping rules', () => {
    it('normalises YYYYMMDD-NNNC to 12 digits and keeps skyddad folkbokföring', () => {
      const [h] = mapOk(adapter, episode('skyddad-folkbokforing').meddelanden[0]);
      expect(h!.patient.identifier).toEqual({ kind: 'personnummer', value: '189602029812' });
      expect(h!.patient.skyddadIdentitet).toBe('skyddadFolkbokforing');
    });

    it('keeps the time of day across the autumn DST change', () => {
      const ms = episode('vintertid').meddelanden;
      expect(mapOk(adapter, ms[2])[0]!.occurredAt).toBe('2025-10-24T15:30:00+02:00');
      expect(mapOk(adapter, ms[4])[0]!.occurredAt).toBe('2025-10-27T09:00:00+01:00');
    });

    it('maps ÖPT (written OPT) to open compulsory psychiatric care', () => {
      const m = structuredClone(episode('psykiatri-lpt').meddelanden[0]!) as M;
      m.vardtillfalle.tvangsvard = 'OPT';
      expect(mapOk(adapter, m)[0]!.stay.compulsoryCare).toBe('oppen-lpt');
    });

    it('a stay without a planeringsnummer has no source case id', () => {
      expect(mapOk(adapter, episode('psykiatri-lpt').meddelanden[0])[0]!.stay.sourceCaseId).toBeUndefined();
      expect(mapOk(adapter, base)[0]!.stay.sourceCaseId).toBe('SP-2025-0180-11873');
    });

    it('render refuses two händelser (one message is one event) and kinds it does not carry', () => {
      const h = mapOk(adapter, base)[0]!;
      expect(() => adapter.render([h, { ...h, seq: 1 }])).toThrow(/one händelse/);
      expect(() => adapter.render([{ ...h, kind: 'adt-utskrivning' }])).toThrow(/does not carry adt-utskrivning/);
    });

    it('renders a Cosmic Link message of two händelser as two Lifecare SP messages with the same facts', () => {
      const [ut, kommentar] = mapOk(cosmicLinkAdapter, loadEpisodes('cosmic-link').find((e) => e.name === 'somatisk-hoftfraktur')!.meddelanden[10]);
      for (const h of [ut!, kommentar!]) {
        const one = { ...h, source: 'lifecare-sp' as const, messageId: `${h.messageId}-${h.seq}`, seq: 0 };
        expect(mapOk(adapter, adapter.render([one]).body)).toEqual([one]);
      }
    });
  });

  describe('the same facts through Cosmic Link and Lifecare SP', () => {
    const final = (a: typeof adapter, name: string) => {
      const e = loadEpisodes(a.id).find((x) => x.name === name)!;
      return episodeBundles(a, e).at(-1)!;
    };
    const cosmic = final(cosmicLinkAdapter, 'sommartid');
    const lifecare = final(adapter, 'sommartid');

    it('give the same Encounter, but for the identifiers of the source cases', () => {
      const strip = (e: Encounter) => ({ ...e, identifier: e.identifier?.filter((i) => !i.system?.startsWith(IDENTIFIER_SYSTEM.arende('cosmic-link').replace('cosmic-link', ''))) });
      const c = resourceOf<Encounter>(cosmic, 'Encounter')!;
      const l = resourceOf<Encounter>(lifecare, 'Encounter')!;
      expect(c.identifier).toContainEqual({ system: IDENTIFIER_SYSTEM.arende('cosmic-link'), value: 'SA-0682-2025-000019' });
      expect(l.identifier).toContainEqual({ system: IDENTIFIER_SYSTEM.arende('lifecare-sp'), value: 'SP-2025-0682-00019' });
      expect(strip(l)).toEqual(strip(c));
      expect(c.status).toBe('finished');
      expect(c.period).toEqual({ start: '2025-03-25T18:30:00+01:00', end: '2025-03-31T10:00:00+02:00' });
    });

    it('give the same Patient and the same stay key', () => {
      expect(resourceOf<Patient>(lifecare, 'Patient')).toEqual(resourceOf<Patient>(cosmic, 'Patient'));
      const url = (b: typeof cosmic) => b.entry?.find((e) => e.resource?.resourceType === 'Encounter')?.request?.url;
      expect(url(lifecare)).toBe(url(cosmic));
    });
  });

  describe('bad input', () => {
    describeBadInput(adapter, base, (m) => m.id, [
      { name: 'invalid JSON', message: '{"id": ', path: '$', phrase: 'not valid JSON' },
      { name: 'an array', message: '[]', path: '$', phrase: 'an array' },
      { name: 'a number', message: '42', path: '$', phrase: 'JSON object' },
      { name: 'an empty body', message: '', path: '$' },
      { name: 'a 5 MB string', message: (m: M) => (m.innehall.inskrivningsorsak = 'x'.repeat(5_000_000)), path: '$', phrase: String(MAX_MESSAGE_CHARS), idUnread: true },
      { name: 'a missing family name', message: (m: M) => delete m.person.efternamn, path: 'person.efternamn' },
      { name: 'a missing handelsetid', message: (m: M) => delete m.handelsetid, path: 'handelsetid' },
      { name: 'a missing innehall', message: (m: M) => delete m.innehall, path: 'innehall' },
      { name: 'no recipients', message: (m: M) => (m.till = []), path: 'till' },
      { name: 'a personnummer with a wrong check digit', message: (m: M) => (m.person.id = '19500907-2554'), path: 'person.id', phrase: 'check digit' },
      { name: 'a samordningsnummer type for a personnummer', message: (m: M) => (m.person.idTyp = 'samordningsnummer'), path: 'person.id', phrase: 'not a samordningsnummer' },
      { name: 'a bad reservnummer', message: (m: M) => Object.assign(m.person, { idTyp: 'reservnummer', id: '20210325K068' }), path: 'person.id', phrase: 'reservnummer' },
      { name: 'an impossible date', message: (m: M) => (m.skapad = '2025-01-32T08:55'), path: 'skapad', phrase: 'not a date-time' },
      { name: 'a time of 24:00', message: (m: M) => (m.handelsetid = '2025-01-14T24:00'), path: 'handelsetid' },
      { name: 'a bad admission time', message: (m: M) => (m.vardtillfalle.inskrivningstid = '13/01/2025 16:45'), path: 'vardtillfalle.inskrivningstid' },
      { name: 'a bad estimated discharge', message: (m: M) => (m.innehall.beraknadUtskrivning = '2025-02-29'), path: 'innehall.beraknadUtskrivning' },
      { name: 'an unknown message type', message: (m: M) => (m.typ = 'inskrivning'), path: 'typ' },
      { name: 'Cosmic Link’s vocabulary', message: (m: M) => (m.typ = 'INSKRIVNINGSMEDDELANDE'), path: 'typ' },
      { name: 'a Cosmic Link code for the care type', message: (m: M) => (m.vardtillfalle.vardtyp = 'SOMATIK'), path: 'vardtillfalle.vardtyp' },
      { name: 'content of another message type', message: (m: M) => (m.innehall = { samtycke: 'ja' }), path: 'innehall.samtycke', phrase: 'unknown field' },
      { name: 'a __proto__ key', message: { text: (m: M) => JSON.stringify(m).replace('{', '{"__proto__":{"polluted":1},') }, path: '__proto__', phrase: 'unknown field' },
      { name: 'a __proto__ key in the content', message: { text: (m: M) => JSON.stringify(m).replace('"innehall":{', '"innehall":{"__proto__":null,') }, path: 'innehall.__proto__' },
      { name: 'a bad HSA-id', message: (m: M) => (m.fran.hsaId = 'SE2321000016'), path: 'fran.hsaId', phrase: 'HSA-id' },
      { name: 'an HSA-id longer than 31 characters', message: (m: M) => (m.vardtillfalle.avdelning.hsaId = 'SE2321000016-E0000000052010000000'), path: 'vardtillfalle.avdelning.hsaId' },
      { name: 'a unit without its HSA-id', message: (m: M) => delete m.till[3].hsaId, path: 'till[3].hsaId' },
      { name: 'a kommun without its kommunkod', message: (m: M) => delete m.till[0].kommunkod, path: 'till[0].kommunkod' },
      { name: 'a placing kommun that is not a kommun', message: (m: M) => (m.vardtillfalle.placerandeKommun = '9901'), path: 'vardtillfalle.placerandeKommun' },
      { name: 'compulsory care in somatic care', message: (m: M) => (m.vardtillfalle.tvangsvard = 'LRV'), path: 'vardtillfalle.tvangsvard' },
      { name: 'an admission notice without the address', message: (m: M) => delete m.person.adress, path: 'person.adress', phrase: 'law 2:2' },
      { name: 'an admission notice without the postort', message: (m: M) => delete m.person.adress.postort, path: 'person.adress.postort', phrase: 'law 2:2' },
      { name: 'a bad postnummer', message: (m: M) => (m.person.adress.postnummer = '1186'), path: 'person.adress.postnummer' },
      { name: 'a message id with a space', message: (m: M) => (m.id = 'LSP 1'), path: 'id', idUnread: true },
      {
        name: 'a value nested 100 000 deep',
        message: { text: (m: M) => JSON.stringify(m).replace('"fornamn":["Tolvan"]', `"fornamn":${'['.repeat(100_000)}${']'.repeat(100_000)}`) },
        path: 'person.fornamn[0]',
      },
    ]);
  });
});
