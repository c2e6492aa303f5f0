import { invalidFilter } from './scim.error';

/** A parsed SCIM filter (RFC 7644 §3.4.2.2). */
export type Filter =
  | { kind: 'and' | 'or'; left: Filter; right: Filter }
  | { kind: 'not'; inner: Filter }
  | { kind: 'cmp'; attr: string; op: CompareOp; value: string | number | boolean | null }
  | { kind: 'pr'; attr: string };

export type CompareOp = 'eq' | 'ne' | 'co' | 'sw' | 'ew' | 'gt' | 'ge' | 'lt' | 'le';
const COMPARE_OPS = new Set<string>(['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le']);

/** Which attributes a filter may name, by lower-case path, with their canonical path and case sensitivity. */
export type FilterAttributes = Record<string, { path: string; caseExact: boolean }>;

type Token = { t: 'word'; v: string } | { t: 'str'; v: string } | { t: '(' } | { t: ')' } | { t: '[' } | { t: ']' };

const MAX_FILTER = 2000;

function tokenize(input: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const c = input[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
    } else if (c === '(' || c === ')' || c === '[' || c === ']') {
      out.push({ t: c });
      i++;
    } else if (c === '"') {
      let j = i + 1;
      let raw = '"';
      while (j < input.length && input[j] !== '"') {
        if (input[j] === '\\') raw += input[j++];
        if (j < input.length) raw += input[j++];
      }
      if (j >= input.length) throw invalidFilter('unterminated string in filter');
      raw += '"';
      try {
        out.push({ t: 'str', v: JSON.parse(raw) as string });
      } catch {
        throw invalidFilter(`invalid string ${raw.slice(0, 40)} in filter`);
      }
      i = j + 1;
    } else {
      let j = i;
      while (j < input.length && !/[\s()[\]"]/.test(input[j])) j++;
      out.push({ t: 'word', v: input.slice(i, j) });
      i = j;
    }
  }
  return out;
}

/** Parses a filter, checking every attribute against `attributes`; anything wrong is a SCIM invalidFilter. */
export function parseFilter(input: string, attributes: FilterAttributes): Filter {
  if (input.length > MAX_FILTER) throw invalidFilter(`filter longer than ${MAX_FILTER} characters`);
  const tokens = tokenize(input);
  let pos = 0;
  const peekWord = (): string | null => {
    const tok = tokens[pos];
    return tok?.t === 'word' ? tok.v.toLowerCase() : null;
  };
  const attrOf = (raw: string): string => {
    const known = attributes[raw.toLowerCase()];
    if (!known) throw invalidFilter(`unknown or unsupported attribute "${raw.slice(0, 60)}" in filter`);
    return known.path;
  };

  const parseOr = (): Filter => {
    let left = parseAnd();
    while (peekWord() === 'or') {
      pos++;
      left = { kind: 'or', left, right: parseAnd() };
    }
    return left;
  };
  const parseAnd = (): Filter => {
    let left = parseUnary();
    while (peekWord() === 'and') {
      pos++;
      left = { kind: 'and', left, right: parseUnary() };
    }
    return left;
  };
  const parseUnary = (): Filter => {
    const tok = tokens[pos];
    if (!tok) throw invalidFilter('filter ends early');
    if (tok.t === '(') {
      pos++;
      const inner = parseOr();
      if (tokens[pos]?.t !== ')') throw invalidFilter('missing ")" in filter');
      pos++;
      return inner;
    }
    if (tok.t === 'word' && tok.v.toLowerCase() === 'not') {
      pos++;
      if (tokens[pos]?.t !== '(') throw invalidFilter('"not" must be followed by "("');
      return { kind: 'not', inner: parseUnary() };
    }
    if (tok.t !== 'word') throw invalidFilter('expected an attribute name in filter');
    pos++;
    if (tokens[pos]?.t === '[') throw invalidFilter('value filters (attr[...]) are not supported in filter');
    const attr = attrOf(tok.v);
    const opTok = tokens[pos++];
    if (opTok?.t !== 'word') throw invalidFilter(`expected an operator after "${tok.v}"`);
    const op = opTok.v.toLowerCase();
    if (op === 'pr') return { kind: 'pr', attr };
    if (!COMPARE_OPS.has(op)) throw invalidFilter(`unknown operator "${opTok.v.slice(0, 20)}" in filter`);
    const valTok = tokens[pos++];
    if (!valTok) throw invalidFilter(`missing value after "${tok.v} ${opTok.v}"`);
    let value: string | number | boolean | null;
    if (valTok.t === 'str') value = valTok.v;
    else if (valTok.t === 'word' && /^(true|false)$/i.test(valTok.v)) value = valTok.v.toLowerCase() === 'true';
    else if (valTok.t === 'word' && valTok.v.toLowerCase() === 'null') value = null;
    else if (valTok.t === 'word' && /^-?\d+(\.\d+)?$/.test(valTok.v)) value = Number(valTok.v);
    else throw invalidFilter(`invalid value after "${tok.v} ${opTok.v}" (strings need double quotes)`);
    return { kind: 'cmp', attr, op: op as CompareOp, value };
  };

  if (tokens.length === 0) throw invalidFilter('empty filter');
  const filter = parseOr();
  if (pos !== tokens.length) throw invalidFilter(`unexpected "${JSON.stringify(tokens[pos]).slice(0, 40)}" in filter`);
  return filter;
}

/** The values at a dotted path; multi-valued attributes (arrays) are flattened. */
function valuesAt(resource: unknown, path: string): unknown[] {
  let current: unknown[] = [resource];
  for (const part of path.split('.')) {
    const next: unknown[] = [];
    for (const c of current) {
      const items = Array.isArray(c) ? c : [c];
      for (const item of items) {
        if (item && typeof item === 'object') {
          const v = (item as Record<string, unknown>)[part];
          if (v !== undefined && v !== null) next.push(v);
        }
      }
    }
    current = next;
  }
  return current.flatMap((v) => (Array.isArray(v) ? v : [v])).map((v) => (v && typeof v === 'object' && 'value' in v ? (v as { value: unknown }).value : v));
}

function compare(actual: unknown, op: CompareOp, expected: string | number | boolean | null, caseExact: boolean): boolean {
  if (expected === null) return op === 'eq' ? actual === null || actual === undefined : op === 'ne' ? actual !== null && actual !== undefined : false;
  if (typeof expected === 'boolean' || typeof expected === 'number') {
    if (op === 'eq') return actual === expected;
    if (op === 'ne') return actual !== expected;
    if (typeof expected === 'number' && typeof actual === 'number') {
      return op === 'gt' ? actual > expected : op === 'ge' ? actual >= expected : op === 'lt' ? actual < expected : op === 'le' ? actual <= expected : false;
    }
    return false;
  }
  if (typeof actual !== 'string') return op === 'ne';
  const a = caseExact ? actual : actual.toLowerCase();
  const e = caseExact ? expected : expected.toLowerCase();
  switch (op) {
    case 'eq': return a === e;
    case 'ne': return a !== e;
    case 'co': return a.includes(e);
    case 'sw': return a.startsWith(e);
    case 'ew': return a.endsWith(e);
    case 'gt': return a > e;
    case 'ge': return a >= e;
    case 'lt': return a < e;
    case 'le': return a <= e;
  }
}

/** Does the (SCIM JSON) resource match the filter? */
export function matchesFilter(resource: unknown, filter: Filter, attributes: FilterAttributes): boolean {
  switch (filter.kind) {
    case 'and': return matchesFilter(resource, filter.left, attributes) && matchesFilter(resource, filter.right, attributes);
    case 'or': return matchesFilter(resource, filter.left, attributes) || matchesFilter(resource, filter.right, attributes);
    case 'not': return !matchesFilter(resource, filter.inner, attributes);
    case 'pr': return valuesAt(resource, filter.attr).some((v) => v !== '' && v !== null);
    case 'cmp': {
      const caseExact = attributes[filter.attr.toLowerCase()]?.caseExact ?? false;
      const values = valuesAt(resource, filter.attr);
      if (filter.op === 'ne') return values.length === 0 ? filter.value !== null : values.every((v) => compare(v, 'ne', filter.value, caseExact));
      if (values.length === 0) return compare(undefined, filter.op, filter.value, caseExact);
      return values.some((v) => compare(v, filter.op, filter.value, caseExact));
    }
  }
}

/** `userName eq "x"`: the one filter IdPs send all the time, answered from an index instead of a scan. */
export function equalityOn(filter: Filter, path: string): string | null {
  return filter.kind === 'cmp' && filter.op === 'eq' && filter.attr === path && typeof filter.value === 'string' ? filter.value : null;
}
