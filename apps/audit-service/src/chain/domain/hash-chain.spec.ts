import { canonicalJson } from './canonical-json';
import { appendToChain, CHAIN_FORMAT, ChainContent, ChainHead, ChainVerifier, GENESIS_HASH, linkHashOf, sha256Hex, StoredLink } from './hash-chain';

const content = (n: number): ChainContent => ({
  summary: { eventId: `e${n}`, action: 'TokenIssued', occurredAt: '2025-01-01T00:00:00.000Z' },
  detail: { payload: { n }, ip: '10.0.0.1', userAgent: 'curl/8' },
});

/** given: n entries appended from genesis, as the table would hold them */
function givenChain(n: number): StoredLink[] {
  const contents = Array.from({ length: n }, (_, i) => content(i + 1));
  const { links } = appendToChain({ seq: 0, hash: GENESIS_HASH }, contents);
  return links.map((l, i) => ({ ...l, eventId: `e${i + 1}`, summary: contents[i].summary, detail: contents[i].detail }));
}

function verify(links: StoredLink[], head: ChainHead | null = null, after?: ChainHead) {
  const v = new ChainVerifier(after);
  for (const l of links) if (!v.accept(l)) break;
  return { verifier: v, broken: v.finish(head) };
}

describe('hash chain', () => {
  it('hashes a link as the canonical JSON of {v, seq, prevHash, contentHash} (the stored chain format)', () => {
    const prevHash = 'a'.repeat(64);
    const contentHash = 'b'.repeat(64);
    expect(linkHashOf(42, prevHash, contentHash)).toBe(sha256Hex(canonicalJson({ v: CHAIN_FORMAT, seq: 42, prevHash, contentHash })));
  });

  it('links each entry to the previous one, from genesis', () => {
    const links = givenChain(3);
    expect(links.map((l) => l.seq)).toEqual([1, 2, 3]);
    expect(links[0].prevHash).toBe(GENESIS_HASH);
    expect(links[1].prevHash).toBe(links[0].hash);
    expect(links[2].prevHash).toBe(links[1].hash);
  });

  it('continues from a given head, so batches chain like single appends', () => {
    const all = appendToChain({ seq: 0, hash: GENESIS_HASH }, [content(1), content(2), content(3)]);
    const first = appendToChain({ seq: 0, hash: GENESIS_HASH }, [content(1)]);
    const rest = appendToChain(first.head, [content(2), content(3)]);
    expect([...first.links, ...rest.links]).toEqual(all.links);
    expect(rest.head).toEqual(all.head);
  });

  describe(ChainVerifier.name, () => {
    it('accepts an intact chain up to its recorded head', () => {
      const links = givenChain(5);
      const { verifier, broken } = verify(links, { seq: 5, hash: links[4].hash });
      expect(broken).toBeNull();
      expect(verifier.checked).toBe(5);
    });

    it('reports an altered summary at that entry', () => {
      // given an intact chain; when entry 3's action is changed
      const links = givenChain(5);
      links[2] = { ...links[2], summary: { ...links[2].summary, action: 'TokenRevoked' } };
      // then verify stops at entry 3
      expect(verify(links).broken).toMatchObject({ seq: 3, eventId: 'e3', problem: 'content_altered' });
    });

    it('reports an altered detail (payload, IP) at that entry', () => {
      const links = givenChain(5);
      links[1] = { ...links[1], detail: { ...links[1].detail!, ip: '192.0.2.1' } };
      expect(verify(links).broken).toMatchObject({ seq: 2, problem: 'content_altered' });
    });

    it('reports a deleted entry as missing at its position', () => {
      const links = givenChain(5);
      links.splice(3, 1);
      expect(verify(links).broken).toMatchObject({ seq: 4, eventId: null, problem: 'missing_entry' });
    });

    it('reports a re-hashed entry whose successor still points at the old hash', () => {
      // given an attacker who changes entry 2 and recomputes its own hashes
      const links = givenChain(4);
      const forged = appendToChain({ seq: 1, hash: links[0].hash }, [{ summary: { ...links[1].summary, action: 'X' }, detail: links[1].detail! }]);
      links[1] = { ...links[1], ...forged.links[0], summary: { ...links[1].summary, action: 'X' } };
      // then the break shows at entry 3, the first whose link no longer fits
      expect(verify(links).broken).toMatchObject({ seq: 3, problem: 'link_broken' });
    });

    it('reports a truncated tail when the recorded head is beyond the table', () => {
      const links = givenChain(5);
      expect(verify(links.slice(0, 3), { seq: 5, hash: links[4].hash }).broken).toMatchObject({ seq: 4, problem: 'tail_truncated' });
    });

    it('still verifies the links of entries whose detail retention erased', () => {
      const links = givenChain(3).map((l, i) => (i === 1 ? { ...l, detail: null } : l));
      const { verifier, broken } = verify(links);
      expect(broken).toBeNull();
      expect(verifier.erased).toBe(1);
    });

    it('verifies a range, starting after the link before it', () => {
      const links = givenChain(6);
      const { verifier, broken } = verify(links.slice(3), null, { seq: 3, hash: links[2].hash });
      expect(broken).toBeNull();
      expect(verifier.checked).toBe(3);
    });
  });
});
