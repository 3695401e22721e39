Profile: SamordnadPlan
Parent: CarePlan
Id: SamordnadPlan
Title: "Samordnad plan (SIP, SPU, LPT/LRV-plan)"
Description: "A coordinated plan: SIP (samordnad individuell plan), SPU (samordnad plan vid utskrivning) or SPLPTLRV (samordnad vårdplan enligt LPT/LRV, which replaces the SIP for open compulsory care). The plan type is a category coding from the plan-type code system (the RIVTA GetCarePlans list); every planned action names the party responsible for it."
* obeys sg-plan-1 and sg-plan-2
* category 1..* MS
* subject 1..1 MS
* subject only Reference(Patient)
* period 1..1 MS
* period.start 1..1 MS
* author 1..1 MS
* author ^short = "The party responsible for the plan (normally the fast vårdkontakt)"
* activity MS
* activity.detail 1..1 MS
* activity.detail.performer MS
* activity.detail.performer ^short = "The party responsible for the action (required by sg-plan-2)"

Invariant: sg-plan-1
Description: "The plan type is SIP, SPU or SPLPTLRV: exactly one category coding from the plan-type code system with one of these codes"
Severity: #error
Expression: "category.coding.where(system = '{$cs-plan-type}').count() = 1 and category.coding.where(system = '{$cs-plan-type}').all(code = 'SIP' or code = 'SPU' or code = 'SPLPTLRV')"

// An invariant rather than `activity.detail.performer 1..*`: @medplum/core's validator does not check
// cardinality three backbone levels down, so the cardinality alone would not be enforced.
Invariant: sg-plan-2
Description: "Every planned action names the party responsible for it (activity.detail.performer)"
Severity: #error
Expression: "activity.all(detail.performer.exists())"
