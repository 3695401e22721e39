Profile: Vardtillfalle
Parent: Encounter
Id: Vardtillfalle
Title: "Vårdtillfälle"
Description: "An inpatient stay in slutenvård: admission is period.start, discharge is period.end; the estimated discharge, the ready-for-discharge time, the care type (somatic/psychiatric), psychiatric compulsory care (LPT/LRV), the ViSam track and the liable and placing kommun are extensions."
* obeys sg-enc-1 and sg-enc-2
* extension contains
    EstimatedDischarge named estimatedDischarge 0..1 MS and
    ReadyForDischarge named readyForDischarge 0..1 MS and
    CareType named careType 1..1 MS and
    CompulsoryCare named compulsoryCare 0..1 MS and
    VisamTrack named visamTrack 0..1 MS and
    LiableKommun named liableKommun 0..1 MS and
    PlacingKommun named placingKommun 0..1 MS
* extension[estimatedDischarge].valueDateTime MS
* extension[readyForDischarge].valueDateTime MS
* extension[careType].valueCoding MS
* extension[compulsoryCare].valueCoding MS
* extension[visamTrack].valueCoding MS
* extension[liableKommun].valueCoding MS
* extension[placingKommun].valueCoding MS
* class = $v3ActCode#IMP
* subject 1..1 MS
* subject only Reference(Patient)
* period 1..1 MS
* period.start 1..1 MS
* period.start ^short = "Inskrivning (admission)"
* period.end MS
* period.end ^short = "Utskrivning (discharge)"
* serviceProvider 1..1 MS
* serviceProvider ^short = "The inpatient unit (slutenvårdsenhet)"

Invariant: sg-enc-1
Description: "A finished vårdtillfälle has a discharge time (period.end)"
Severity: #error
Expression: "status = 'finished' implies period.end.exists()"

Invariant: sg-enc-2
Description: "Compulsory care (LPT/LRV) is psychiatric care: the care type is 'psychiatric'"
Severity: #error
Expression: "extension.where(url = '{$sd-compulsory-care}').exists() implies extension.where(url = '{$sd-care-type}').value.code = 'psychiatric'"
