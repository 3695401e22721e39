// The CapabilityStatement, generated from the same registry and route table the server uses, so it
// declares exactly what is answered: a test walks it and exercises every interaction and parameter.
import type { CapabilityStatement, CapabilityStatementRestResource, ResourceType } from '@medplum/fhirtypes';
import { COLUMN_PARAMS, type SearchParamRegistry } from '../store/search-params.ts';
import { MEASURE_OPERATIONS } from './http/measure-ops.ts';
import { CONFORMANCE_TYPES, conformanceOperations } from './http/conformance-ops.ts';

export const TYPE_INTERACTIONS = ['read', 'vread', 'update', 'patch', 'delete', 'history-instance', 'history-type', 'create', 'search-type'] as const;
export const SYSTEM_INTERACTIONS = ['transaction', 'batch', 'history-system'] as const;

export interface SoftwareInfo {
  name: string;
  version: string;
}

export function buildCapabilityStatement(registry: SearchParamRegistry, baseUrl: string, software: SoftwareInfo, now: Date): CapabilityStatement {
  const resources: CapabilityStatementRestResource[] = registry.resourceTypes.map((type) => {
    const params = [...registry.params(type).values()];
    const references = params.filter((p) => p.type === 'reference');
    return {
      type: type as ResourceType,
      profile: `http://hl7.org/fhir/StructureDefinition/${type}`,
      interaction: TYPE_INTERACTIONS.map((code) => ({ code })),
      versioning: 'versioned-update',
      readHistory: true,
      updateCreate: true,
      conditionalCreate: true,
      conditionalRead: 'full-support',
      conditionalUpdate: true,
      conditionalDelete: 'not-supported',
      searchInclude: ['*', ...references.map((p) => `${type}:${p.code}`)],
      searchRevInclude: registry.resourceTypes.flatMap((source) =>
        [...registry.params(source).values()]
          .filter((p) => p.type === 'reference' && (p.targets.length === 0 || p.targets.includes(type)))
          .map((p) => `${source}:${p.code}`),
      ),
      searchParam: [
        { name: '_id', definition: COLUMN_PARAMS._id.url, type: 'token' as const },
        { name: '_lastUpdated', definition: COLUMN_PARAMS._lastUpdated.url, type: 'date' as const },
        ...params.map((p) => ({
          name: p.code,
          definition: p.url,
          type: p.type,
          ...(p.description ? { documentation: p.description.slice(0, 500) } : {}),
        })),
      ],
      operation: [
        { name: 'validate', definition: 'http://hl7.org/fhir/OperationDefinition/Resource-validate' },
        ...(type === 'Measure' ? MEASURE_OPERATIONS : []),
      ],
      ...(type === 'Measure'
        ? { documentation: 'The settlement agreements\' Measures (law, orebro, jamtland-harjedalen, blekinge, vastra-gotaland, jonkoping) are read-only at Measure/{agreement id} and by Measure?url={canonical}; $evaluate-measure settles a calendar month from the stored stays (reportType subject, subject-list or population); store=true keeps the report as MeasureReport/{agreement}-{kommunkod}-{YYYY-MM}, difference=true answers the debit or credit against that stored report.' }
        : {}),
    };
  });
  // The project's own StructureDefinitions, CodeSystems and ValueSets: read-only from code (conformance-ops.ts).
  for (const type of CONFORMANCE_TYPES) {
    resources.push({
      type,
      profile: `http://hl7.org/fhir/StructureDefinition/${type}`,
      interaction: [{ code: 'read' }, { code: 'search-type' }],
      versioning: 'no-version',
      readHistory: false,
      updateCreate: false,
      searchParam: [{ name: 'url', definition: `http://hl7.org/fhir/SearchParameter/conformance-url`, type: 'uri' }],
      operation: conformanceOperations(type),
      documentation: `This server's own ${type} resources, read-only (writes are 405): ${type}/{id}, ${type}?url={canonical} (or canonical|version), and ${type} with no parameters lists them all.`,
    });
  }
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: now.toISOString(),
    publisher: 'samverkan-gateway',
    kind: 'instance',
    software: { name: software.name, version: software.version },
    implementation: { description: 'samverkan-gateway: FHIR R4 for Swedish discharge coordination (Lag 2017:612)', url: baseUrl },
    fhirVersion: '4.0.1',
    format: ['application/fhir+json', 'json'],
    patchFormat: ['application/json-patch+json'],
    rest: [
      {
        mode: 'server',
        documentation:
          'Search: token, string, date, reference and uri parameters; modifiers :missing, :not, :exact, :contains, :text, :below, :above, :[type]; one level of chaining; _include/_revinclude (:iterate); _sort, _count, _offset, _total, _elements, _summary=count|data|true|text. Unknown parameters are refused (400) unless Prefer: handling=lenient.',
        security: {
          cors: false,
          service: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/restful-security-service', code: 'SMART-on-FHIR' }] }],
          description: 'Bearer JWT access tokens (SMART Backend Services), SMART v2 and v1 system/user scopes.',
        },
        resource: resources,
        interaction: SYSTEM_INTERACTIONS.map((code) => ({ code })),
      },
    ],
  };
}
