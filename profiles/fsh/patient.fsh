Profile: SamverkanPatient
Parent: Patient
Id: SamverkanPatient
Title: "Patient (samverkan vid utskrivning)"
Description: "A patient in a discharge-coordination process: identified by personnummer, samordningsnummer or nationellt reservnummer, with the folkbokföringskommun and, when it applies, a protected-identity security label (sekretessmarkering, skyddad folkbokföring)."
* obeys sg-patient-1 and sg-patient-2
* meta.security MS
* extension contains Folkbokforingskommun named folkbokforingskommun 0..1 MS
* extension[folkbokforingskommun].valueCoding MS
* identifier 1..* MS
* identifier ^slicing.discriminator.type = #value
* identifier ^slicing.discriminator.path = "system"
* identifier ^slicing.rules = #open
* identifier ^slicing.description = "Swedish person identifiers, by system"
* identifier contains personnummer 0..1 MS and samordningsnummer 0..1 MS and reservnummer 0..1 MS
* identifier[personnummer].system 1..1
* identifier[personnummer].system = $personnummer (exactly)
* identifier[personnummer].value 1..1
* identifier[samordningsnummer].system 1..1
* identifier[samordningsnummer].system = $samordningsnummer (exactly)
* identifier[samordningsnummer].value 1..1
* identifier[reservnummer].system 1..1
* identifier[reservnummer].system = $reservnummer (exactly)
* identifier[reservnummer].value 1..1
* name 1..* MS

Invariant: sg-patient-1
Description: "A patient is identified by a personnummer, samordningsnummer or nationellt reservnummer"
Severity: #error
Expression: "identifier.where(system = '{$personnummer}' or system = '{$samordningsnummer}' or system = '{$reservnummer}').exists()"

Invariant: sg-patient-2
Description: "A protected-identity security label (HL7 Sweden SecurityLabel) is sekretessmarkering or skyddadFolkbokforing"
Severity: #error
Expression: "meta.security.where(system = '{$seSecurityLabel}').all(code = 'sekretessmarkering' or code = 'skyddadFolkbokforing')"
