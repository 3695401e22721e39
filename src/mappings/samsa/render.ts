// Händelser of one message → the SAMSA XML that maps back to them (map(render(h)) deep-equals h).
// Used for fixtures and synthetic episodes; it throws for what SAMSA cannot say (a kind it does not
// carry, a ViSam track, händelser of different messages), never writes something map would read otherwise.
import type { RenderedMessage } from '../common/adapter.ts';
import { senderKey } from '../common/keys.ts';
import type { Handelse, MeddelandeRef, Part, PatientUppgifter, VardtillfalleUppgifter } from '../common/handelse.ts';
import { afterPrefix, checkOneMessage } from './checks.ts';
import {
  KONTAKTVAG,
  KVITTENSTYP,
  type Meddelandetyp,
  MOTESFORM,
  PARTTYP,
  PLANSTATUS,
  PREFIX,
  ROOT,
  SAMTYCKE,
  SKYDDAD_IDENTITET,
  TVANGSVARD,
  VARDFORM,
  VERSION,
} from './contract.ts';

/** An element: text, or child elements (undefined children are left out). */
type Node = readonly [name: string, content: string | readonly (Node | undefined)[]];

const invert = <K extends string, V extends string>(o: Record<K, V>) => Object.fromEntries(Object.entries(o).map(([k, v]) => [v, k])) as Record<V, K>;
const PARTTYP_AV = invert(PARTTYP);
const VARDFORM_AV = invert(VARDFORM);
const TVANGSVARD_AV = invert(TVANGSVARD);
const SKYDDAD_AV = invert(SKYDDAD_IDENTITET);
const SAMTYCKE_AV = invert(SAMTYCKE);
const KVITTENS_AV = invert(KVITTENSTYP);
const PLANSTATUS_AV = invert(PLANSTATUS);
const MOTESFORM_AV = invert(MOTESFORM);
const KONTAKTVAG_AV = invert(KONTAKTVAG);

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function write(n: Node, indent: string, attrs = ''): string {
  const [name, content] = n;
  if (typeof content === 'string') return `${indent}<${name}${attrs}>${escape(content)}</${name}>`;
  const inner = content.filter((c): c is Node => c !== undefined).map((c) => write(c, `${indent}  `));
  if (!inner.length) return `${indent}<${name}${attrs}/>`;
  return `${indent}<${name}${attrs}>\n${inner.join('\n')}\n${indent}</${name}>`;
}

const opt = (name: string, v: string | undefined): Node | undefined => (v === undefined ? undefined : [name, v]);

export function partNode(name: string, p: Part): Node {
  return [name, [['Parttyp', PARTTYP_AV[p.kind]], opt('HsaId', p.hsaId), opt('Kommunkod', p.kommunkod), ['Namn', p.name]]];
}

const ID_ELEMENT = { personnummer: 'Personnummer', samordningsnummer: 'Samordningsnummer', nationelltReservnummer: 'Reservnummer' } as const;

function patientNode(p: PatientUppgifter): Node {
  const a = p.folkbokforingsadress;
  if (a && (a.postalCode === undefined || a.city === undefined)) throw new Error('a SAMSA Folkbokforingsadress has Postnummer and Postort');
  return [
    'Patient',
    [
      [ID_ELEMENT[p.identifier.kind], p.identifier.value],
      ['Efternamn', p.family],
      ...p.given.map((g): Node => ['Fornamn', g]),
      a ? ['Folkbokforingsadress', [...a.line.map((l): Node => ['Adressrad', l]), ['Postnummer', a.postalCode!], ['Postort', a.city!]]] : undefined,
      opt('Folkbokforingskommun', p.folkbokforingskommun),
      p.skyddadIdentitet ? ['SkyddadIdentitet', SKYDDAD_AV[p.skyddadIdentitet]] : undefined,
    ],
  ];
}

function stayNode(s: VardtillfalleUppgifter): Node {
  if (s.visamTrack) throw new Error('SAMSA (VGR) has no ViSam track');
  if (s.unit.kind !== 'slutenvard' || !s.unit.hsaId) throw new Error('the stay unit must be an inpatient unit with an HSA-id');
  return [
    'Vardtillfalle',
    [
      ['Vardgivare', s.issuer],
      ['VardtillfalleId', s.id],
      opt('Arendenummer', s.sourceCaseId),
      ['Inskrivningstid', s.admittedAt],
      ['Enhet', [['HsaId', s.unit.hsaId], ['Namn', s.unit.name]]],
      ['Vardform', VARDFORM_AV[s.careType]],
      s.compulsoryCare ? ['Tvangsvard', TVANGSVARD_AV[s.compulsoryCare]] : undefined,
      opt('PlacerandeKommun', s.placingKommun),
    ],
  ];
}

function avserMeddelande(a: MeddelandeRef | undefined): Node | undefined {
  if (a === undefined) return undefined;
  if (a.source !== 'samsa') throw new Error(`SAMSA can only acknowledge a SAMSA message, not one of ${a.source}`);
  return ['AvserMeddelande', [['MeddelandeId', a.messageId], ['AvsandareId', senderKey(a.sender)]]];
}

const FELSKICKAT = /^Felskickat meddelande ([A-Za-z0-9][A-Za-z0-9._:-]{0,63})(?:: ([\s\S]+))?$/;

export function renderSamsa(hs: readonly Handelse[]): RenderedMessage {
  const first = checkOneMessage(hs, 'samsa');
  // Tidpunkt is written only when the fact's time is not the sending time (map reads its absence so).
  const tid = (h: Handelse): Node | undefined => (h.occurredAt === first.sentAt ? undefined : ['Tidpunkt', h.occurredAt]);
  const samtycke = (h: Handelse | undefined): Node | undefined => {
    if (!h) return undefined;
    if (h.kind !== 'samtycke') throw new Error(`SAMSA cannot send ${h.kind} after ${first.kind}`);
    return ['Samtycke', [['Beslut', SAMTYCKE_AV[h.decision]], tid(h)]];
  };
  if (hs.length > 2 || (hs.length === 2 && first.kind !== 'vardbegaran' && first.kind !== 'inskrivningsmeddelande')) {
    throw new Error(`SAMSA has no message with ${hs.map((h) => h.kind).join(' + ')}`);
  }
  let typ: Meddelandetyp;
  let innehall: (Node | undefined)[];
  const h = first;
  switch (h.kind) {
    case 'vardbegaran':
      typ = hs[1] ? 'ForberedVardbegaran' : 'Vardbegaran';
      innehall = [['Text', h.text], tid(h), samtycke(hs[1])];
      break;
    case 'inskrivningsmeddelande':
      typ = 'Inskrivningsmeddelande';
      innehall = [['BeraknadUtskrivning', h.estimatedDischarge], opt('Inskrivningsorsak', h.reason), samtycke(hs[1]), tid(h)];
      break;
    case 'samtycke':
      typ = 'Samtycke';
      innehall = [['Beslut', SAMTYCKE_AV[h.decision]], tid(h)];
      break;
    case 'beraknad-utskrivning':
      typ = 'BeraknadUtskrivning';
      innehall = [['BeraknadUtskrivning', h.estimatedDischarge], tid(h)];
      break;
    case 'kvittens':
      typ = 'Kvittens';
      innehall = [['Kvittenstyp', KVITTENS_AV[h.kvittens]], opt('Text', h.text), avserMeddelande(h.acknowledges), tid(h)];
      break;
    case 'fast-vardkontakt':
      typ = 'FastVardkontakt';
      innehall = [
        ['Namn', h.contact.name],
        ['Roll', h.contact.role],
        partNode('Enhet', h.contact.unit),
        ...h.contact.telecom.map((t): Node => ['Kontaktvag', [['Typ', KONTAKTVAG_AV[t.system]], ['Varde', t.value]]]),
        tid(h),
      ];
      break;
    case 'kallelse-svpl':
      typ = 'KallelseSvpl';
      innehall = [['Text', h.text], tid(h)];
      break;
    case 'utskrivningsklar':
      typ = 'Utskrivningsklar';
      innehall = [['Utskrivningsklartid', h.occurredAt]];
      break;
    case 'aterkallad-utskrivningsklar': {
      const orsak = h.text === undefined ? undefined : afterPrefix(h.text, PREFIX.avbrytProcess);
      typ = orsak ? 'AvbrytProcess' : 'AterkalladUtskrivningsklar';
      innehall = orsak ? [['Orsak', orsak], tid(h)] : [opt('Text', h.text), tid(h)];
      break;
    }
    case 'kallelse-sip':
      typ = 'KallelseSip';
      innehall = [['Syfte', h.purpose], ['Motestid', h.meeting.time], ['Motesplats', h.meeting.place], ['Motesform', MOTESFORM_AV[h.meeting.form]], tid(h)];
      break;
    case 'sip-status':
      typ = 'Vardplan';
      innehall = [
        ['PlanId', h.plan.id],
        ['Plantyp', h.plan.type],
        ['Planstatus', PLANSTATUS_AV[h.plan.status]],
        ...h.plan.actions.map((a): Node => ['Insats', [['Beskrivning', a.description], partNode('Ansvarig', a.performer)]]),
        opt('Uppfoljningsdatum', h.plan.followUp),
        tid(h),
      ];
      break;
    case 'utskrivningsmeddelande':
      typ = 'Utskrivningsmeddelande';
      innehall = [['Utskrivningstid', h.occurredAt]];
      break;
    case 'kommentar': {
      const info = afterPrefix(h.text, PREFIX.informationVidUtskrivning);
      const fel = FELSKICKAT.exec(h.text);
      if (info) [typ, innehall] = ['InformationVidUtskrivning', [['Text', info], tid(h)]];
      else if (fel) [typ, innehall] = ['FelskickatMeddelande', [['AvserMeddelandeId', fel[1]!], opt('Text', fel[2]), tid(h)]];
      else [typ, innehall] = ['AdministrativtMeddelande', [['Text', h.text], tid(h)]];
      break;
    }
    default:
      throw new Error(`SAMSA does not carry ${h.kind}`);
  }
  const root: Node = [
    ROOT,
    [
      ['MeddelandeId', h.messageId],
      ['Meddelandetyp', typ],
      ['Skickat', h.sentAt],
      partNode('Avsandare', h.sender),
      ...h.recipients.map((r) => partNode('Mottagare', r)),
      patientNode(h.patient),
      stayNode(h.stay),
      ['Innehall', innehall],
    ],
  ];
  return { contentType: 'application/xml', body: `<?xml version="1.0" encoding="UTF-8"?>\n${write(root, '', ` version="${VERSION}"`)}\n` };
}
