// The SAMSA message contract (docs/mappings/samsa.md): one XML element <SamsaMeddelande version="1">
// per message, in SAMSA's own Swedish vocabulary. A message has a header (id, type, sent, sender,
// recipients), the patient, the stay it concerns, and <Innehall>, whose elements depend on
// <Meddelandetyp>. These schemas check the parsed tree's shape; map.ts checks identifiers and times.
import { z } from 'zod';
import type { CompulsoryCare, ConsentDecision, KvittensKind, PartKind, PlanType, SipStatus } from '../common/handelse.ts';
import { idSchema, textSchema } from './checks.ts';

export const ROOT = 'SamsaMeddelande';
export const VERSION = '1';

const text = textSchema;
/** Names, codes and times. */
const kort = text(200);
/** Free text of a notice. */
const lang = text(20_000);
const id = idSchema;

// ---- vocabulary: SAMSA's words and the model's codes -------------------------------------------------

export const PARTTYP = {
  Slutenvard: 'slutenvard',
  Oppenvard: 'oppenvard',
  Socialtjanst: 'socialtjanst',
  KommunalHSL: 'kommunal-hsl',
  Kommun: 'kommun',
  Region: 'region',
} as const satisfies Record<string, PartKind>;

export const VARDFORM = { Somatisk: 'somatic', Psykiatrisk: 'psychiatric' } as const;

export const TVANGSVARD = {
  LPT: 'lpt',
  LRV: 'lrv',
  OppenLPT: 'oppen-lpt',
  OppenLRV: 'oppen-lrv',
} as const satisfies Record<string, CompulsoryCare>;

export const SKYDDAD_IDENTITET = {
  Sekretessmarkering: 'sekretessmarkering',
  SkyddadFolkbokforing: 'skyddadFolkbokforing',
  Ingen: 'none',
} as const;

export const SAMTYCKE = { Givet: 'given', Nekat: 'refused', KanInteInhamtas: 'cannot-be-obtained' } as const satisfies Record<string, ConsentDecision>;

export const KVITTENSTYP = { Kvittens: 'kvittens', EjKand: 'ej-kand', Avvisning: 'avvisning' } as const satisfies Record<string, KvittensKind>;

export const PLANSTATUS = { Upprattad: 'upprattad', Uppfoljd: 'uppfoljd', Avslutad: 'avslutad' } as const satisfies Record<string, SipStatus>;

export const PLANTYPER = ['SIP', 'SPLPTLRV', 'SPU', 'VP', 'HP', 'RP', 'GP', 'SVP'] as const satisfies readonly PlanType[];

export const MOTESFORM = { Fysiskt: 'FACE', Video: 'VIDEOCONF', Telefon: 'PHONE' } as const;

export const KONTAKTVAG = { Telefon: 'phone', Epost: 'email' } as const;

const keys = <T extends Record<string, unknown>>(o: T) => Object.keys(o) as [keyof T & string, ...(keyof T & string)[]];

// ---- shared parts ----------------------------------------------------------------------------------

export const Part = z.strictObject({
  Parttyp: z.enum(keys(PARTTYP)),
  HsaId: kort.optional(),
  Kommunkod: kort.optional(),
  Namn: kort,
});
export type Part = z.infer<typeof Part>;

// A Swedish folkbokföringsadress always has all three (and the admission notice's profile needs them).
const Adress = z.strictObject({ Adressrad: z.array(kort).min(1), Postnummer: kort, Postort: kort });

export const Patient = z.strictObject({
  // Exactly one of the three (map.ts says which is missing or doubled).
  Personnummer: kort.optional(),
  Samordningsnummer: kort.optional(),
  Reservnummer: kort.optional(),
  Efternamn: kort,
  Fornamn: z.array(kort).min(1),
  Folkbokforingsadress: Adress.optional(),
  Folkbokforingskommun: kort.optional(),
  SkyddadIdentitet: z.enum(keys(SKYDDAD_IDENTITET)).optional(),
});

export const Vardtillfalle = z.strictObject({
  Vardgivare: kort,
  VardtillfalleId: id,
  Arendenummer: id.optional(),
  Inskrivningstid: kort,
  Enhet: z.strictObject({ HsaId: kort, Namn: kort }),
  Vardform: z.enum(keys(VARDFORM)),
  Tvangsvard: z.enum(keys(TVANGSVARD)).optional(),
  PlacerandeKommun: kort.optional(),
});

/** The whole message; Innehall is checked by the schema of its Meddelandetyp (INNEHALL). */
export const SamsaMeddelande = z.strictObject({
  '@version': z.literal(VERSION, `the contract version is ${VERSION}`),
  MeddelandeId: id,
  Meddelandetyp: kort,
  Skickat: kort,
  Avsandare: Part,
  Mottagare: z.array(Part).min(1),
  Patient,
  Vardtillfalle,
  Innehall: z.unknown(),
});
export type SamsaMeddelande = z.infer<typeof SamsaMeddelande>;

// ---- Innehall per message type ------------------------------------------------------------------------

const Tidpunkt = kort.optional();
const Samtycke = z.strictObject({ Beslut: z.enum(keys(SAMTYCKE)), Tidpunkt });

/** The care request's sections (agreements §2 notice 1), in the order they are joined into its text. */
export const VARDBEGARAN_AVSNITT = [
  ['Orsak', 'Orsak'],
  ['VidtagnaAtgarder', 'Vidtagna åtgärder'],
  ['Lakemedelshantering', 'Läkemedelshantering'],
  ['Egenvard', 'Egenvård'],
  ['Funktionsstatus', 'Funktionsstatus'],
  ['Boendeform', 'Boendeform'],
  ['PagaendeInsatser', 'Pågående insatser'],
  ['Kontaktuppgifter', 'Kontaktuppgifter'],
  ['Forsakringsmedicin', 'Försäkringsmedicin'],
] as const;

/** The planning material's sections (notice 7). */
export const PLANERINGSUNDERLAG_AVSNITT = [
  ['EfterfragadeProfessioner', 'Efterfrågade professioner'],
  ['AdlOchKommunikation', 'ADL och kommunikation'],
  ['Hjalpmedel', 'Hjälpmedel'],
  ['PsykiatriskKontakt', 'Pågående psykiatrisk kontakt'],
  ['Narstaende', 'Närstående'],
] as const;

const sections = <const S extends readonly (readonly [string, string])[]>(s: S) =>
  Object.fromEntries(s.map(([k]) => [k, lang.optional()])) as { [K in S[number][0]]: z.ZodOptional<typeof lang> };

const atLeastOne = (fields: readonly string[]) => (v: Record<string, unknown>) => fields.some((f) => v[f] !== undefined);

const vardbegaranFalt = { ...sections(VARDBEGARAN_AVSNITT), Text: lang.optional(), Tidpunkt };
const vardbegaranNamn = [...VARDBEGARAN_AVSNITT.map(([k]) => k), 'Text'];
const Vardbegaran = z.strictObject(vardbegaranFalt).refine(atLeastOne(vardbegaranNamn), 'a care request needs at least one section or Text');
const ForberedVardbegaran = z
  .strictObject({ ...vardbegaranFalt, Samtycke })
  .refine(atLeastOne(vardbegaranNamn), 'a care request needs at least one section or Text');

const Insats = z.strictObject({ Beskrivning: lang, Ansvarig: Part });

export const INNEHALL = {
  /** Prepared care request, sent with the patient's consent. */
  ForberedVardbegaran,
  Vardbegaran,
  Inskrivningsmeddelande: z.strictObject({ BeraknadUtskrivning: kort, Inskrivningsorsak: lang.optional(), Samtycke: Samtycke.optional(), Tidpunkt }),
  Samtycke,
  BeraknadUtskrivning: z.strictObject({ BeraknadUtskrivning: kort, Tidpunkt }),
  Kvittens: z.strictObject({
    Kvittenstyp: z.enum(keys(KVITTENSTYP)),
    Text: lang.optional(),
    /** The SAMSA message answered: its MeddelandeId and its sender's HSA-id (or kommunkod). */
    AvserMeddelande: z.strictObject({ MeddelandeId: id, AvsandareId: kort }).optional(),
    Tidpunkt,
  }),
  FastVardkontakt: z.strictObject({
    Namn: kort,
    Roll: kort,
    Enhet: Part,
    Kontaktvag: z.array(z.strictObject({ Typ: z.enum(keys(KONTAKTVAG)), Varde: kort })).min(1),
    Tidpunkt,
  }),
  /** Invitation with planning material. */
  KallelseSvpl: z
    .strictObject({ ...sections(PLANERINGSUNDERLAG_AVSNITT), Text: lang.optional(), Tidpunkt })
    .refine(atLeastOne([...PLANERINGSUNDERLAG_AVSNITT.map(([k]) => k), 'Text']), 'planning material needs at least one section or Text'),
  Utskrivningsklar: z.strictObject({ Utskrivningsklartid: kort }),
  AterkalladUtskrivningsklar: z.strictObject({ Text: lang.optional(), Tidpunkt }),
  KallelseSip: z.strictObject({ Syfte: lang, Motestid: kort, Motesplats: kort, Motesform: z.enum(keys(MOTESFORM)), Tidpunkt }),
  /** Care plan, as created, edited or adjusted (its status says which stage). */
  Vardplan: z.strictObject({
    PlanId: id,
    Plantyp: z.enum(PLANTYPER),
    Planstatus: z.enum(keys(PLANSTATUS)),
    Insats: z.array(Insats).optional(),
    Uppfoljningsdatum: kort.optional(),
    Tidpunkt,
  }),
  Utskrivningsmeddelande: z.strictObject({ Utskrivningstid: kort }),
  InformationVidUtskrivning: z.strictObject({ Text: lang, Tidpunkt }),
  /** Interruption of the process (reading: readiness withdrawn with the reason; docs/mappings/samsa.md). */
  AvbrytProcess: z.strictObject({ Orsak: lang, Tidpunkt }),
  AdministrativtMeddelande: z.strictObject({ Text: lang, Tidpunkt }),
  /** The sender says an earlier message went to the wrong party (reading: a comment naming it). */
  FelskickatMeddelande: z.strictObject({ AvserMeddelandeId: id, Text: lang.optional(), Tidpunkt }),
} as const;

export type Meddelandetyp = keyof typeof INNEHALL;
export const MEDDELANDETYPER = Object.keys(INNEHALL) as Meddelandetyp[];
export type Innehall<T extends Meddelandetyp> = z.infer<(typeof INNEHALL)[T]>;

/** Elements that repeat, so the parser always gives them as lists (one occurrence is a list of one). */
export const REPEATED = new Set([
  `${ROOT}.Mottagare`,
  `${ROOT}.Patient.Fornamn`,
  `${ROOT}.Patient.Folkbokforingsadress.Adressrad`,
  `${ROOT}.Innehall.Insats`,
  `${ROOT}.Innehall.Kontaktvag`,
]);

/** Texts the mapping composes for message types the model has no kind of their own for. */
export const PREFIX = {
  informationVidUtskrivning: 'Information vid utskrivning: ',
  avbrytProcess: 'Processen avbruten: ',
  felskickat: 'Felskickat meddelande ',
} as const;
