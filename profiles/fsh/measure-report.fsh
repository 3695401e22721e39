// The settlement's MeasureReport (src/rules/fhir/measure-report.ts) and the extensions it carries. One report
// per kommun, agreement and calendar month; one group per care type the agreement separates. The figures
// finance invoices on are simple extensions on the group; the rule parameters and each stay's evaluation are
// complex extensions, published here but not sliced in the profile (our validator does not check slicing
// nested inside a slice): their content is the engine's, tested in test/rules.

RuleSet: DaysQuantity
* value[x] 1..1
* value[x] only Quantity
* valueQuantity.value 1..1
* valueQuantity.system 1..1
* valueQuantity.system = $ucum (exactly)
* valueQuantity.code 1..1
* valueQuantity.code = #d (exactly)

RuleSet: SekMoney
* value[x] 1..1
* value[x] only Money
* valueMoney.value 1..1
* valueMoney.currency 1..1
* valueMoney.currency = #SEK (exactly)

RuleSet: StringValue
* value[x] 1..1
* value[x] only string

Extension: SettlementThreshold
Id: settlement-threshold
Title: "Tröskel"
Description: "The agreement's threshold for the group in the month: mean days (UCUM d, e.g. 3.0) or, in Jämtland Härjedalen, the share of stays discharged on day 0 or 1 (UCUM %)."
Context: MeasureReport.group
* value[x] 1..1
* value[x] only Quantity
* valueQuantity.value 1..1
* valueQuantity.system 1..1
* valueQuantity.system = $ucum (exactly)
* valueQuantity.code 1..1

Extension: SettlementShareDay01
Id: settlement-share-day-0-1
Title: "Andel utskrivna dag 0–1"
Description: "Jämtland Härjedalen: how many of the stays in the measure were discharged on day 0 or 1 after the ready notice, of how many."
Context: MeasureReport.group
* value[x] 1..1
* value[x] only Ratio
* valueRatio.numerator 1..1
* valueRatio.denominator 1..1

Extension: SettlementLiable
Id: settlement-liable
Title: "Betalningsansvar"
Description: "Whether the monthly measure makes the kommun liable for the average part this month (the individual part is billed whatever it says)."
Context: MeasureReport.group
* value[x] 1..1
* value[x] only boolean

Extension: SettlementBillableDaysAverage
Id: settlement-billable-days-average-part
Title: "Debiterbara dagar, genomsnittsdel"
Description: "Days billed because the monthly measure made the kommun liable. In a difference report: the change (positive = debit, negative = credit)."
Context: MeasureReport.group
* insert DaysQuantity

Extension: SettlementBillableDaysIndividual
Id: settlement-billable-days-individual-part
Title: "Debiterbara dagar, individuell del"
Description: "Days billed per stay whatever the monthly measure. In a difference report: the change."
Context: MeasureReport.group
* insert DaysQuantity

Extension: SettlementBillableDays
Id: settlement-billable-days
Title: "Debiterbara dagar"
Description: "All billable days of the group: the average part plus the individual part (sg-mr-4). In a difference report: the change."
Context: MeasureReport.group
* insert DaysQuantity

Extension: SettlementDailyAmount
Id: settlement-daily-amount
Title: "Dagsbelopp"
Description: "The amount per billable day (SEK) that applied: the year's confirmed amount, the agreement's own, or configuration."
Context: MeasureReport.group
* insert SekMoney

Extension: SettlementDailyAmountSource
Id: settlement-daily-amount-source
Title: "Dagsbeloppets källa"
Description: "Where the daily amount came from (table, agreement, configuration or the command line) and its note."
Context: MeasureReport.group
* insert StringValue

Extension: SettlementAmount
Id: settlement-amount
Title: "Belopp"
Description: "Billable days times the daily amount (SEK), to the öre. Absent when the year has no amount (the days stand, with a warning). In a difference report: the change (positive = debit, negative = credit)."
Context: MeasureReport.group
* insert SekMoney

Extension: SettlementModel
Id: settlement-model
Title: "Modell"
Description: "The settlement model that applied to the group in the month (e.g. the law's default, a mean-days model, Blekinge's state), in words."
Context: MeasureReport.group
* insert StringValue

Extension: SettlementExplanation
Id: settlement-explanation
Title: "Förklaring"
Description: "One line of the explanation of the group's figures, for finance staff."
Context: MeasureReport.group
* insert StringValue

Extension: SettlementWarning
Id: settlement-warning
Title: "Varning"
Description: "Something the reader must know: a year with no daily amount, a stay that could not be settled from the stored data, an incomplete month."
Context: MeasureReport, MeasureReport.group
* insert StringValue

Extension: SettlementCorrects
Id: settlement-corrects
Title: "Rättar"
Description: "A difference report: the stored report (a version: MeasureReport/{id}/_history/{vid}) whose figures this one corrects. Its billable days and amounts are the recomputed month's minus the stored report's: positive is a debit, negative a credit."
Context: MeasureReport
* value[x] 1..1
* value[x] only Reference(MeasureReport)
* valueReference.reference 1..1

Extension: SettlementParameter
Id: settlement-parameter
Title: "Regelparameter"
Description: "A named parameter (a reading of the agreement, or a fact) with the value the settlement used, where it comes from, and whether it is the rule pack's default."
Context: MeasureReport
* value[x] 0..0
* extension contains
    name 1..1 and
    value 1..1 and
    origin 1..1 and
    default 1..1
* extension[name].value[x] only string
* extension[value].value[x] only string
* extension[origin].value[x] only code
* extension[default].value[x] only boolean

Extension: SettlementEpisodeEvaluation
Id: settlement-episode-evaluation
Title: "Vårdtillfällets bedömning"
Description: "How one stay was settled: its status, care type, liable kommun, day counting, utskrivningsklara days, billable days and part, failed preconditions, the rule that applied and the steps of its trace."
Context: List.entry
* value[x] 0..0
* extension contains
    status 1..1 and
    careType 1..1 and
    liableKommun 1..1 and
    counting 1..1 and
    days 0..1 and
    billableDays 1..1 and
    part 1..1 and
    failure 0..* and
    rule 1..1 and
    step 0..*
* extension[status].value[x] only code
* extension[status].valueCode from $vs-settlement-episode-status (required)
* extension[careType].value[x] only code
* extension[liableKommun].value[x] only Coding
* extension[counting].value[x] only code
* extension[days].value[x] only integer
* extension[billableDays].value[x] only integer
* extension[part].value[x] only code
* extension[part].valueCode from $vs-settlement-billing-part (required)
* extension[failure].value[x] only Coding
* extension[failure].valueCoding from $vs-settlement-exclusion-reason (required)
* extension[rule].value[x] only string
* extension[step].value[x] only string

Profile: SamverkanMeasureReport
Parent: MeasureReport
Id: SamverkanMeasureReport
Title: "Avräkning av utskrivningsklara dagar"
Description: "A kommun's settlement of utskrivningsklara days for one calendar month under one agreement (a settlement Measure): per care type group the populations, the mean days (measureScore), the threshold, liability, billable days and kronor. A difference report (extension settlement-corrects) carries the changes against a stored report instead."
* obeys sg-mr-1 and sg-mr-3 and sg-mr-4 and sg-mr-5
* extension contains
    SettlementWarning named warning 0..* and
    SettlementCorrects named corrects 0..1 MS
// Naming each slice's value unfolds the extension's rules into the snapshot, where our validator checks them.
* extension[warning].valueString MS
* extension[corrects].valueReference MS
* status = #complete
* type MS
* type ^comment = "summary, subject-list or individual; data-collection is refused by R4's mrp-1, since a settlement report has groups (1..*)."
* measure MS
* subject 1..1 MS
* subject only Reference(Organization)
* subject ^short = "The kommun (by its SCB kommunkod)"
* subject.type 1..1
* subject.type = "Organization" (exactly)
* subject.identifier 1..1
* subject.identifier.system 1..1
* subject.identifier.system = $kommunkod (exactly)
* subject.identifier.value 1..1
* period.start 1..1
* period.end 1..1
* group 1..* MS
* group.code 1..1
* group.code from $vs-settlement-care-type (required)
* group.population 1..*
* group.extension contains
    SettlementModel named model 1..1 and
    SettlementThreshold named threshold 0..1 and
    SettlementShareDay01 named shareDay01 0..1 and
    SettlementLiable named liable 1..1 MS and
    SettlementBillableDaysAverage named billableDaysAverage 1..1 MS and
    SettlementBillableDaysIndividual named billableDaysIndividual 1..1 MS and
    SettlementBillableDays named billableDays 1..1 MS and
    SettlementDailyAmount named dailyAmount 0..1 MS and
    SettlementDailyAmountSource named dailyAmountSource 0..1 and
    SettlementAmount named amount 0..1 MS and
    SettlementExplanation named explanation 0..* and
    SettlementWarning named warning 0..*
* group.extension[model].valueString MS
* group.extension[threshold].valueQuantity MS
* group.extension[shareDay01].valueRatio MS
* group.extension[liable].valueBoolean MS
* group.extension[billableDaysAverage].valueQuantity MS
* group.extension[billableDaysIndividual].valueQuantity MS
* group.extension[billableDays].valueQuantity MS
* group.extension[dailyAmount].valueMoney MS
* group.extension[dailyAmountSource].valueString MS
* group.extension[amount].valueMoney MS
* group.extension[explanation].valueString MS
* group.extension[warning].valueString MS

Invariant: sg-mr-1
Description: "The measure is one of the settlement agreements' Measures"
Severity: #error
Expression: "measure.startsWith('{$settlementMeasure}')"

Invariant: sg-mr-3
Description: "Every population of every group has a code and a count"
Severity: #error
Expression: "group.all(population.all(code.exists() and count.exists()))"

Invariant: sg-mr-4
Description: "A group's billable days are its average part plus its individual part"
Severity: #error
Expression: "group.all((extension.where(url = '{$sd-settlement-billable-days}').value.value - extension.where(url = '{$sd-settlement-billable-days-average-part}').value.value - extension.where(url = '{$sd-settlement-billable-days-individual-part}').value.value).abs() < 0.005)"

Invariant: sg-mr-5
Description: "A group with an amount names the daily amount it was computed with"
Severity: #error
Expression: "group.all(extension.where(url = '{$sd-settlement-amount}').exists() implies extension.where(url = '{$sd-settlement-daily-amount}').exists())"
