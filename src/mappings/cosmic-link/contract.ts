// The Cosmic Link (Cambio) contract: one JSON message holds one or more händelser of one
// samordningsärende (coordination case), sent by one party to the others. Field names and codes are
// Cosmic Link's own (Swedish, codes in upper case); docs/mappings/cosmic-link.md is the vendor's copy.
// The schema checks shape, codes, identifiers and times field by field and normalises them (HSA-ids
// trimmed, times as Stockholm instants); map.ts does what needs more than one field.
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
  partSchema as partSchemaOf,
  vocab,
} from './json-kontrakt.ts';

export const PART_TYP = vocab({
  SLUTENVARD: 'slutenvard',
  OPPENVARD: 'oppenvard',
  SOCIALTJANST: 'socialtjanst',
  KOMMUNAL_HSL: 'kommunal-hsl',
  KOMMUN: 'kommun',
  REGION: 'region',
});
export const ID_TYP = vocab({ PERSONNUMMER: 'personnummer', SAMORDNINGSNUMMER: 'samordningsnummer', NATIONELLT_RESERVNUMMER: 'nationelltReservnummer' });
export const SKYDDAD_IDENTITET = vocab({ SEKRETESSMARKERING: 'sekretessmarkering', SKYDDAD_FOLKBOKFORING: 'skyddadFolkbokforing', INGEN: 'none' });
export const VARDFORM = vocab({ SOMATIK: 'somatic', PSYKIATRI: 'psychiatric' });
export const TVANGSVARD = vocab({ LPT: 'lpt', LRV: 'lrv', OPPEN_LPT: 'oppen-lpt', OPPEN_LRV: 'oppen-lrv' });
export const VISAM_SPAR = vocab({ GRON: 'green', GUL: 'yellow', ROD: 'red' });
export const SAMTYCKE_BESLUT = vocab({ GIVET: 'given', NEKAT: 'refused', KAN_EJ_INHAMTAS: 'cannot-be-obtained' });
export const KVITTENS_TYP = vocab({ KVITTERAD: 'kvittens', EJ_KAND: 'ej-kand', AVVISAD: 'avvisning' });
export const KONTAKTVAG = vocab({ TELEFON: 'phone', EPOST: 'email' });
export const MOTESFORM = vocab({ FYSISKT: 'FACE', VIDEO: 'VIDEOCONF', TELEFON: 'PHONE' });
export const PLAN_STATUS = vocab({ UPPRATTAD: 'upprattad', UPPFOLJD: 'uppfoljd', AVSLUTAD: 'avslutad' });

/** Cosmic Link's event types (händelsetyp) and the model's kinds: every notice kind of agreements.md §2. */
export const HANDELSE_TYP = {
  VARDBEGARAN: 'vardbegaran',
  INSKRIVNINGSMEDDELANDE: 'inskrivningsmeddelande',
  SAMTYCKE: 'samtycke',
  BERAKNAD_UTSKRIVNING: 'beraknad-utskrivning',
  KVITTENS: 'kvittens',
  FAST_VARDKONTAKT: 'fast-vardkontakt',
  KALLELSE_SVPL: 'kallelse-svpl',
  UTSKRIVNINGSKLAR: 'utskrivningsklar',
  ATERKALLAD_UTSKRIVNINGSKLAR: 'aterkallad-utskrivningsklar',
  KALLELSE_SIP: 'kallelse-sip',
  UTSKRIVNINGSMEDDELANDE: 'utskrivningsmeddelande',
  SIP_STATUS: 'sip-status',
  KOMMENTAR: 'kommentar',
} as const satisfies Record<string, HandelseKind>;
export type HandelseTyp = keyof typeof HANDELSE_TYP;

/** A party (part): a unit or organisation by HSA-id, a kommun as a whole by its kommunkod. */
export const partSchema = partSchemaOf('partTyp', PART_TYP);

const adressSchema = z.strictObject({
  adressrader: z.array(fritext(200)).min(1).max(5),
  postnummer: postnummer.optional(),
  postort: namn.optional(),
});

export const patientSchema = z.strictObject({
  /** Checked against its type in map.ts, where the date the message was sent is known. */
  id: z.strictObject({ typ: ID_TYP.schema, varde: z.string().max(20) }),
  efternamn: namn,
  fornamn: z.array(namn).max(10).default([]),
  folkbokforingsadress: adressSchema.optional(),
  folkbokforingskommun: kommunkod.optional(),
  skyddadIdentitet: SKYDDAD_IDENTITET.schema.optional(),
});

export const arendeSchema = z.strictObject({
  /** The samordningsärende's id in Cosmic Link. */
  arendeId: idText,
  /** HSA-id of the vårdgivare (the region) whose record system issued vardkontaktId. */
  vardgivare: hsaId,
  /** The inpatient stay (vårdkontakt) in the hospital's record system. */
  vardkontaktId: idText,
  inskrivningstid: tidpunkt,
  /** The inpatient unit: always slutenvård, so it has no partTyp. */
  vardenhet: z.strictObject({ hsaId, namn }),
  vardform: VARDFORM.schema,
  tvangsvard: TVANGSVARD.schema.optional(),
  visamSpar: VISAM_SPAR.schema.optional(),
  placerandeKommun: riktigKommunkod.optional(),
});

const kontaktvagSchema = z.strictObject({ typ: KONTAKTVAG.schema, varde: fritext(200) });
const insatsSchema = z.strictObject({ beskrivning: fritext(2000), ansvarig: partSchema });

const ev = <T extends HandelseTyp, S extends z.core.$ZodLooseShape>(typ: T, shape: S) =>
  z.strictObject({ typ: z.literal(typ), tidpunkt, ...shape });

export const handelseSchema = z.discriminatedUnion('typ', [
  ev('VARDBEGARAN', { text: fritext() }),
  ev('INSKRIVNINGSMEDDELANDE', { beraknadUtskrivning: datumEllerTidpunkt, orsak: fritext(2000).optional() }),
  ev('SAMTYCKE', { beslut: SAMTYCKE_BESLUT.schema }),
  ev('BERAKNAD_UTSKRIVNING', { beraknadUtskrivning: datumEllerTidpunkt }),
  ev('KVITTENS', {
    kvittenstyp: KVITTENS_TYP.schema,
    text: fritext().optional(),
    /** The message answered (sent through Cosmic Link): its id and its sender's HSA-id or kommunkod. */
    avserMeddelande: z.strictObject({ meddelandeId: idText, avsandare: avsandarnyckel }).optional(),
  }),
  ev('FAST_VARDKONTAKT', {
    vardkontakt: z.strictObject({ namn, roll: namn, enhet: partSchema, kontaktvagar: z.array(kontaktvagSchema).min(1).max(10) }),
  }),
  ev('KALLELSE_SVPL', { text: fritext() }),
  ev('UTSKRIVNINGSKLAR', {}),
  ev('ATERKALLAD_UTSKRIVNINGSKLAR', { text: fritext().optional() }),
  ev('KALLELSE_SIP', { syfte: fritext(), mote: z.strictObject({ tid: tidpunkt, plats: fritext(500), form: MOTESFORM.schema }) }),
  ev('UTSKRIVNINGSMEDDELANDE', {}),
  ev('SIP_STATUS', {
    plan: z.strictObject({
      planId: idText,
      planTyp: planTyp,
      status: PLAN_STATUS.schema,
      insatser: z.array(insatsSchema).max(100).default([]),
      uppfoljning: datumEllerTidpunkt.optional(),
    }),
  }),
  ev('KOMMENTAR', { text: fritext() }),
]);

export const meddelandeSchema = z.strictObject({
  /** Unique per message in Cosmic Link: the idempotency key. */
  meddelandeId: idText,
  skickad: tidpunkt,
  samordningsarende: arendeSchema,
  patient: patientSchema,
  avsandare: partSchema,
  mottagare: z.array(partSchema).min(1).max(50),
  handelser: z.array(handelseSchema).min(1).max(20),
});

/** A Cosmic Link message as the vendor sends it. */
export type CosmicLinkMeddelande = z.input<typeof meddelandeSchema>;
export type CosmicLinkHandelse = z.input<typeof handelseSchema>;
/** The same, checked and normalised. */
export type CheckedMeddelande = z.output<typeof meddelandeSchema>;
export type CheckedHandelse = z.output<typeof handelseSchema>;
