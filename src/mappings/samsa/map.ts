// SAMSA XML → händelser. Pure and total: every input, however broken or hostile, gives a MappingResult;
// problems are issues named by their XML path (SamsaMeddelande/Patient/Personnummer). The XML is read
// without a DOCTYPE (so no entity can be declared, let alone expanded), with every value kept a string
// (a personnummer keeps its leading zeros), then checked by the contract's zod schemas and field checks.
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { MappingIssue, MappingResult } from '../common/adapter.ts';
import type { Detalj, Handelse, Part, PatientIdentifierKind, PatientUppgifter, VardtillfalleUppgifter } from '../common/handelse.ts';
import * as check from './checks.ts';
import {
  INNEHALL,
  KONTAKTVAG,
  KVITTENSTYP,
  type Innehall,
  type Meddelandetyp,
  MOTESFORM,
  PARTTYP,
  PLANERINGSUNDERLAG_AVSNITT,
  PLANSTATUS,
  PREFIX,
  REPEATED,
  ROOT,
  SAMTYCKE,
  SamsaMeddelande,
  SKYDDAD_IDENTITET,
  TVANGSVARD,
  VARDBEGARAN_AVSNITT,
  VARDFORM,
  type Part as XmlPart,
} from './contract.ts';

export const SAMSA_CONTENT_TYPES = ['application/xml', 'text/xml'] as const;

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  // Strings only: 0012 stays 0012, 1e3 stays 1e3.
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  // The five XML entities and character references; a DOCTYPE is refused before parsing.
  processEntities: true,
  htmlEntities: true,
  isArray: (_name, jPath) => REPEATED.has(String(jPath)),
  maxNestedTags: 20,
});

const path = (...segs: string[]) => [ROOT, ...segs].join('/');

export function mapSamsa(raw: string, contentType = ''): MappingResult {
  try {
    return mapChecked(raw, contentType);
  } catch (e) {
    // Last resort: the parser may throw (a name like __proto__, nesting past its limit).
    return { ok: false, issues: [{ path: ROOT, message: `the message could not be read: ${e instanceof Error ? e.message : String(e)}` }] };
  }
}

function mapChecked(raw: string, contentType: string): MappingResult {
  if (typeof raw !== 'string') return check.fail([{ path: ROOT, message: 'the message is not text' }]);
  const early = check.contentTypeIssue(contentType, SAMSA_CONTENT_TYPES) ?? check.tooLarge(raw, ROOT);
  if (early) return check.fail([early]);
  if (/<!(DOCTYPE|ENTITY)/i.test(raw)) {
    return check.fail([{ path: ROOT, message: 'a DOCTYPE or entity declaration is not allowed in a SAMSA message' }]);
  }
  const wellFormed = XMLValidator.validate(raw);
  if (wellFormed !== true) {
    const { msg, line, col } = wellFormed.err;
    return check.fail([{ path: ROOT, message: `not well-formed XML (line ${line}, column ${col}): ${msg}` }]);
  }
  const tree: unknown = parser.parse(raw);
  const top = tree && typeof tree === 'object' ? Object.keys(tree) : [];
  if (top.length !== 1 || top[0] !== ROOT) {
    return check.fail([{ path: ROOT, message: `the root element must be <${ROOT}>, found ${top.map((t) => `<${t}>`).join(', ') || 'none'}` }]);
  }
  const root = (tree as Record<string, unknown>)[ROOT];
  const rawId = root && typeof root === 'object' ? (root as Record<string, unknown>).MeddelandeId : undefined;
  const messageId = typeof rawId === 'string' && rawId.length <= 64 ? rawId : undefined;

  const head = SamsaMeddelande.safeParse(root);
  const issues: MappingIssue[] = head.success ? [] : check.schemaIssues(head.error.issues, ROOT, 'xml');
  const typ = head.success ? head.data.Meddelandetyp : (root as Record<string, unknown> | undefined)?.Meddelandetyp;
  let innehall: unknown;
  if (typeof typ === 'string') {
    if (!Object.hasOwn(INNEHALL, typ)) {
      issues.push({ path: path('Meddelandetyp'), message: `unknown message type ${JSON.stringify(typ)}; known: ${Object.keys(INNEHALL).join(', ')}` });
    } else {
      const given = (root as Record<string, unknown>).Innehall;
      if (given === undefined) issues.push({ path: path('Innehall'), message: 'missing required element' });
      else {
        // <Innehall/> is an empty string to the parser: the empty content of a type whose elements are all optional.
        const c = INNEHALL[typ as Meddelandetyp].safeParse(given === '' ? {} : given);
        if (c.success) innehall = c.data;
        else issues.push(...check.schemaIssues(c.error.issues, path('Innehall'), 'xml'));
      }
    }
  }
  if (!head.success || innehall === undefined) return check.fail(issues, messageId);
  const handelser = toHandelser(head.data, head.data.Meddelandetyp as Meddelandetyp, innehall, issues);
  return issues.length ? check.fail(issues, messageId) : { ok: true, messageId: head.data.MeddelandeId, handelser };
}


// ---- the message as händelser ---------------------------------------------------------------------

/** Which kinds of party may send each message type (the others are refused, not guessed). */
const SLUTENVARD = ['Slutenvard'] as const;
const VARDBEGARARE = ['Oppenvard', 'Socialtjanst', 'KommunalHSL'] as const;
const SENDERS: Partial<Record<Meddelandetyp, readonly XmlPart['Parttyp'][]>> = {
  ForberedVardbegaran: VARDBEGARARE,
  Vardbegaran: VARDBEGARARE,
  Inskrivningsmeddelande: SLUTENVARD,
  Samtycke: SLUTENVARD,
  BeraknadUtskrivning: SLUTENVARD,
  KallelseSvpl: SLUTENVARD,
  Utskrivningsklar: SLUTENVARD,
  AterkalladUtskrivningsklar: SLUTENVARD,
  Utskrivningsmeddelande: SLUTENVARD,
  InformationVidUtskrivning: SLUTENVARD,
  AvbrytProcess: SLUTENVARD,
  Kvittens: ['Oppenvard', 'Socialtjanst', 'KommunalHSL', 'Kommun'],
};

type Fact = { at: string; detalj: Detalj };

function toHandelser(m: SamsaMeddelande, typ: Meddelandetyp, innehall: unknown, issues: MappingIssue[]): Handelse[] {
  const sentAt = check.time(m.Skickat, path('Skickat'), issues);
  const allowed = SENDERS[typ];
  if (allowed && !allowed.includes(m.Avsandare.Parttyp)) {
    issues.push({ path: path('Avsandare', 'Parttyp'), message: `a ${typ} is sent by ${allowed.join(' or ')}, not ${m.Avsandare.Parttyp}` });
  }
  const sender = toPart(m.Avsandare, path('Avsandare'), issues);
  const recipients = m.Mottagare.map((r, i) => toPart(r, path(`Mottagare[${i + 1}]`), issues));
  const patient = toPatient(m.Patient, sentAt.slice(0, 10), issues);
  if (typ === 'Inskrivningsmeddelande' && !patient.folkbokforingsadress) {
    issues.push({ path: path('Patient', 'Folkbokforingsadress'), message: 'missing: the admission notice carries the folkbokföringsadress (law 2:2)' });
  }
  const stay = toStay(m.Vardtillfalle, issues);
  const facts = toFacts(typ, innehall, sentAt, issues);
  return facts.map((f, seq) => ({ source: 'samsa', messageId: m.MeddelandeId, seq, occurredAt: f.at, sentAt, patient, stay, sender, recipients, ...f.detalj }));
}

export function toPart(p: XmlPart, at: string, issues: MappingIssue[]): Part {
  return check.part(PARTTYP[p.Parttyp], { hsaId: p.HsaId, kommunkod: p.Kommunkod, name: p.Namn }, (f) => `${at}/${f === 'hsaId' ? 'HsaId' : 'Kommunkod'}`, issues);
}

const ID_ELEMENTS = [
  ['Personnummer', 'personnummer'],
  ['Samordningsnummer', 'samordningsnummer'],
  ['Reservnummer', 'nationelltReservnummer'],
] as const satisfies readonly (readonly [string, PatientIdentifierKind])[];

function toPatient(p: SamsaMeddelande['Patient'], today: string, issues: MappingIssue[]): PatientUppgifter {
  const given = ID_ELEMENTS.filter(([e]) => p[e] !== undefined);
  if (given.length !== 1) {
    issues.push({ path: path('Patient'), message: `exactly one of Personnummer, Samordningsnummer or Reservnummer is required, found ${given.length}` });
  }
  const [element, kind] = given[0] ?? ID_ELEMENTS[0];
  const value = check.patientId(kind, p[element] ?? '', path('Patient', element), today, issues);
  const a = p.Folkbokforingsadress;
  return {
    identifier: { kind, value },
    family: p.Efternamn,
    given: p.Fornamn,
    ...(a ? { folkbokforingsadress: { line: a.Adressrad, postalCode: a.Postnummer, city: a.Postort } } : {}),
    ...(p.Folkbokforingskommun ? { folkbokforingskommun: check.kommunkod(p.Folkbokforingskommun, path('Patient', 'Folkbokforingskommun'), issues) } : {}),
    ...(p.SkyddadIdentitet ? { skyddadIdentitet: SKYDDAD_IDENTITET[p.SkyddadIdentitet] } : {}),
  };
}

function toStay(v: SamsaMeddelande['Vardtillfalle'], issues: MappingIssue[]): VardtillfalleUppgifter {
  const at = (e: string) => path('Vardtillfalle', e);
  if (v.Tvangsvard && v.Vardform !== 'Psykiatrisk') issues.push({ path: at('Tvangsvard'), message: 'compulsory care (LPT/LRV) is psychiatric care: Vardform must be Psykiatrisk' });
  return {
    issuer: check.hsaId(v.Vardgivare, at('Vardgivare'), issues),
    id: v.VardtillfalleId,
    admittedAt: check.time(v.Inskrivningstid, at('Inskrivningstid'), issues),
    unit: check.part('slutenvard', { hsaId: v.Enhet.HsaId, name: v.Enhet.Namn }, () => at('Enhet/HsaId'), issues),
    careType: VARDFORM[v.Vardform],
    ...(v.Tvangsvard ? { compulsoryCare: TVANGSVARD[v.Tvangsvard] } : {}),
    ...(v.PlacerandeKommun ? { placingKommun: check.kommunkod(v.PlacerandeKommun, at('PlacerandeKommun'), issues) } : {}),
    ...(v.Arendenummer ? { sourceCaseId: v.Arendenummer } : {}),
  };
}

function toFacts(typ: Meddelandetyp, innehall: unknown, sentAt: string, issues: MappingIssue[]): Fact[] {
  const at = (e: string) => path('Innehall', e);
  const when = (t: string | undefined, e = 'Tidpunkt') => (t === undefined ? sentAt : check.time(t, at(e), issues));
  const samtycke = (s: { Beslut: keyof typeof SAMTYCKE; Tidpunkt?: string | undefined }, e: string): Fact => ({
    at: s.Tidpunkt === undefined ? sentAt : check.time(s.Tidpunkt, at(`${e}/Tidpunkt`), issues),
    detalj: { kind: 'samtycke', decision: SAMTYCKE[s.Beslut] },
  });
  // Narrowed per case: the schema that parsed `innehall` is the one of `typ`.
  const c = <T extends Meddelandetyp>() => innehall as Innehall<T>;
  switch (typ) {
    case 'Vardbegaran':
    case 'ForberedVardbegaran': {
      const v = c<'ForberedVardbegaran'>();
      const text = check.composeText(VARDBEGARAN_AVSNITT.map(([k, label]) => [label, v[k]] as const), v.Text);
      const out: Fact[] = [{ at: when(v.Tidpunkt), detalj: { kind: 'vardbegaran', text } }];
      if (typ === 'ForberedVardbegaran') out.push(samtycke(v.Samtycke, 'Samtycke'));
      return out;
    }
    case 'Inskrivningsmeddelande': {
      const v = c<'Inskrivningsmeddelande'>();
      const estimatedDischarge = check.dateOrTime(v.BeraknadUtskrivning, at('BeraknadUtskrivning'), issues);
      const out: Fact[] = [
        { at: when(v.Tidpunkt), detalj: { kind: 'inskrivningsmeddelande', estimatedDischarge, ...(v.Inskrivningsorsak ? { reason: v.Inskrivningsorsak } : {}) } },
      ];
      if (v.Samtycke) out.push(samtycke(v.Samtycke, 'Samtycke'));
      return out;
    }
    case 'Samtycke': {
      const v = c<'Samtycke'>();
      return [{ at: when(v.Tidpunkt), detalj: { kind: 'samtycke', decision: SAMTYCKE[v.Beslut] } }];
    }
    case 'BeraknadUtskrivning': {
      const v = c<'BeraknadUtskrivning'>();
      return [{ at: when(v.Tidpunkt), detalj: { kind: 'beraknad-utskrivning', estimatedDischarge: check.dateOrTime(v.BeraknadUtskrivning, at('BeraknadUtskrivning'), issues) } }];
    }
    case 'Kvittens': {
      const v = c<'Kvittens'>();
      const a = v.AvserMeddelande;
      const acknowledges = a && { source: 'samsa' as const, sender: check.senderId(a.AvsandareId, at('AvserMeddelande/AvsandareId'), issues), messageId: a.MeddelandeId };
      return [{ at: when(v.Tidpunkt), detalj: { kind: 'kvittens', kvittens: KVITTENSTYP[v.Kvittenstyp], ...(v.Text ? { text: v.Text } : {}), ...(acknowledges ? { acknowledges } : {}) } }];
    }
    case 'FastVardkontakt': {
      const v = c<'FastVardkontakt'>();
      const unit = toPart(v.Enhet, at('Enhet'), issues);
      const telecom = v.Kontaktvag.map((k) => ({ system: KONTAKTVAG[k.Typ], value: k.Varde }));
      return [{ at: when(v.Tidpunkt), detalj: { kind: 'fast-vardkontakt', contact: { name: v.Namn, role: v.Roll, unit, telecom } } }];
    }
    case 'KallelseSvpl': {
      const v = c<'KallelseSvpl'>();
      const text = check.composeText(PLANERINGSUNDERLAG_AVSNITT.map(([k, label]) => [label, v[k]] as const), v.Text);
      return [{ at: when(v.Tidpunkt), detalj: { kind: 'kallelse-svpl', text } }];
    }
    case 'Utskrivningsklar':
      return [{ at: when(c<'Utskrivningsklar'>().Utskrivningsklartid, 'Utskrivningsklartid'), detalj: { kind: 'utskrivningsklar' } }];
    case 'AterkalladUtskrivningsklar': {
      const v = c<'AterkalladUtskrivningsklar'>();
      return [{ at: when(v.Tidpunkt), detalj: { kind: 'aterkallad-utskrivningsklar', ...(v.Text ? { text: v.Text } : {}) } }];
    }
    case 'AvbrytProcess': {
      const v = c<'AvbrytProcess'>();
      return [{ at: when(v.Tidpunkt), detalj: { kind: 'aterkallad-utskrivningsklar', text: PREFIX.avbrytProcess + v.Orsak } }];
    }
    case 'KallelseSip': {
      const v = c<'KallelseSip'>();
      const meeting = { time: check.time(v.Motestid, at('Motestid'), issues), place: v.Motesplats, form: MOTESFORM[v.Motesform] };
      return [{ at: when(v.Tidpunkt), detalj: { kind: 'kallelse-sip', purpose: v.Syfte, meeting } }];
    }
    case 'Vardplan': {
      const v = c<'Vardplan'>();
      const actions = (v.Insats ?? []).map((a, i) => ({ description: a.Beskrivning, performer: toPart(a.Ansvarig, at(`Insats[${i + 1}]/Ansvarig`), issues) }));
      const followUp = v.Uppfoljningsdatum === undefined ? undefined : check.date(v.Uppfoljningsdatum, at('Uppfoljningsdatum'), issues);
      const plan = { id: v.PlanId, type: v.Plantyp, status: PLANSTATUS[v.Planstatus], actions, ...(followUp ? { followUp } : {}) };
      return [{ at: when(v.Tidpunkt), detalj: { kind: 'sip-status', plan } }];
    }
    case 'Utskrivningsmeddelande':
      return [{ at: when(c<'Utskrivningsmeddelande'>().Utskrivningstid, 'Utskrivningstid'), detalj: { kind: 'utskrivningsmeddelande' } }];
    case 'InformationVidUtskrivning': {
      const v = c<'InformationVidUtskrivning'>();
      return [{ at: when(v.Tidpunkt), detalj: { kind: 'kommentar', text: PREFIX.informationVidUtskrivning + v.Text } }];
    }
    case 'AdministrativtMeddelande': {
      const v = c<'AdministrativtMeddelande'>();
      return [{ at: when(v.Tidpunkt), detalj: { kind: 'kommentar', text: v.Text } }];
    }
    case 'FelskickatMeddelande': {
      const v = c<'FelskickatMeddelande'>();
      return [{ at: when(v.Tidpunkt), detalj: { kind: 'kommentar', text: `${PREFIX.felskickat}${v.AvserMeddelandeId}${v.Text ? `: ${v.Text}` : ''}` } }];
    }
  }
}
