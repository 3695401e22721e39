// The project's own SearchParameters: what the Swedish extensions say, searchable as R4 parameters are.
// The store indexes them like the R4 ones (src/store/search-params.ts), the CapabilityStatement declares
// them with these canonical URLs. Resources stored before a parameter existed are not in its index.
import type { SearchParameter } from '@medplum/fhirtypes';
import { canonical } from '../canonical.ts';
import { EXTENSION } from './urls.ts';

function extensionParam(code: string, base: 'Encounter' | 'Patient', type: 'token' | 'date', url: string, description: string): SearchParameter {
  return {
    resourceType: 'SearchParameter',
    id: code,
    url: canonical.searchParameter(code),
    version: '0.1.0',
    name: code.replace(/-(.)/g, (_m, c: string) => c.toUpperCase()),
    status: 'active',
    publisher: 'samverkan-gateway',
    description,
    code,
    base: [base],
    type,
    expression: `${base}.extension.where(url = '${url}').value`,
  };
}

export function projectSearchParameters(): SearchParameter[] {
  return [
    extensionParam('liable-kommun', 'Encounter', 'token', EXTENSION.liableKommun, 'The kommun that pays for the stay (kommunkod; the placing kommun when there is one, law 5:2).'),
    extensionParam('ready-for-discharge', 'Encounter', 'date', EXTENSION.readyForDischarge, 'When the patient was judged ready for discharge (utskrivningsklar, notice 8).'),
    extensionParam('care-type', 'Encounter', 'token', EXTENSION.careType, 'Somatic or psychiatric care (care-type code system).'),
    extensionParam('folkbokforingskommun', 'Patient', 'token', EXTENSION.folkbokforingskommun, "The patient's kommun of registration (kommunkod)."),
  ];
}
