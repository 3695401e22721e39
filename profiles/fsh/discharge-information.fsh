// The ready-for-discharge information (agreements.md §3; law 3:2): the documents the inpatient unit hands over
// for continued care, as a Bundle of type collection whose entries are DocumentReferences, each naming its kind
// from the discharge-information code system (src/profiles/terminology/discharge-information.ts). Why a
// collection and not a document: docs/profiles.md. Our validator applies no profile to a resource inside a
// Bundle, so what the entries must say is said by invariants on the Bundle.
//
// The document codes are listed in sg-ufi-2 and sg-ufi-6; test/profiles/definitions/examples.test.ts checks
// that they are exactly the terminology's document items (and VGR's).

Profile: Utskrivningsinformation
Parent: Bundle
Id: Utskrivningsinformation
Title: "Utskrivningsinformation"
Description: "The information for continued care the inpatient unit hands over when the patient is ready for discharge (law 3:2: it must reach the recipients no later than the discharge day): a collection of DocumentReferences about one patient and one vårdtillfälle, each a current document of one kind from the discharge-information code system (epikris, remiss, läkemedelslista, …). The agreement's own list of what must be present is a profile derived from this one (UtskrivningsinformationVgr)."
* obeys sg-ufi-1 and sg-ufi-2 and sg-ufi-3 and sg-ufi-4 and sg-ufi-5
* type = #collection
* timestamp 1..1 MS
* timestamp ^short = "When the information was put together for the recipients"
* entry 1..* MS
* entry.resource 1..1 MS
* entry.resource ^short = "A DocumentReference (sg-ufi-1)"

Invariant: sg-ufi-1
Description: "Every entry of the ready-for-discharge information (utskrivningsinformation) is a DocumentReference"
Severity: #error
Expression: "entry.all(resource is DocumentReference)"

Invariant: sg-ufi-2
Description: "Every document says which information it is: exactly one type coding from the discharge-information code system, one of its documents (epikris, remiss, läkemedelslista, läkemedelsberättelse, status vid inskrivning och utskrivning, patientens bedömning, riskbedömningar, vårdsammanfattning, komplikationer och avvikelser, försäkringsmedicinsk bedömning, medicinsk behandlingsplan)"
Severity: #error
Expression: "entry.resource.all(type.coding.where(system = '{$cs-discharge-information}').count() = 1 and type.coding.where(system = '{$cs-discharge-information}').all(code in ('epikris' | 'remiss' | 'lakemedelslista' | 'lakemedelsberattelse' | 'status-vid-inskrivning' | 'status-vid-utskrivning' | 'patientens-bedomning' | 'riskbedomningar' | 'vardsammanfattning' | 'komplikationer-avvikelser' | 'forsakringsmedicinsk-bedomning' | 'medicinsk-behandlingsplan')))"

Invariant: sg-ufi-3
Description: "Every document refers to the patient (subject) and the vårdtillfälle (context.encounter)"
Severity: #error
Expression: "entry.resource.all(subject.reference.exists() and context.encounter.reference.exists())"

Invariant: sg-ufi-4
Description: "All documents of the ready-for-discharge information are about one patient and one vårdtillfälle"
Severity: #error
Expression: "entry.resource.subject.reference.distinct().count() <= 1 and entry.resource.context.encounter.reference.distinct().count() <= 1"

Invariant: sg-ufi-5
Description: "Every document is current: a superseded document or one entered in error is not information handed over"
Severity: #error
Expression: "entry.resource.all(status = 'current')"

Profile: UtskrivningsinformationVgr
Parent: Utskrivningsinformation
Id: UtskrivningsinformationVgr
Title: "Utskrivningsinformation, Västra Götaland"
Description: "The ready-for-discharge information as the VGR agreement requires it before the ready-for-discharge notice (notice 8) is sent: epikris/slutanteckning, remiss stating the continued care need, läkemedelslista and läkemedelsberättelse, health and functional status at admission and at discharge, the patient's own view of their health, risk assessments, vårdsammanfattning, and complications and deviations during the stay. The current insurance-medicine assessment and plan only when relevant, so it is not required."
* obeys sg-ufi-6

Invariant: sg-ufi-6
Description: "The VGR information bundle is complete: epikris, remiss, läkemedelslista, läkemedelsberättelse, status vid inskrivning, status vid utskrivning, patientens bedömning, riskbedömningar, vårdsammanfattning and komplikationer/avvikelser are all present (the försäkringsmedicinsk bedömning only when relevant)"
Severity: #error
Expression: "entry.resource.type.coding.where(system = '{$cs-discharge-information}').code.supersetOf('epikris' | 'remiss' | 'lakemedelslista' | 'lakemedelsberattelse' | 'status-vid-inskrivning' | 'status-vid-utskrivning' | 'patientens-bedomning' | 'riskbedomningar' | 'vardsammanfattning' | 'komplikationer-avvikelser')"
