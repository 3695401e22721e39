// The Lifecare SP (Tietoevry, "samordnad planering") contract: one JSON message is one event of the
// discharge process or the SIP of one vårdtillfälle. Field names and codes are Lifecare SP's own
// (Swedish, codes in lower case); docs/mappings/lifecare-sp.md is the vendor's copy. The schema checks
// and normalises field by field; map.ts does what needs more than one field.
import { z } from 'zod';
import type { HandelseKind } from '../common/handelse.ts';
import {
  avsandarnyckel,
  datumEllerTidpunkt,
  fritext,
  hsaId,
  idText,
  kommunkod,
  namn,
  planTyp,
  postnummer,
  riktigKommunkod,
  tidpunkt,
  partSchema,
  vocab,
} from '../cosmic-link/json-kontrakt.ts';

export const AKTOR = vocab({
  slutenvard: 'slutenvard',
  oppenvard: 'oppenvard',
  socialtjanst: 'socialtjanst',
  'kommunal-hsl': 'kommunal-hsl',
  kommun: 'kommun',
  region: 'region',
});
export const ID_TYP = vocab({ personnummer: 'personnummer', samordningsnummer: 'samordningsnummer', reservnummer: 'nationelltReservnummer' });
export const SKYDD = vocab({ sekretessmarkering: 'sekretessmarkering', 'skyddad-folkbokforing': 'skyddadFolkbokforing', ingen: 'none' });
export const VARDTYP = vocab({ somatisk: 'somatic', psykiatrisk: 'psychiatric' });
/** ÖPT/ÖRV (öppen psykiatrisk tvångsvård, öppen rättspsykiatrisk vård) written without the Ö. */
export const TVANGSVARD = vocab({ LPT: 'lpt', LRV: 'lrv', OPT: 'oppen-lpt', ORV: 'oppen-lrv' });
export const VISAM = vocab({ gron: 'green', gul: 'yellow', rod: 'red' });
export const SAMTYCKE = vocab({ ja: 'given', nej: 'refused', 'kan-ej-inhamtas': 'cannot-be-obtained' });
export const SVAR = vocab({ mottaget: 'kvittens', 'ej-kand': 'ej-kand', avvisat: 'avvisning' });
export const KONTAKTTYP = vocab({ telefon: 'phone', 'e-post': 'email' });
export const MOTESFORM = vocab({ fysiskt: 'FACE', video: 'VIDEOCONF', telefon: 'PHONE' });
export const PLANSTATUS = vocab({ upprattad: 'upprattad', uppfoljd: 'uppfoljd', avslutad: 'avslutad' });

/** Lifecare SP's message types and the model's kinds: every notice kind of agreements.md §2. */
export const MEDDELANDETYP = {
  vardbegaran: 'vardbegaran',
  inskrivningsmeddelande: 'inskrivningsmeddelande',
  samtycke: 'samtycke',
  'beraknad-utskrivning': 'beraknad-utskrivning',
  kvittens: 'kvittens',
  'fast-vardkontakt': 'fast-vardkontakt',
  'kallelse-planering': 'kallelse-svpl',
  utskrivningsklar: 'utskrivningsklar',
  'aterkallad-utskrivningsklar': 'aterkallad-utskrivningsklar',
  'kallelse-sip': 'kallelse-sip',
  utskrivningsmeddelande: 'utskrivningsmeddelande',
  'sip-status': 'sip-status',
  meddelande: 'kommentar',
} as const satisfies Record<string, HandelseKind>;
export type Meddelandetyp = keyof typeof MEDDELANDETYP;

/** A party (aktör): a unit or organisation by HSA-id, a kommun as a whole by its kommunkod. */
export const aktorSchema = partSchema('aktor', AKTOR);

export const personSchema = z.strictObject({
  idTyp: ID_TYP.schema,
  /** Checked against idTyp in map.ts, where the date the message was created is known. */
  id: z.string().max(20),
  fornamn: z.array(namn).max(10).default([]),
  efternamn: namn,
  adress: z
    .strictObject({ utdelningsadress: z.array(fritext(200)).min(1).max(5), postnummer: postnummer.optional(), postort: namn.optional() })
    .optional(),
  kommunkod: kommunkod.optional(),
  skydd: SKYDD.schema.optional(),
});

export const vardtillfalleSchema = z.strictObject({
  /** HSA-id of the vårdgivare (region) whose record system issued vardtillfalleId. */
  vardgivareHsaId: hsaId,
  vardtillfalleId: idText,
  inskrivningstid: tidpunkt,
  /** The inpatient ward: always slutenvård, so it has no aktor. */
  avdelning: z.strictObject({ hsaId, namn }),
  vardtyp: VARDTYP.schema,
  tvangsvard: TVANGSVARD.schema.optional(),
  visam: VISAM.schema.optional(),
  placerandeKommun: riktigKommunkod.optional(),
  /** Lifecare SP's own planning case number, when the process has one. */
  planeringsnummer: idText.optional(),
});

const kontaktSchema = z.strictObject({ typ: KONTAKTTYP.schema, varde: fritext(200) });
const atgardSchema = z.strictObject({ beskrivning: fritext(2000), ansvarig: aktorSchema });

/** Every message: who, when, which stay, which person; `innehall` depends on `typ`. */
const kuvert = {
  id: idText,
  skapad: tidpunkt,
  /** When the event took effect: the readiness time, the time the patient left, else usually `skapad`. */
  handelsetid: tidpunkt,
  fran: aktorSchema,
  till: z.array(aktorSchema).min(1).max(50),
  vardtillfalle: vardtillfalleSchema,
  person: personSchema,
};

const msg = <T extends Meddelandetyp, S extends z.core.$ZodLooseShape>(typ: T, innehall: S) =>
  z.strictObject({ typ: z.literal(typ), ...kuvert, innehall: z.strictObject(innehall) });

export const meddelandeSchema = z.discriminatedUnion('typ', [
  msg('vardbegaran', { fritext: fritext() }),
  msg('inskrivningsmeddelande', { beraknadUtskrivning: datumEllerTidpunkt, inskrivningsorsak: fritext(2000).optional() }),
  msg('samtycke', { samtycke: SAMTYCKE.schema }),
  msg('beraknad-utskrivning', { beraknadUtskrivning: datumEllerTidpunkt }),
  msg('kvittens', {
    svar: SVAR.schema,
    fritext: fritext().optional(),
    /** The message answered (sent through Lifecare SP): its id and its sender (`fran`) as HSA-id or kommunkod. */
    svarPa: z.strictObject({ id: idText, fran: avsandarnyckel }).optional(),
  }),
  msg('fast-vardkontakt', { namn, yrkesroll: namn, enhet: aktorSchema, kontakt: z.array(kontaktSchema).min(1).max(10) }),
  msg('kallelse-planering', { fritext: fritext() }),
  msg('utskrivningsklar', {}),
  msg('aterkallad-utskrivningsklar', { orsak: fritext().optional() }),
  msg('kallelse-sip', { syfte: fritext(), motestid: tidpunkt, motesplats: fritext(500), motesform: MOTESFORM.schema }),
  msg('utskrivningsmeddelande', {}),
  msg('sip-status', {
    planId: idText,
    plantyp: planTyp,
    status: PLANSTATUS.schema,
    atgarder: z.array(atgardSchema).max(100).default([]),
    uppfoljningsdatum: datumEllerTidpunkt.optional(),
  }),
  msg('meddelande', { fritext: fritext() }),
]);

/** A Lifecare SP message as the vendor sends it. */
export type LifecareSpMeddelande = z.input<typeof meddelandeSchema>;
/** The same, checked and normalised. */
export type CheckedMeddelande = z.output<typeof meddelandeSchema>;
