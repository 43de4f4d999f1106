import type { Bundle, Resource } from '@medplum/fhirtypes';

/** A search's answer: the matches with their full URLs, and the link to the next page when there is one. */
export function searchBundle<T extends Resource>(base: string, self: string, resources: T[], next?: string): Bundle<T> {
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    ...(next ? {} : { total: resources.length }),
    link: [{ relation: 'self', url: self }, ...(next ? [{ relation: 'next', url: next }] : [])],
    entry: resources.map((resource) => ({
      ...(resource.id ? { fullUrl: `${base}/${resource.resourceType}/${resource.id}` } : {}),
      resource,
      search: { mode: 'match' },
    })),
  };
}
