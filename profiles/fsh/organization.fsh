Profile: SamverkanOrganization
Parent: Organization
Id: SamverkanOrganization
Title: "Organisation (part i samverkan)"
Description: "A party in discharge coordination: an inpatient unit, a vårdcentral or other outpatient unit, a kommun or one of its units, or a region. Identified by HSA-id, organisationsnummer or (for a kommun) kommunkod; the kind of party is an Organization.type coding from the party-kind code system."
* obeys sg-org-1 and sg-org-2 and sg-org-3
* identifier 1..* MS
* identifier ^slicing.discriminator.type = #value
* identifier ^slicing.discriminator.path = "system"
* identifier ^slicing.rules = #open
* identifier contains hsaId 0..1 MS and organisationsnummer 0..1 MS and kommunkod 0..1 MS
* identifier[hsaId].system 1..1
* identifier[hsaId].system = $hsaId (exactly)
* identifier[hsaId].value 1..1
* identifier[organisationsnummer].system 1..1
* identifier[organisationsnummer].system = $organisationsnummer (exactly)
* identifier[organisationsnummer].value 1..1
* identifier[kommunkod].system 1..1
* identifier[kommunkod].system = $kommunkod (exactly)
* identifier[kommunkod].value 1..1
* type 1..* MS
* name 1..1 MS

Invariant: sg-org-1
Description: "An organisation is identified by an HSA-id, an organisationsnummer or a kommunkod"
Severity: #error
Expression: "identifier.where(system = '{$hsaId}' or system = '{$organisationsnummer}' or system = '{$kommunkod}').exists()"

Invariant: sg-org-2
Description: "The kind of party (partstyp) is stated as exactly one Organization.type coding from the party-kind code system"
Severity: #error
Expression: "type.coding.where(system = '{$cs-party-kind}').count() = 1"

Invariant: sg-org-3
Description: "Only a kommun is identified by a kommunkod: an organisation with a kommunkod identifier has the party kind 'kommun'"
Severity: #error
Expression: "identifier.where(system = '{$kommunkod}').exists() implies type.coding.where(system = '{$cs-party-kind}' and code = 'kommun').exists()"
