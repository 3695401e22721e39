// The kommun contract (docs/mappings/kommun.md): one JSON object per message from a municipal record
// system (Treserva, Pulsen Combine, Lifecare VoO) back to the inpatient unit, in the systems' Swedish
// vocabulary. Like SAMSA, a message names its patient and stay (the municipal system got both in the
// admission notice it answers); `innehall` depends on `meddelandetyp`.
import { z } from 'zod';
import type { CompulsoryCare, PlanType, SourceId } from '../common/handelse.ts';
import { idText } from '../cosmic-link/json-kontrakt.ts';
import { idSchema, textSchema } from '../samsa/checks.ts';

const text = textSchema;
const kort = text(200);
const lang = text(20_000);
const id = idSchema;

/** The sending systems, and the code that namespaces their message ids in the gateway. */
export const KALLSYSTEM = { Treserva: 'treserva', 'Pulsen Combine': 'pulsen-combine', 'Lifecare VoO': 'lifecare-voo' } as const;
export type Kallsystem = keyof typeof KALLSYSTEM;

/** The coordination systems an admission notice (or another notice a kommun answers) reaches the kommun through. */
export const KANAL = { SAMSA: 'samsa', 'Cosmic Link': 'cosmic-link', 'Lifecare SP': 'lifecare-sp' } as const satisfies Record<string, SourceId>;

export const PARTTYPER = ['slutenvard', 'oppenvard', 'socialtjanst', 'kommunal-hsl', 'kommun', 'region'] as const;
/** Who may send: a municipal unit or the kommun itself. */
export const AVSANDARTYPER = ['socialtjanst', 'kommunal-hsl', 'kommun'] as const;

export const VARDFORM = { somatisk: 'somatic', psykiatrisk: 'psychiatric' } as const;
export const TVANGSVARD = { lpt: 'lpt', lrv: 'lrv', 'oppen-lpt': 'oppen-lpt', 'oppen-lrv': 'oppen-lrv' } as const satisfies Record<string, CompulsoryCare>;
export const SKYDDAD_IDENTITET = { sekretessmarkering: 'sekretessmarkering', skyddadFolkbokforing: 'skyddadFolkbokforing', ingen: 'none' } as const;
export const PLANTYPER = ['SIP', 'SPLPTLRV', 'SPU', 'VP', 'HP', 'RP', 'GP', 'SVP'] as const satisfies readonly PlanType[];
export const SIPSTATUS = ['upprattad', 'uppfoljd', 'avslutad'] as const;

const keys = <T extends Record<string, unknown>>(o: T) => Object.keys(o) as [keyof T & string, ...(keyof T & string)[]];

export const Part = z.strictObject({ typ: z.enum(PARTTYPER), hsaId: kort.optional(), kommunkod: kort.optional(), namn: kort });
export type Part = z.infer<typeof Part>;

export const KommunMeddelande = z.strictObject({
  meddelandeId: id,
  kallsystem: z.enum(keys(KALLSYSTEM)),
  meddelandetyp: kort,
  skickat: kort,
  avsandare: Part,
  mottagare: z.array(Part).min(1),
  patient: z.strictObject({
    // Exactly one of the three (map.ts says which is missing or doubled).
    personnummer: kort.optional(),
    samordningsnummer: kort.optional(),
    reservnummer: kort.optional(),
    efternamn: kort,
    fornamn: z.array(kort).min(1),
    folkbokforingskommun: kort.optional(),
    skyddadIdentitet: z.enum(keys(SKYDDAD_IDENTITET)).optional(),
  }),
  vardtillfalle: z.strictObject({
    vardgivare: kort,
    vardtillfalleId: id,
    inskrivningstid: kort,
    enhet: z.strictObject({ hsaId: kort, namn: kort }),
    vardform: z.enum(keys(VARDFORM)),
    tvangsvard: z.enum(keys(TVANGSVARD)).optional(),
    placerandeKommun: kort.optional(),
    /** The municipal system's own case id for the person's matter. */
    arendeId: id.optional(),
  }),
  innehall: z.unknown(),
});
export type KommunMeddelande = z.infer<typeof KommunMeddelande>;

const tidpunkt = kort.optional();
const svar = z.strictObject({
  text: lang.optional(),
  /** The message answered: the system it came through, its id there and its sender's HSA-id (or kommunkod). */
  avserMeddelande: z.strictObject({ kanal: z.enum(keys(KANAL)), meddelandeId: idText, avsandare: kort }).optional(),
  tidpunkt,
});

/** ADL and current services' sections, in the order they are joined into the care request's text. */
export const ADL_AVSNITT = [
  ['adl', 'ADL'],
  ['insatser', 'Pågående insatser'],
  ['boendeform', 'Boendeform'],
  ['hjalpmedel', 'Hjälpmedel'],
] as const;

export const INNEHALL = {
  /** Acknowledgement of the admission notice. */
  kvittens: svar,
  /** The person is not known to the kommun and has no services. */
  ejKand: svar,
  /** Rejected: the person is not registered (folkbokförd) in this kommun. */
  avvisning: svar,
  /** ADL and current services: the kommun's care request (notice 1). */
  adlOchInsatser: z
    .strictObject({
      adl: lang.optional(),
      insatser: z.array(z.strictObject({ insats: kort, omfattning: kort.optional() })).min(1).optional(),
      boendeform: kort.optional(),
      hjalpmedel: lang.optional(),
      text: lang.optional(),
      tidpunkt,
    })
    .refine((v) => [...ADL_AVSNITT.map(([k]) => k), 'text'].some((k) => v[k as keyof typeof v] !== undefined), 'ADL and services need at least one of adl, insatser, boendeform, hjalpmedel or text'),
  /** The kommun is ready to receive the patient (reading: a comment; docs/mappings/kommun.md). */
  redoAttTaEmot: z.strictObject({ fran: kort.optional(), text: lang.optional(), tidpunkt }),
  /** Free text (notice 13). */
  meddelande: z.strictObject({ text: lang, tidpunkt }),
  /** A decision about the coordinated plan (SIP established, followed up or closed). */
  sipBeslut: z.strictObject({
    planId: id,
    plantyp: z.enum(PLANTYPER),
    status: z.enum(SIPSTATUS),
    insatser: z.array(z.strictObject({ beskrivning: lang, ansvarig: Part })).optional(),
    uppfoljning: kort.optional(),
    tidpunkt,
  }),
} as const;

export type Meddelandetyp = keyof typeof INNEHALL;
export type Innehall<T extends Meddelandetyp> = z.infer<(typeof INNEHALL)[T]>;

export const REDO_PREFIX = 'Redo att ta emot';
