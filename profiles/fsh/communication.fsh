// One Communication profile per notice kind (agreements.md §2). The base profile says what every notice
// has; each notice profile fixes its kind (a category slice by pattern) and adds the content the law requires.

Profile: Samverkansmeddelande
Parent: Communication
Id: Samverkansmeddelande
Title: "Samverkansmeddelande"
Description: "What every notice in the discharge-coordination process has: its kind (exactly one category coding from the notice-kind code system), the patient, the vårdtillfälle, the sender, at least one recipient and when it was sent. Used as is for the notice kinds without a profile of their own."
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
