// What must be in place when a patient is ready for discharge (agreements.md §3): the VGR information
// bundle's documents, Örebro's "hemgångsklar" items, Blekinge's "säker utskrivning" items and
// Jönköping's medication items. One CodeSystem; a subset ValueSet per agreement (see index.ts).
// Items that two agreements word differently keep separate codes: the settlement checks each
// agreement's own wording.
import type { CodeSystemSpec, ConceptSpec } from './build.ts';

type Agreement = 'vastra-gotaland' | 'orebro' | 'blekinge' | 'jonkoping';

const item = (agreement: Agreement | Agreement[], kind: 'document' | 'condition', c: Omit<ConceptSpec, 'properties'>): ConceptSpec => ({
  ...c,
  properties: { agreement: Array.isArray(agreement) ? agreement : [agreement], 'item-kind': kind },
});

const VGR = 'agreements.md §3 (VGR information bundle)';
const ORE = 'agreements.md §3 (Örebro hemgångsklar)';
const BLE = 'agreements.md §3 (Blekinge säker utskrivning)';
const JKP = 'agreements.md §3 (Jönköping)';

export const DISCHARGE_INFORMATION_ITEMS: readonly ConceptSpec[] = [
  // VGR: documents transferred before notice 8.
  item('vastra-gotaland', 'document', {
    code: 'epikris',
    display: 'Epikris / slutanteckning',
    en: 'Discharge summary',
    definition: 'The discharge summary (epikris or slutanteckning) of the stay.',
    source: VGR,
  }),
  item('vastra-gotaland', 'document', {
    code: 'remiss',
    display: 'Remiss',
    en: 'Referral',
    definition: 'A referral stating the continued care need.',
    source: VGR,
  }),
  item('vastra-gotaland', 'document', {
    code: 'lakemedelslista',
    display: 'Läkemedelslista',
    en: 'Medication list',
    definition: "The patient's current medication list.",
    source: VGR,
  }),
  item('vastra-gotaland', 'document', {
    code: 'lakemedelsberattelse',
    display: 'Läkemedelsberättelse',
    en: 'Medication report',
    definition: 'The medication report: what was changed in the medication during the stay and why.',
    source: VGR,
  }),
  item('vastra-gotaland', 'document', {
    code: 'status-vid-inskrivning',
    display: 'Hälsotillstånd och funktionsförmåga vid inskrivning',
    en: 'Health and functional status at admission',
    definition: "The patient's health and functional status at admission.",
    source: VGR,
  }),
  item('vastra-gotaland', 'document', {
    code: 'status-vid-utskrivning',
    display: 'Hälsotillstånd och funktionsförmåga vid utskrivning',
    en: 'Health and functional status at discharge',
    definition: "The patient's health and functional status at discharge.",
    source: VGR,
  }),
  item('vastra-gotaland', 'document', {
    code: 'patientens-bedomning',
    display: 'Patientens egen bedömning av sin hälsa',
    en: "The patient's own view of their health",
    definition: "The patient's own assessment of their health.",
    source: VGR,
  }),
  item('vastra-gotaland', 'document', {
    code: 'riskbedomningar',
    display: 'Riskbedömningar',
    en: 'Risk assessments',
    definition: 'Risk assessments made during the stay (e.g. falls, pressure ulcers, malnutrition).',
    source: VGR,
  }),
  item('vastra-gotaland', 'document', {
    code: 'vardsammanfattning',
    display: 'Vårdsammanfattning',
    en: 'Care summary',
    definition: 'A summary of the care given during the stay.',
    source: VGR,
  }),
  item('vastra-gotaland', 'document', {
    code: 'komplikationer-avvikelser',
    display: 'Komplikationer och avvikelser under vårdtiden',
    en: 'Complications and deviations during the stay',
    definition: 'Complications and deviations that occurred during the stay.',
    source: VGR,
  }),
  item('vastra-gotaland', 'document', {
    code: 'forsakringsmedicinsk-bedomning',
    display: 'Aktuell försäkringsmedicinsk bedömning och plan',
    en: 'Current insurance-medicine assessment and plan',
    definition: 'The current insurance-medicine assessment and plan, when relevant.',
    source: VGR,
  }),
  // Örebro "hemgångsklar" and Blekinge "säker utskrivning": conditions.
  item(['orebro', 'blekinge'], 'condition', {
    code: 'utskrivningsklar',
    display: 'Utskrivningsklar',
    en: 'Ready for discharge',
    definition: 'The physician has judged the patient ready for discharge and notice 8 has been sent.',
    source: `${ORE}; ${BLE}`,
  }),
  item('orebro', 'condition', {
    code: 'skriftlig-sammanfattning',
    display: 'Skriftlig sammanfattning till patienten',
    en: 'Written summary given to the patient',
    definition: 'The patient has a written summary of the care given and, when known, the named care contact and existing plans.',
    source: ORE,
  }),
  item('orebro', 'condition', {
    code: 'information-tillganglig',
    display: 'Informationen tillgänglig i gemensamt IT-stöd',
    en: 'Information available in the shared IT system',
    definition: 'The information for continued care is available to the recipients via the shared IT system.',
    source: ORE,
  }),
  item('orebro', 'condition', {
    code: 'hjalpmedel-i-hemmet',
    display: 'Regionens hjälpmedel finns i hemmet',
    en: "The region's assistive devices are in the home",
    definition: "The assistive devices the region provides are in the patient's home.",
    source: ORE,
  }),
  item('orebro', 'condition', {
    code: 'aktuell-medicinering',
    display: 'Patienten har aktuell medicinering',
    en: 'The patient has current medication',
    definition: 'The patient has their current medication at discharge.',
    source: ORE,
  }),
  item('orebro', 'document', {
    code: 'medicinsk-behandlingsplan',
    display: 'Medicinsk behandlingsplan för sju dagar',
    en: 'Medical treatment plan for seven days',
    definition: 'A medical treatment plan covering the next seven days, available by the discharge day; required for patients on the yellow or red ViSam track.',
    source: ORE,
  }),
  item('blekinge', 'condition', {
    code: 'skriftlig-information',
    display: 'Skriftlig information lämnad',
    en: 'Written information given',
    definition: 'The patient has been given written information.',
    source: BLE,
  }),
  item('blekinge', 'condition', {
    code: 'fast-vardkontakt-utsedd',
    display: 'Fast vårdkontakt utsedd',
    en: 'Named care contact appointed',
    definition: 'A named care contact (fast vårdkontakt) has been appointed (notice 6).',
    source: BLE,
  }),
  item('blekinge', 'condition', {
    code: 'information-overford',
    display: 'Informationen överförd',
    en: 'Information transferred',
    definition: 'The information for continued care has been transferred to the recipients.',
    source: BLE,
  }),
  item('blekinge', 'condition', {
    code: 'hjalpmedel-tillgangliga',
    display: 'Regionens hjälpmedel tillgängliga',
    en: "The region's assistive devices are available",
    definition: 'The assistive devices the region provides are available.',
    source: BLE,
  }),
  item('blekinge', 'condition', {
    code: 'kommunens-insatser-aktiverade',
    display: 'Kommunens insatser aktiverade',
    en: "The kommun's services are activated",
    definition: "The kommun's services for the patient are activated.",
    source: BLE,
  }),
  // Jönköping: medication items.
  item('jonkoping', 'condition', {
    code: 'lakemedelsgenomgang',
    display: 'Läkemedelsgenomgång gjord',
    en: 'Medication review done',
    definition: "A review of the patient's medication has been done.",
    source: JKP,
  }),
  item('jonkoping', 'condition', {
    code: 'recept-utfardade',
    display: 'Recept utfärdade',
    en: 'Prescriptions issued',
    definition: 'The prescriptions the patient needs have been issued.',
    source: JKP,
  }),
  item('jonkoping', 'condition', {
    code: 'lakemedelslista-doskort-med-patienten',
    display: 'Läkemedelslista eller doskort med patienten',
    en: 'Medication list or dose card with the patient',
    definition: 'The patient leaves with a medication list or dose card.',
    source: JKP,
  }),
  item('jonkoping', 'condition', {
    code: 'utskrivningssamtal',
    display: 'Utskrivningssamtal hållet',
    en: 'Discharge conversation held',
    definition: 'A discharge conversation with the patient has been held.',
    source: JKP,
  }),
  item('jonkoping', 'condition', {
    code: 'lakemedel-tva-vardagar',
    display: 'Läkemedel för minst två vardagar',
    en: 'Medication for at least two weekdays',
    definition: 'The patient has medication for at least two weekdays, unless agreed otherwise.',
    source: JKP,
  }),
];

export const DISCHARGE_INFORMATION: CodeSystemSpec = {
  name: 'discharge-information',
  title: 'Ready-for-discharge information and conditions',
  description:
    'The documents and conditions that must be in place when a patient is ready for discharge (agreements.md §3): the VGR information bundle, Örebro "hemgångsklar", Blekinge "säker utskrivning" and Jönköping\'s medication items. Law 3:2: the information must reach the recipients no later than the discharge day.',
  properties: [
    { code: 'agreement', type: 'code', description: 'The agreement (rule-pack id of src/rules) whose list names the item; repeats.' },
    { code: 'item-kind', type: 'code', description: 'document (information transferred) or condition (a fact that must hold).' },
  ],
  concepts: DISCHARGE_INFORMATION_ITEMS,
};

/** Codes of each agreement's list, in the agreement's order. */
export function itemsOf(agreement: Agreement): string[] {
  return DISCHARGE_INFORMATION_ITEMS.filter((c) => {
    const a = c.properties?.agreement;
    return Array.isArray(a) && a.includes(agreement);
  }).map((c) => c.code);
}
