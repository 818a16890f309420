import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  applyMove,
  availablePercent,
  type FundBalance,
  FundInvariantError,
  invariantProblems,
} from '#shared/domain/fund.ts';

const fresh = (totalFen: number): FundBalance => ({
  fundId: 'f',
  totalFen,
  availableFen: totalFen,
  reservedFen: 0,
  committedFen: 0,
});

describe('fund arithmetic', () => {
  it('moves money between available, reserved and committed, keeping the total', () => {
    let balance = fresh(1000);
    balance = applyMove(balance, { kind: 'reserve', amountFen: 600 });
    balance = applyMove(balance, { kind: 'commit', amountFen: 400 });
    balance = applyMove(balance, { kind: 'release', amountFen: 200 });
    balance = applyMove(balance, { kind: 'top_up', amountFen: 50 });
    expect(balance).toEqual({
      fundId: 'f',
      totalFen: 1050,
      availableFen: 650,
      reservedFen: 0,
      committedFen: 400,
    });
  });

  it('refuses to reserve more than is available or release more than is reserved', () => {
    expect(() => applyMove(fresh(100), { kind: 'reserve', amountFen: 101 })).toThrow(FundInvariantError);
    expect(() => applyMove(fresh(100), { kind: 'release', amountFen: 1 })).toThrow(FundInvariantError);
    expect(() => applyMove(fresh(100), { kind: 'commit', amountFen: 1 })).toThrow(FundInvariantError);
    expect(() => applyMove(fresh(100), { kind: 'reserve', amountFen: 0.5 })).toThrow(FundInvariantError);
  });

  it('names a broken invariant', () => {
    expect(invariantProblems({ ...fresh(100), availableFen: 90 })).toEqual([
      'total 100 ≠ available 90 + reserved 0 + committed 0',
    ]);
    expect(invariantProblems({ ...fresh(0), availableFen: -1, reservedFen: 1 })).toContain(
      'availableFen is negative',
    );
  });

  it('keeps the invariant under any sequence of valid moves', () => {
    const move = fc.record({
      kind: fc.constantFrom('reserve', 'release', 'commit', 'top_up' as const),
      amountFen: fc.integer({ min: 0, max: 1_000 }),
    });
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000 }), fc.array(move, { maxLength: 40 }), (total, moves) => {
        let balance = fresh(total);
        for (const m of moves) {
          try {
            balance = applyMove(balance, m);
          } catch (error) {
            if (!(error instanceof FundInvariantError)) throw error;
          }
          expect(invariantProblems(balance)).toEqual([]);
        }
      }),
    );
  });

  it('reports availability as a percentage of the total', () => {
    expect(
      availablePercent({ ...fresh(6_000_000_000), availableFen: 1_500_000_000, reservedFen: 4_500_000_000 }),
    ).toBe(25);
    expect(availablePercent(fresh(0))).toBe(100);
  });
});
