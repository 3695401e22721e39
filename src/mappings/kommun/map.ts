// Kommun JSON → händelser. Pure and total: every input gives a MappingResult, problems are issues named
// by JSON path (patient.personnummer, mottagare[0].hsaId). The gateway's message id is the sending
// system's code and its message id (`treserva:4711`), since two systems may number messages alike.
import type { MappingIssue, MappingResult } from '../common/adapter.ts';
import type { Detalj, Handelse, Part, PatientIdentifierKind, PatientUppgifter, VardtillfalleUppgifter } from '../common/handelse.ts';
import * as check from '../samsa/checks.ts';
import { ADL_AVSNITT, AVSANDARTYPER, INNEHALL, type Innehall, KALLSYSTEM, KANAL, KommunMeddelande, type Meddelandetyp, type Part as JsonPart, REDO_PREFIX, SKYDDAD_IDENTITET, TVANGSVARD, VARDFORM } from './contract.ts';

export const KOMMUN_CONTENT_TYPES = ['application/json'] as const;

export function mapKommun(raw: string, contentType = ''): MappingResult {
  try {
    return mapChecked(raw, contentType);
  } catch (e) {
    // Last resort: nothing below should throw, but a crash must still be an answer.
    return { ok: false, issues: [{ path: '(message)', message: `the message could not be read: ${e instanceof Error ? e.message : String(e)}` }] };
  }
}

const obj = (v: unknown): Record<string, unknown> | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined);

function mapChecked(raw: string, contentType: string): MappingResult {
  if (typeof raw !== 'string') return check.fail([{ path: '(message)', message: 'the message is not text' }]);
  const early = check.contentTypeIssue(contentType, KOMMUN_CONTENT_TYPES) ?? check.tooLarge(raw, '(message)');
  if (early) return check.fail([early]);
  let tree: unknown;
  try {
    tree = JSON.parse(raw);
  } catch (e) {
    return check.fail([{ path: '(message)', message: `not JSON: ${e instanceof Error ? e.message : String(e)}` }]);
  }
  const top = obj(tree);
  if (!top) return check.fail([{ path: '(message)', message: 'the message must be a JSON object' }]);
  const messageId = typeof top.meddelandeId === 'string' && typeof top.kallsystem === 'string' && Object.hasOwn(KALLSYSTEM, top.kallsystem)
    ? `${KALLSYSTEM[top.kallsystem as keyof typeof KALLSYSTEM]}:${top.meddelandeId.slice(0, 64)}`
    : undefined;

  const head = KommunMeddelande.safeParse(top);
  const issues: MappingIssue[] = head.success ? [] : check.schemaIssues(head.error.issues, '', 'json');
  const typ = top.meddelandetyp;
  let innehall: unknown;
  if (typeof typ === 'string') {
    if (!Object.hasOwn(INNEHALL, typ)) {
      issues.push({ path: 'meddelandetyp', message: `unknown message type ${JSON.stringify(typ)}; known: ${Object.keys(INNEHALL).join(', ')}` });
    } else if (top.innehall === undefined) {
      issues.push({ path: 'innehall', message: 'missing required member' });
    } else {
      const c = INNEHALL[typ as Meddelandetyp].safeParse(top.innehall);
      if (c.success) innehall = c.data;
      else issues.push(...check.schemaIssues(c.error.issues, 'innehall', 'json'));
    }
  }
  if (!head.success || innehall === undefined) return check.fail(issues, messageId);
  const handelser = toHandelser(head.data, messageId!, typ as Meddelandetyp, innehall, issues);
  return issues.length ? check.fail(issues, messageId) : { ok: true, messageId: messageId!, handelser };
}

function toHandelser(m: KommunMeddelande, messageId: string, typ: Meddelandetyp, innehall: unknown, issues: MappingIssue[]): Handelse[] {
  const sentAt = check.time(m.skickat, 'skickat', issues);
  if (!(AVSANDARTYPER as readonly string[]).includes(m.avsandare.typ)) {
    issues.push({ path: 'avsandare.typ', message: `a municipal record system sends as ${AVSANDARTYPER.join(', ')}, not ${m.avsandare.typ}` });
  }
  const sender = toPart(m.avsandare, 'avsandare', issues);
  const recipients = m.mottagare.map((r, i) => toPart(r, `mottagare[${i}]`, issues));
  const patient = toPatient(m.patient, sentAt.slice(0, 10), issues);
  const stay = toStay(m.vardtillfalle, issues);
  const at = (t: string | undefined, p = 'innehall.tidpunkt') => (t === undefined ? sentAt : check.time(t, p, issues));
  const fact = toFact(typ, innehall, issues);
  const t = (innehall as { tidpunkt?: string }).tidpunkt;
  return [{ source: 'kommun', messageId, seq: 0, occurredAt: at(t), sentAt, patient, stay, sender, recipients, ...fact }];
}

export function toPart(p: JsonPart, at: string, issues: MappingIssue[]): Part {
  return check.part(p.typ, { hsaId: p.hsaId, kommunkod: p.kommunkod, name: p.namn }, (f) => `${at}.${f}`, issues);
}

const ID_MEMBERS = [
  ['personnummer', 'personnummer'],
  ['samordningsnummer', 'samordningsnummer'],
  ['reservnummer', 'nationelltReservnummer'],
] as const satisfies readonly (readonly [string, PatientIdentifierKind])[];

function toPatient(p: KommunMeddelande['patient'], today: string, issues: MappingIssue[]): PatientUppgifter {
  const given = ID_MEMBERS.filter(([e]) => p[e] !== undefined);
  if (given.length !== 1) issues.push({ path: 'patient', message: `exactly one of personnummer, samordningsnummer or reservnummer is required, found ${given.length}` });
  const [member, kind] = given[0] ?? ID_MEMBERS[0];
  return {
    identifier: { kind, value: check.patientId(kind, p[member] ?? '', `patient.${member}`, today, issues) },
    family: p.efternamn,
    given: p.fornamn,
    ...(p.folkbokforingskommun ? { folkbokforingskommun: check.kommunkod(p.folkbokforingskommun, 'patient.folkbokforingskommun', issues) } : {}),
    ...(p.skyddadIdentitet ? { skyddadIdentitet: SKYDDAD_IDENTITET[p.skyddadIdentitet] } : {}),
  };
}

function toStay(v: KommunMeddelande['vardtillfalle'], issues: MappingIssue[]): VardtillfalleUppgifter {
  if (v.tvangsvard && v.vardform !== 'psykiatrisk') issues.push({ path: 'vardtillfalle.tvangsvard', message: 'compulsory care (LPT/LRV) is psychiatric care: vardform must be psykiatrisk' });
  return {
    issuer: check.hsaId(v.vardgivare, 'vardtillfalle.vardgivare', issues),
    id: v.vardtillfalleId,
    admittedAt: check.time(v.inskrivningstid, 'vardtillfalle.inskrivningstid', issues),
    unit: check.part('slutenvard', { hsaId: v.enhet.hsaId, name: v.enhet.namn }, () => 'vardtillfalle.enhet.hsaId', issues),
    careType: VARDFORM[v.vardform],
    ...(v.tvangsvard ? { compulsoryCare: TVANGSVARD[v.tvangsvard] } : {}),
    ...(v.placerandeKommun ? { placingKommun: check.kommunkod(v.placerandeKommun, 'vardtillfalle.placerandeKommun', issues) } : {}),
    ...(v.arendeId ? { sourceCaseId: v.arendeId } : {}),
  };
}

const KVITTENS = { kvittens: 'kvittens', ejKand: 'ej-kand', avvisning: 'avvisning' } as const;

function toFact(typ: Meddelandetyp, innehall: unknown, issues: MappingIssue[]): Detalj {
  const c = <T extends Meddelandetyp>() => innehall as Innehall<T>;
  switch (typ) {
    case 'kvittens':
    case 'ejKand':
    case 'avvisning': {
      const v = c<'kvittens'>();
      const a = v.avserMeddelande;
      const acknowledges = a && { source: KANAL[a.kanal], sender: check.senderId(a.avsandare, 'innehall.avserMeddelande.avsandare', issues), messageId: a.meddelandeId };
      return { kind: 'kvittens', kvittens: KVITTENS[typ], ...(v.text ? { text: v.text } : {}), ...(acknowledges ? { acknowledges } : {}) };
    }
    case 'adlOchInsatser': {
      const v = c<'adlOchInsatser'>();
      const insatser = v.insatser?.map((i) => (i.omfattning ? `${i.insats} (${i.omfattning})` : i.insats)).join('; ');
      const values: Record<string, string | undefined> = { ...v, insatser };
      return { kind: 'vardbegaran', text: check.composeText(ADL_AVSNITT.map(([k, label]) => [label, values[k]] as const), v.text) };
    }
    case 'redoAttTaEmot': {
      const v = c<'redoAttTaEmot'>();
      const fran = v.fran === undefined ? undefined : check.time(v.fran, 'innehall.fran', issues);
      return { kind: 'kommentar', text: `${REDO_PREFIX}${fran ? ` från ${fran}` : ''}${v.text ? `: ${v.text}` : ''}` };
    }
    case 'meddelande':
      return { kind: 'kommentar', text: c<'meddelande'>().text };
    case 'sipBeslut': {
      const v = c<'sipBeslut'>();
      const actions = (v.insatser ?? []).map((a, i) => ({ description: a.beskrivning, performer: toPart(a.ansvarig, `innehall.insatser[${i}].ansvarig`, issues) }));
      const followUp = v.uppfoljning === undefined ? undefined : check.date(v.uppfoljning, 'innehall.uppfoljning', issues);
      return { kind: 'sip-status', plan: { id: v.planId, type: v.plantyp, status: v.status, actions, ...(followUp ? { followUp } : {}) } };
    }
  }
}
