// The 13 notices of the discharge process (agreements.md §2), and the codes two of them carry:
// the kind of acknowledgement (notice 5) and the state of the coordinated individual plan (notice 12).
import type { CodeSystemSpec, ConceptSpec } from './build.ts';

const S2 = 'agreements.md §2';

/** Notice kinds in process order; `notice-number` is the row of agreements.md §2. */
export const NOTICE_KINDS: readonly ConceptSpec[] = [
  {
    code: 'vardbegaran',
    display: 'Vårdbegäran',
    en: 'Care request',
    definition:
      'Request for inpatient care sent by region-funded outpatient care, municipal primary care or social services to the inpatient unit, at referral or afterwards on request: contact details, reason, actions taken, medication handling, self-care, functional status, housing form and ongoing services.',
    source: `${S2} #1`,
    properties: { 'notice-number': 1 },
  },
  {
    code: 'inskrivningsmeddelande',
    display: 'Inskrivningsmeddelande',
    en: 'Admission notice',
    definition:
      "Notice from the inpatient unit to the affected municipal units and outpatient care that a patient who may need their services after discharge has been admitted, within 24 hours of admission or of the physician's judgement: name, personnummer, address of registration and estimated discharge time.",
    source: `${S2} #2; Lag (2017:612) 2 kap. 2 §`,
    properties: { 'notice-number': 2, 'legal-basis': '2 kap. 2 §' },
  },
  {
    code: 'samtycke',
    display: 'Samtycke',
    en: 'Consent',
    definition:
      "The patient's consent to information sharing and joint planning, sent by the inpatient unit with or after the admission notice: given, refused or cannot be obtained (menprövning, OSL 25:13).",
    source: `${S2} #3`,
    properties: { 'notice-number': 3 },
  },
  {
    code: 'beraknad-utskrivning',
    display: 'Beräknad utskrivning / vårdtidsbedömning',
    en: 'Estimated discharge',
    definition:
      'The estimated date (and time) of discharge, sent by the inpatient unit by the first ward round and again whenever it changes.',
    source: `${S2} #4; Lag (2017:612) 2 kap. 4 §`,
    properties: { 'notice-number': 4, 'legal-basis': '2 kap. 4 §' },
  },
  {
    code: 'kvittens',
    display: 'Kvittens',
    en: 'Acknowledgement',
    definition:
      'Reply from a kommun unit or a primary care centre to the inpatient unit: acknowledgement, "not known" (no services), or rejection when the patient is not registered in that kommun. The kind is coded with the acknowledgement-kind CodeSystem.',
    source: `${S2} #5`,
    properties: { 'notice-number': 5 },
  },
  {
    code: 'fast-vardkontakt',
    display: 'Fast vårdkontakt utsedd',
    en: 'Named care contact appointed',
    definition:
      'Notice from region-funded outpatient care that a named care contact (fast vårdkontakt) has been appointed, before discharge (Örebro: within 3 days of the admission notice): name, role, unit and contact details.',
    source: `${S2} #6; Lag (2017:612) 2 kap. 5 §`,
    properties: { 'notice-number': 6, 'legal-basis': '2 kap. 5 §' },
  },
  {
    code: 'kallelse-svpl',
    display: 'Kallelse till SVPL / planeringsunderlag',
    en: 'Invitation to discharge planning / planning material',
    definition:
      'Invitation from the inpatient unit or care coordinator to the parties when new or changed needs are found: requested professions, ADL and communication ability, assistive-device needs, ongoing psychiatric contact, next of kin.',
    source: `${S2} #7`,
    properties: { 'notice-number': 7 },
  },
  {
    code: 'utskrivningsklar',
    display: 'Utskrivningsklar',
    en: 'Ready for discharge',
    definition:
      'Notice from the inpatient unit, to the units that got the admission notice, that the physician has judged the patient ready for discharge; carries the timestamp (Europe/Stockholm) from which the settlement counts days.',
    source: `${S2} #8; Lag (2017:612) 3 kap. 1 §`,
    properties: { 'notice-number': 8, 'legal-basis': '3 kap. 1 §' },
  },
  {
    code: 'aterkallad-utskrivningsklar',
    display: 'Återkallad utskrivningsklar',
    en: 'Readiness for discharge withdrawn',
    definition:
      "Notice from the inpatient unit that an earlier ready-for-discharge notice no longer holds because the patient's state changed; the day count restarts at the next ready-for-discharge notice.",
    source: `${S2} #9; §4`,
    properties: { 'notice-number': 9 },
  },
  {
    code: 'kallelse-sip',
    display: 'Kallelse till SIP',
    en: 'Invitation to the coordinated individual plan meeting',
    definition:
      'Invitation from the named care contact to the patient and the parties to draw up a coordinated individual plan (SIP), within 3 calendar days of the ready-for-discharge notice: whom the plan concerns, purpose and questions, convener, invited parties, time, place and form.',
    source: `${S2} #10; Lag (2017:612) 4 kap. 3 §`,
    properties: { 'notice-number': 10, 'legal-basis': '4 kap. 3 §' },
  },
  {
    code: 'utskrivningsmeddelande',
    display: 'Utskrivningsmeddelande',
    en: 'Discharge notice',
    definition: 'Notice from the inpatient unit that the patient has left, with the date and time of leaving.',
    source: `${S2} #11`,
    properties: { 'notice-number': 11 },
  },
  {
    code: 'sip-status',
    display: 'SIP upprättad / uppföljd / avslutad',
    en: 'Coordinated individual plan drawn up / followed up / closed',
    definition:
      'Notice from the named care contact that the coordinated individual plan has been drawn up, followed up or closed: plan contents, responsible party per action, follow-up date. The state is coded with the sip-status CodeSystem.',
    source: `${S2} #12`,
    properties: { 'notice-number': 12 },
  },
  {
    code: 'kommentar',
    display: 'Kommentar / administrativt meddelande',
    en: 'Comment / administrative message',
    definition: 'Free-text message from any party to any party about the discharge process.',
    source: `${S2} #13`,
    properties: { 'notice-number': 13 },
  },
];

export const NOTICE_KIND: CodeSystemSpec = {
  name: 'notice-kind',
  title: 'Notice kinds of the discharge process (Lag 2017:612)',
  description:
    'The 13 messages of discharge coordination under Lag (2017:612) om samverkan vid utskrivning från sluten hälso- och sjukvård and the regional agreements (agreements.md §2). Used as Communication.category of each notice.',
  properties: [
    { code: 'notice-number', type: 'integer', description: 'The notice number, 1-13, of agreements.md §2.' },
    { code: 'legal-basis', type: 'string', description: 'The section of Lag (2017:612) that requires the notice.' },
  ],
  concepts: NOTICE_KINDS,
};

export const ACKNOWLEDGEMENT_KIND: CodeSystemSpec = {
  name: 'acknowledgement-kind',
  title: 'Kind of acknowledgement (notice 5)',
  description: 'What a kvittens (notice 5, agreements.md §2) says about the notice it answers.',
  concepts: [
    {
      code: 'kvittens',
      display: 'Kvittens',
      en: 'Acknowledged',
      definition: 'The notice was received and the patient is known to the unit.',
      source: `${S2} #5`,
    },
    {
      code: 'ej-kand',
      display: 'Ej känd',
      en: 'Not known',
      definition: 'The patient is not known to the unit: no ongoing services.',
      source: `${S2} #5`,
    },
    {
      code: 'avvisning',
      display: 'Avvisning',
      en: 'Rejected',
      definition: 'The notice is rejected because the patient is not registered in the kommun it was sent to (Jönköping).',
      source: `${S2} #5 (Jönköping)`,
    },
  ],
};

export const SIP_STATUS: CodeSystemSpec = {
  name: 'sip-status',
  title: 'State of the coordinated individual plan (notice 12)',
  description: 'The state a notice 12 (agreements.md §2) reports for the coordinated individual plan (SIP).',
  concepts: [
    {
      code: 'upprattad',
      display: 'Upprättad',
      en: 'Drawn up',
      definition: 'The plan has been drawn up at the SIP meeting, with the responsible party per action and a follow-up date.',
      source: `${S2} #12`,
    },
    {
      code: 'uppfoljd',
      display: 'Uppföljd',
      en: 'Followed up',
      definition: 'The plan has been followed up (Jönköping: within one month).',
      source: `${S2} #12; §6`,
    },
    {
      code: 'avslutad',
      display: 'Avslutad',
      en: 'Closed',
      definition: 'The plan has been closed.',
      source: `${S2} #12`,
    },
  ],
};
