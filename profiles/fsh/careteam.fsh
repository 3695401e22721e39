Profile: FastVardkontakt
Parent: CareTeam
Id: FastVardkontakt
Title: "Fast vårdkontakt"
Description: "The named care contact (fast vårdkontakt) appointed by region-funded outpatient care before discharge (law 2:5; notice 6): name, role, unit and contact details."
* status 1..1 MS
* subject 1..1 MS
* subject only Reference(Patient)
* encounter MS
* participant 1..* MS
* participant.role 1..1 MS
* participant.member 1..1 MS
* participant.member.display 1..1 MS
* participant.member.display ^short = "The contact's name"
* participant.onBehalfOf 1..1 MS
* participant.onBehalfOf ^short = "The unit (enhet) the contact works for"
* telecom 1..* MS
* telecom ^short = "Contact details"
