Profile: Samtycke
Parent: Consent
Id: Samtycke
Title: "Samtycke till informationsöverföring"
Description: "The patient's consent to exchanging information between the parties of the discharge process (notice 3): given, refused, or cannot be obtained (menprövning, OSL 25:13), when it was recorded, and for which vårdtillfälle."
* scope = $consentScope#patient-privacy
* patient 1..1 MS
* dateTime 1..1 MS
* performer MS
* extension contains ConsentDecision named decision 1..1 MS
* extension[decision].valueCoding MS
