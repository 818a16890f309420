/**
 * The conversion fund's arithmetic, pure. A fund balance has four fields in integer fen and one
 * invariant that must hold at every instant: total = available + reserved + committed, exactly, and
 * every field ≥ 0. Money only ever moves between the fields (or enters through a top-up); each move
 * below says which fields it touches, and the DynamoDB adapter turns the same move into one conditional
 * update (`available >= :amount` when taking from available, `reserved >= :amount` when taking from
 * reserved), so the store enforces what this module checks.
 */

export interface FundBalance {
  readonly fundId: string;
  readonly totalFen: number;
  readonly availableFen: number;
  readonly reservedFen: number;
  readonly committedFen: number;
}

/**
 * - `reserve`: available → reserved (an allocation, a higher cap, a negotiated fund amount);
 * - `release`: reserved → available (a rejection, a lower cap);
 * - `commit`: reserved → committed (finance approval);
 * - `top_up`: new money → total and available;
 * - `spend`: available → committed at once (a reward by decision the policy pays from the fund, issue 20).
 */
export type FundMove =
  | { readonly kind: 'reserve'; readonly amountFen: number }
  | { readonly kind: 'release'; readonly amountFen: number }
  | { readonly kind: 'commit'; readonly amountFen: number }
  | { readonly kind: 'top_up'; readonly amountFen: number }
  | { readonly kind: 'spend'; readonly amountFen: number };

export class FundInvariantError extends Error {
  override readonly name = 'FundInvariantError';
}

/** The broken parts of the invariant, in words; empty when the balance is sound. */
export function invariantProblems(balance: FundBalance): string[] {
  const problems: string[] = [];
  const { totalFen, availableFen, reservedFen, committedFen } = balance;
  for (const [name, value] of Object.entries({ totalFen, availableFen, reservedFen, committedFen })) {
    if (!Number.isSafeInteger(value)) problems.push(`${name} is not an integer number of fen`);
    else if (value < 0) problems.push(`${name} is negative`);
  }
  if (totalFen !== availableFen + reservedFen + committedFen) {
    problems.push(
      `total ${totalFen} ≠ available ${availableFen} + reserved ${reservedFen} + committed ${committedFen}`,
    );
  }
  return problems;
}

export function assertInvariant(balance: FundBalance): void {
  const problems = invariantProblems(balance);
  if (problems.length > 0) throw new FundInvariantError(`Fund ${balance.fundId}: ${problems.join('; ')}`);
}

/**
 * The balance after a move; throws when the move would break the invariant (taking more than is there).
 * Every allocation transition runs it on the balance it read (`shared/domain/allocation.ts`).
 */
export function applyMove(balance: FundBalance, move: FundMove): FundBalance {
  const amount = move.amountFen;
  if (!Number.isSafeInteger(amount) || amount < 0) {
    throw new FundInvariantError(`A fund move needs a non-negative integer amount of fen, got ${amount}`);
  }
  let next: FundBalance;
  switch (move.kind) {
    case 'reserve':
      next = {
        ...balance,
        availableFen: balance.availableFen - amount,
        reservedFen: balance.reservedFen + amount,
      };
      break;
    case 'release':
      next = {
        ...balance,
        availableFen: balance.availableFen + amount,
        reservedFen: balance.reservedFen - amount,
      };
      break;
    case 'commit':
      next = {
        ...balance,
        reservedFen: balance.reservedFen - amount,
        committedFen: balance.committedFen + amount,
      };
      break;
    case 'top_up':
      next = { ...balance, totalFen: balance.totalFen + amount, availableFen: balance.availableFen + amount };
      break;
    case 'spend':
      next = {
        ...balance,
        availableFen: balance.availableFen - amount,
        committedFen: balance.committedFen + amount,
      };
      break;
  }
  assertInvariant(next);
  return next;
}

/** What the availability alarm watches: available as a percentage of total (100 for an empty fund). */
export function availablePercent(balance: FundBalance): number {
  if (balance.totalFen === 0) return 100;
  return Math.round((balance.availableFen / balance.totalFen) * 10_000) / 100;
}
