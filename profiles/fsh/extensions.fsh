// Extensions for what FHIR R4 lacks. URLs: https://samverkan-gateway.se/fhir/StructureDefinition/<Id>.
// Every extension is simple (one value[x]): our validator does not check slicing nested inside a slice.

RuleSet: KommunCoding
* value[x] 1..1
* value[x] only Coding
* valueCoding.system 1..1
* valueCoding.system = $kommunkod (exactly)
* valueCoding.code 1..1

RuleSet: DateTimeValue
* value[x] 1..1
* value[x] only dateTime

Extension: Folkbokforingskommun
Id: folkbokforingskommun
Title: "Folkbokföringskommun"
Description: "The municipality where the patient is registered (folkbokförd), as an SCB kommunkod Coding. HL7 Sweden's base profiles have no such extension. It decides the liable kommun unless another kommun placed the patient (law 5:2)."
Context: Patient
* insert KommunCoding

Extension: Folkbokforingsadress
Id: folkbokforingsadress
Title: "Folkbokföringsadress"
Description: "The patient's registered address (folkbokföringsadress) as stated in a notice at the time it was sent (law 2:2)."
Context: Communication
* value[x] 1..1
* value[x] only Address
* valueAddress.line 1..*
* valueAddress.postalCode 1..1
* valueAddress.city 1..1

Extension: EstimatedDischarge
Id: estimated-discharge
Title: "Beräknad utskrivning"
Description: "The estimated date (and time) of discharge (beräknad utskrivning, vårdtidsbedömning; law 2:2 and 2:4)."
Context: Encounter, Communication
* insert DateTimeValue

Extension: ReadyForDischarge
Id: ready-for-discharge
Title: "Utskrivningsklar"
Description: "When the physician judged the patient ready for discharge (utskrivningsklar, law 3:1): a date and time of day."
Context: Encounter, Communication
* insert DateTimeValue

Extension: DischargeTime
Id: discharge-time
Title: "Utskrivningstidpunkt"
Description: "The date and time the patient left the inpatient unit, as stated in the discharge notice (utskrivningsmeddelande)."
Context: Communication
* insert DateTimeValue

Extension: ReadinessWithdrawn
Id: readiness-withdrawn
Title: "Återkallad utskrivningsklar: tidpunkt"
Description: "When readiness for discharge was withdrawn (återkallad utskrivningsklar, notice 9): the date and time of day from which every earlier ready-for-discharge time is void. It can be earlier than Communication.sent (the notice recorded or sent after the decision); FHIR R4's Communication has no element for when the fact it reports took effect."
Context: Communication
* insert DateTimeValue

Extension: CareType
Id: care-type
Title: "Vårdform"
Description: "Somatic or psychiatric inpatient care (somatisk / psykiatrisk vård): the settlement counts them separately in some agreements."
Context: Encounter
* value[x] 1..1
* value[x] only Coding
* valueCoding.system 1..1
* valueCoding.system = $cs-care-type (exactly)
* valueCoding.code 1..1
* valueCoding from $vs-care-type (required)

Extension: CompulsoryCare
Id: compulsory-care
Title: "Tvångsvård"
Description: "Psychiatric compulsory care: LPT (Lag 1991:1128) or LRV (Lag 1991:1129)."
Context: Encounter
* value[x] 1..1
* value[x] only Coding
* valueCoding.system 1..1
* valueCoding.system = $cs-compulsory-care (exactly)
* valueCoding.code 1..1
* valueCoding from $vs-compulsory-care (required)

Extension: VisamTrack
Id: visam-track
Title: "ViSam-spår"
Description: "The ViSam track (green, yellow, red) of the patient's discharge planning (Örebro)."
Context: Encounter
* value[x] 1..1
* value[x] only Coding
* valueCoding.system 1..1
* valueCoding.system = $cs-visam-track (exactly)
* valueCoding.code 1..1
* valueCoding from $vs-visam-track (required)

Extension: LiableKommun
Id: liable-kommun
Title: "Betalningsansvarig kommun"
Description: "The kommun liable to pay for discharge-ready days of this stay (law 5:2): the folkbokföringskommun, or the placing kommun."
Context: Encounter
* insert KommunCoding

Extension: PlacingKommun
Id: placing-kommun
Title: "Placerande kommun"
Description: "The kommun that placed the patient in housing in another kommun; it pays instead of the folkbokföringskommun (law 5:2)."
Context: Encounter
* insert KommunCoding

Extension: SipMeetingTime
Id: sip-meeting-time
Title: "SIP-möte: tid"
Description: "When the coordinated individual plan (SIP) meeting is held."
Context: Communication
* insert DateTimeValue

Extension: SipMeetingPlace
Id: sip-meeting-place
Title: "SIP-möte: plats"
Description: "Where the SIP meeting is held (an address, a room, or how to join a video meeting)."
Context: Communication
* value[x] 1..1
* value[x] only string

Extension: SipMeetingForm
Id: sip-meeting-form
Title: "SIP-möte: form"
Description: "How the SIP meeting is held: in person, by video or by telephone (v3 ParticipationMode: FACE, VIDEOCONF, PHONE)."
Context: Communication
* value[x] 1..1
* value[x] only Coding
* valueCoding.system 1..1
* valueCoding.system = "http://terminology.hl7.org/CodeSystem/v3-ParticipationMode" (exactly)
* valueCoding.code 1..1
* valueCoding from $v3ParticipationMode (required)

Extension: ConsentDecision
Id: consent-decision
Title: "Samtyckesbeslut"
Description: "The outcome of asking the patient for consent to exchange information: given, refused, or cannot be obtained (menprövning, OSL 25:13)."
Context: Consent
* value[x] 1..1
* value[x] only Coding
* valueCoding.system 1..1
* valueCoding.system = $cs-consent-status (exactly)
* valueCoding.code 1..1
* valueCoding from $vs-consent-status (required)
