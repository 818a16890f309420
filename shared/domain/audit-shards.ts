import type { ChainHead } from '#shared/schemas/audit-entry.ts';

/**
 * How the audit trail is split into hash chains (issue 18). With one shard the trail is the single chain
 * `<base>` (the design before sharding). With more, writers append to `<base>.0` … `<base>.<n−1>`, and
 * `<base>` itself stays as the chain written before sharding, read and verified like the others and never
 * appended to again.
 *
 * A chain is picked by writer, not by subject: each writer holds the chains it last wrote, with their
 * heads (see {@link ChainLeases}). An append then needs no read of the head, and two writers meet on a
 * head only when they picked the same chain, after which the loser moves to another. Sharding by subject
 * kept one lead's entries in one chain but made every append read its head, and any two subjects hashing
 * to one shard raced for it. The entries of one subject are still ordered: each step of a lead is written
 * after the one before committed, and `at` orders them across chains.
 */

/** Every chain of the trail: `<base>` first, then the shards in order (none with one shard). */
export function chainsOf(base: string, shards: number): string[] {
  if (shards <= 1) return [base];
  return [base, ...Array.from({ length: shards }, (_, index) => `${base}.${index}`)];
}

/** The chains new entries are appended to: the single chain, or the shards (never the chain of before). */
export function writableChainsOf(base: string, shards: number): string[] {
  const chains = chainsOf(base, shards);
  return shards <= 1 ? chains : chains.slice(1);
}

/** The name of the chain of global digests over every chain's head. */
export function digestChainOf(base: string): string {
  return `${base}:digests`;
}

/** A chain handed to one append, with its head when this writer knows it (undefined: read it). */
export interface ChainLease {
  readonly chain: string;
  readonly head: ChainHead | undefined;
}

/**
 * The chains one writer (a process, or a Lambda instance across its invocations) appends to. An append
 * takes a chain nobody else in this writer is using, preferring the one it held last with the head it
 * wrote there, and gives it back with the new head. A head known here is only a guess: the append's
 * condition on the stored head catches another writer that moved it, and the loser drops the chain and
 * takes another, so writers spread over the chains by themselves.
 */
export class ChainLeases {
  readonly #chains: readonly string[];
  readonly #random: () => number;
  /** Chains held and idle, the most recently given back last, with the head written there. */
  readonly #held = new Map<string, ChainHead | undefined>();
  readonly #inUse = new Set<string>();

  constructor(chains: readonly string[], random: () => number = Math.random) {
    if (chains.length === 0) throw new Error('ChainLeases: no chain to append to');
    this.#chains = chains;
    this.#random = random;
  }

  /** A chain for one append; never `avoid` (the chain just lost) unless it is the only one. */
  take(avoid?: string): ChainLease {
    const held = [...this.#held].reverse().find(([chain]) => chain !== avoid);
    if (held !== undefined) {
      const [chain, head] = held;
      this.#held.delete(chain);
      this.#inUse.add(chain);
      return { chain, head };
    }
    const free = this.#chains.filter((chain) => chain !== avoid && !this.#inUse.has(chain));
    // More appends at once than chains: share one; the head's condition keeps the chain whole.
    const pool = free.length > 0 ? free : this.#chains.filter((chain) => chain !== avoid);
    const candidates = pool.length > 0 ? pool : this.#chains;
    const chain = candidates[Math.floor(this.#random() * candidates.length)] as string;
    this.#inUse.add(chain);
    return { chain, head: undefined };
  }

  /** The append is over: keep the chain with the head now stored (undefined when not known for sure). */
  release(chain: string, head: ChainHead | undefined): void {
    this.#inUse.delete(chain);
    this.#held.delete(chain);
    this.#held.set(chain, head);
  }

  /** Another writer moved this chain's head: let it go, so the next append takes another chain. */
  drop(chain: string): void {
    this.#inUse.delete(chain);
    this.#held.delete(chain);
  }
}
