import { ScimError } from './domain/scim.error';
import { Json } from './domain/scim-resource';
import { SCHEMAS } from './domain/scim-schema';

export interface ListParams {
  filter?: string;
  startIndex: number;
  count: number;
  attributes: string[] | null;
  excludedAttributes: string[];
}

const MAX_COUNT = 1000;

function intParam(raw: unknown, name: string, fallback: number): number {
  if (raw === undefined || raw === '') return fallback;
  if (typeof raw !== 'string' || !/^-?\d{1,9}$/.test(raw)) throw new ScimError(400, 'invalidValue', `${name} must be an integer`);
  return Number(raw);
}

const list = (raw: unknown): string[] | null =>
  typeof raw === 'string' && raw.trim() !== '' ? raw.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean) : null;

/** startIndex is 1-based (below 1 means 1); count is capped at 1000 and below 0 means 0 (RFC 7644 §3.4.2.4). */
export function listParams(query: Record<string, unknown>): ListParams {
  const q = Object.fromEntries(Object.entries(query).map(([k, v]) => [k.toLowerCase(), Array.isArray(v) ? v[0] : v]));
  if (q.filter !== undefined && typeof q.filter !== 'string') throw new ScimError(400, 'invalidFilter', 'filter must be given once');
  return {
    filter: q.filter as string | undefined,
    startIndex: Math.max(1, intParam(q.startindex, 'startIndex', 1)),
    count: Math.min(MAX_COUNT, Math.max(0, intParam(q.count, 'count', 100))),
    attributes: list(q.attributes),
    excludedAttributes: list(q.excludedattributes) ?? [],
  };
}

const ALWAYS = new Set(['schemas', 'id', 'meta']);

/** `attributes` / `excludedAttributes` on top-level attributes (id, schemas and meta are always returned). */
export function project(resource: Json, params: Pick<ListParams, 'attributes' | 'excludedAttributes'>): Json {
  const top = (a: string) => a.split('.')[0].replace(/^urn:.*:/, '');
  const include = params.attributes?.map(top) ?? null;
  const exclude = params.excludedAttributes.map(top);
  return Object.fromEntries(
    Object.entries(resource).filter(([k]) => {
      const lk = k.toLowerCase();
      if (ALWAYS.has(lk)) return true;
      if (include) return include.includes(lk);
      return !exclude.includes(lk);
    }),
  );
}

export function listResponse(all: Json[], params: ListParams): Json {
  const page = all.slice(params.startIndex - 1, params.startIndex - 1 + params.count);
  return {
    schemas: [SCHEMAS.listResponse],
    totalResults: all.length,
    startIndex: params.startIndex,
    itemsPerPage: page.length,
    Resources: page.map((r) => project(r, params)),
  };
}
