// One Communication profile per notice kind (agreements.md §2). The base profile says what every notice
// has; each notice profile fixes its kind (a category slice by pattern) and adds the content the law requires.

Profile: Samverkansmeddelande
Parent: Communication
Id: Samverkansmeddelande
Title: "Samverkansmeddelande"
Description: "What every notice in the discharge-coordination process has: its kind (exactly one category coding from the notice-kind code system), the patient, the vårdtillfälle, the sender, at least one recipient and when it was sent. Every notice kind has a profile of its own derived from this one."
* obeys sg-com-1
* category 1..* MS
* category ^slicing.discriminator.type = #pattern
* category ^slicing.discriminator.path = "$this"
* category ^slicing.rules = #open
* category ^slicing.description = "The notice kind (meddelandetyp)"
* subject 1..1 MS
* subject only Reference(Patient)
* encounter 1..1 MS
* encounter ^short = "The vårdtillfälle the notice is about"
* sent 1..1 MS
* sender 1..1 MS
* recipient 1..* MS

Invariant: sg-com-1
Description: "A notice states its kind (meddelandetyp): exactly one category coding from the notice-kind code system"
Severity: #error
Expression: "category.coding.where(system = '{$cs-notice-kind}').count() = 1"

RuleSet: NoticeKind(code)
* category contains noticeKind 1..1 MS
* category[noticeKind] = $cs-notice-kind#{code}

RuleSet: TimeOfDay(key, extension)
* obeys {key}
* extension[{extension}].valueDateTime MS

// What the notice says travels as text (the sources send one text, not separate fields). The validator
// checks a choice type's restriction, so a payload of another type is an error at that payload.
RuleSet: TextContent
* payload.content[x] only string

RuleSet: TextPayload
* payload 1..* MS
* insert TextContent

// The notice's content is a resource of its own, which the notice refers to. The validator checks the
// target's type where the reference says it (`Consent/c1`); in a transaction it is a urn:uuid, which it cannot.
RuleSet: RefersTo(type)
* payload 1..* MS
* payload.content[x] only Reference({type})

Profile: Inskrivningsmeddelande
Parent: Samverkansmeddelande
Id: Inskrivningsmeddelande
Title: "Inskrivningsmeddelande"
Description: "Admission notice (notice 2), sent within 24 hours of admission. Law 2:2 requires the patient's name (subject.display), personnummer (subject.identifier: personnummer, samordningsnummer or reservnummer), folkbokföringsadress and the estimated discharge time."
* insert NoticeKind(inskrivningsmeddelande)
* obeys sg-ins-1
* subject.identifier 1..1 MS
* subject.identifier.system 1..1
* subject.identifier.value 1..1
* subject.display 1..1 MS
* subject.display ^short = "The patient's name"
* extension contains
    Folkbokforingsadress named folkbokforingsadress 1..1 MS and
    EstimatedDischarge named estimatedDischarge 1..1 MS
* extension[folkbokforingsadress].valueAddress MS
* extension[estimatedDischarge].valueDateTime MS

Invariant: sg-ins-1
Description: "The admission notice names the patient by personnummer, samordningsnummer or nationellt reservnummer (law 2:2)"
Severity: #error
Expression: "subject.identifier.system = '{$personnummer}' or subject.identifier.system = '{$samordningsnummer}' or subject.identifier.system = '{$reservnummer}'"

Profile: Utskrivningsklar
Parent: Samverkansmeddelande
Id: Utskrivningsklar
Title: "Utskrivningsklar"
Description: "Ready-for-discharge notice (notice 8, law 3:1): when the physician judged the patient ready for discharge, as a date and time of day. It starts the count of days the kommun may pay for."
* insert NoticeKind(utskrivningsklar)
* extension contains ReadyForDischarge named readyForDischarge 1..1 MS
* insert TimeOfDay(sg-uk-1, readyForDischarge)

Invariant: sg-uk-1
Description: "The ready-for-discharge time (utskrivningsklar) has a time of day, not only a date"
Severity: #error
Expression: "extension.where(url = '{$sd-ready-for-discharge}').all(value.toString().length() > 10)"

Profile: Utskrivningsmeddelande
Parent: Samverkansmeddelande
Id: Utskrivningsmeddelande
Title: "Utskrivningsmeddelande"
Description: "Discharge notice (notice 11): the date and time the patient left the inpatient unit."
* insert NoticeKind(utskrivningsmeddelande)
* extension contains DischargeTime named dischargeTime 1..1 MS
* insert TimeOfDay(sg-um-1, dischargeTime)

Invariant: sg-um-1
Description: "The discharge time (utskrivningstidpunkt) has a time of day, not only a date"
Severity: #error
Expression: "extension.where(url = '{$sd-discharge-time}').all(value.toString().length() > 10)"

Profile: KallelseSip
Parent: Samverkansmeddelande
Id: KallelseSip
Title: "Kallelse till SIP"
Description: "Invitation to the coordinated individual plan (SIP) meeting (notice 10, law 4:3), sent by the fast vårdkontakt within 3 calendar days of the ready-for-discharge notice: whom the plan concerns (subject), its purpose and questions (payload text), the convener (sender), the invited parties (recipient), and the meeting's time, place and form."
* insert NoticeKind(kallelse-sip)
* sender ^short = "The convener (sammankallande), normally the fast vårdkontakt"
* recipient ^short = "The invited parties"
* payload 1..* MS
* payload ^short = "The plan's purpose and the questions to address"
* payload.content[x] only string
* extension contains
    SipMeetingTime named meetingTime 1..1 MS and
    SipMeetingPlace named meetingPlace 1..1 MS and
    SipMeetingForm named meetingForm 1..1 MS
* extension[meetingTime].valueDateTime MS
* extension[meetingPlace].valueString MS
* extension[meetingForm].valueCoding MS

Profile: Vardbegaran
Parent: Samverkansmeddelande
Id: Vardbegaran
Title: "Vårdbegäran"
Description: "Care request (notice 1) from region-funded outpatient care, municipal primary care or social services to the inpatient unit, at referral or afterwards on request. Its content (contact details, reason, actions taken, medication handling, self-care, functional status, housing form, ongoing services; VGR: current insurance-medicine information when needed) is text in the payload: no source sends these as separate fields, so the profile cannot require them one by one."
* insert NoticeKind(vardbegaran)
* insert TextPayload
* payload ^short = "Contact details, reason, actions taken, medication handling, self-care, functional status, housing form, ongoing services"
* recipient ^short = "The inpatient unit (slutenvården) and other affected units"

Profile: Samtyckesmeddelande
Parent: Samverkansmeddelande
Id: Samtyckesmeddelande
Title: "Samtycke (meddelande)"
Description: "Consent notice (notice 3), sent by the inpatient unit with or after the admission notice: the patient's decision on information sharing (given, refused, or cannot be obtained: menprövning, OSL 25:13) is the Consent (profile Samtycke) the payload refers to. When consent is refused the recipients are told, and planning stays inside each party."
* insert NoticeKind(samtycke)
* insert RefersTo(Consent)
* payload ^short = "The Consent (Samtycke) holding the decision"

Profile: BeraknadUtskrivning
Parent: Samverkansmeddelande
Id: BeraknadUtskrivning
Title: "Beräknad utskrivning / vårdtidsbedömning"
Description: "Estimated discharge (notice 4, law 2:4): the estimated date, and time when known, of discharge, sent by the inpatient unit by the first ward round and again whenever it changes. Planning starts from it."
* insert NoticeKind(beraknad-utskrivning)
* extension contains EstimatedDischarge named estimatedDischarge 1..1 MS
* extension[estimatedDischarge].valueDateTime MS

Profile: Kvittens
Parent: Samverkansmeddelande
Id: Kvittens
Title: "Kvittens / ej känd / avvisning"
Description: "Reply (notice 5) from a kommun unit or a primary care centre to the inpatient unit: acknowledged (kvittens), not known with no services (ej känd), or rejected because the patient is not registered in that kommun (avvisning, Jönköping). The kind of reply is a second category coding, from the acknowledgement-kind code system; a text may say more. The notice it answers is inResponseTo, named by that notice's business identifier, when the sender says (older senders do not)."
* insert NoticeKind(kvittens)
* obeys sg-kv-1 and sg-kv-2
* insert TextContent
* payload ^short = "What the unit adds, e.g. the services it already gives"
* inResponseTo 0..1 MS
* inResponseTo ^short = "The notice answered, by its business identifier (…/identifier/meddelande/<source>)"
* inResponseTo ^comment = "A logical reference (identifier, type Communication): the notice answered may arrive after the reply, or never pass through this server, so a literal reference could dangle."
* inResponseTo.identifier MS

Invariant: sg-kv-1
Description: "The reply says what it is: exactly one category coding from the acknowledgement-kind code system, kvittens, ej-kand or avvisning"
Severity: #error
Expression: "category.coding.where(system = '{$cs-acknowledgement-kind}').count() = 1 and category.coding.where(system = '{$cs-acknowledgement-kind}').all(code = 'kvittens' or code = 'ej-kand' or code = 'avvisning')"

Invariant: sg-kv-2
Description: "The notice answered (inResponseTo) is named by its business identifier, a system and a value: the sender and message id every party knows, whether or not that notice is stored here"
Severity: #error
Expression: "inResponseTo.all(identifier.system.exists() and identifier.value.exists())"

Profile: FastVardkontaktUtsedd
Parent: Samverkansmeddelande
Id: FastVardkontaktUtsedd
Title: "Fast vårdkontakt utsedd"
Description: "Notice from region-funded outpatient care that a named care contact (fast vårdkontakt) has been appointed (notice 6, law 2:5), before discharge (Örebro: within 3 days of receiving the admission notice). The contact's name, role, unit and contact details are the CareTeam (profile FastVardkontakt) the payload refers to."
* insert NoticeKind(fast-vardkontakt)
* insert RefersTo(CareTeam)
* payload ^short = "The CareTeam (FastVardkontakt): name, role, unit and contact details"

Profile: KallelseSvpl
Parent: Samverkansmeddelande
Id: KallelseSvpl
Title: "Kallelse till SVPL / planeringsunderlag"
Description: "Invitation to discharge planning, or planning material (notice 7), from the inpatient unit or care coordinator when new or changed needs are found: the professions requested, ADL and communication ability, assistive-device needs, ongoing psychiatric contact and next of kin, as text in the payload."
* insert NoticeKind(kallelse-svpl)
* insert TextPayload
* payload ^short = "Requested professions, ADL and communication ability, assistive-device needs, ongoing psychiatric contact, next of kin"

Profile: AterkalladUtskrivningsklar
Parent: Samverkansmeddelande
Id: AterkalladUtskrivningsklar
Title: "Återkallad utskrivningsklar"
Description: "Readiness for discharge withdrawn (notice 9), because the patient's state changed: its timestamp voids every earlier ready-for-discharge notice, and the day count restarts at the next one. The timestamp is when the withdrawal took effect (extension readiness-withdrawn, with a time of day), which can be earlier than when the notice was sent; without the extension it is when sent (with a time of day). The reason is text in the payload when the source gives one; no agreement requires it."
* insert NoticeKind(aterkallad-utskrivningsklar)
* obeys sg-auk-1
* extension contains ReadinessWithdrawn named readinessWithdrawn 0..1 MS
* insert TimeOfDay(sg-auk-2, readinessWithdrawn)
* insert TextContent
* payload ^short = "Why the patient is no longer ready, when the source says"

Invariant: sg-auk-1
Description: "The withdrawal of readiness (återkallad utskrivningsklar) is sent with a time of day, not only a date"
Severity: #error
Expression: "sent.all(toString().length() > 10)"

Invariant: sg-auk-2
Description: "The time readiness was withdrawn has a time of day, not only a date"
Severity: #error
Expression: "extension.where(url = '{$sd-readiness-withdrawn}').all(value.toString().length() > 10)"

Profile: SipStatusmeddelande
Parent: Samverkansmeddelande
Id: SipStatusmeddelande
Title: "SIP upprättad / uppföljd / avslutad"
Description: "Notice from the named care contact that the coordinated individual plan (SIP) has been drawn up, followed up or closed (notice 12). The state is a second category coding, from the sip-status code system; the plan's contents, the party responsible for each action and the follow-up date are the CarePlan (profile SamordnadPlan) the payload refers to."
* insert NoticeKind(sip-status)
* obeys sg-sip-1
* insert RefersTo(CarePlan)
* payload ^short = "The plan (SamordnadPlan)"

Invariant: sg-sip-1
Description: "The notice says what happened to the plan (SIP upprättad, uppföljd or avslutad): exactly one category coding from the sip-status code system"
Severity: #error
Expression: "category.coding.where(system = '{$cs-sip-status}').count() = 1 and category.coding.where(system = '{$cs-sip-status}').all(code = 'upprattad' or code = 'uppfoljd' or code = 'avslutad')"

Profile: Kommentar
Parent: Samverkansmeddelande
Id: Kommentar
Title: "Kommentar / administrativt meddelande"
Description: "Free-text message from any party to any party about the discharge process (notice 13), e.g. a changed estimated discharge date sent as a comment (Jönköping, Cosmic Link)."
* insert NoticeKind(kommentar)
* insert TextPayload
* payload ^short = "The message"
