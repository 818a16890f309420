import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type AllocationAsk,
  type AllocationStep,
  adjust,
  claim,
  commit,
  type FundSnapshot,
  heldFen,
  isFinal,
  isRefusal,
  negotiate,
  release,
  serve,
} from '#shared/domain/allocation.ts';
import { FundInvariantError, invariantProblems } from '#shared/domain/fund.ts';
import type { Allocation, WaitlistEntry } from '#shared/schemas/fund.ts';

/**
 * The allocation transitions against a model of the store: `write` applies a step only when every
 * condition the DynamoDB adapter puts in the transaction holds on the current state (balance conditions,
 * guards, the allocation exactly as read, the waitlist entry present or absent), so a step computed on a
 * stale read is refused exactly as in the table. No DynamoDB Local needed.
 */

const FUND = 'f';
const AT = '2026-01-01T00:00:00.000Z';

interface Model {
  fund: FundSnapshot;
  allocations: Map<string, Allocation>;
  waitlist: Map<string, WaitlistEntry>;
  duplicates: Set<string>;
  /** Every grant from available, with what waited at that moment: checked for order. */
  violations: string[];
}

const keyOf = (entry: Pick<WaitlistEntry, 'evaluatedAt' | 'leadId'>) =>
  `${entry.evaluatedAt}#${entry.leadId}`;

function fresh(totalFen: number): Model {
  return {
    fund: {
      fundId: FUND,
      totalFen,
      availableFen: totalFen,
      reservedFen: 0,
      committedFen: 0,
      waitingCount: 0,
    },
    allocations: new Map(),
    waitlist: new Map(),
    duplicates: new Set(),
    violations: [],
  };
}

function head(model: Model): WaitlistEntry | undefined {
  return [...model.waitlist.values()].sort((a, b) => keyOf(a).localeCompare(keyOf(b)))[0];
}

/** The store: all or nothing, under the same conditions as `DynamoFundStore.apply`. */
function write(model: Model, step: AllocationStep): boolean {
  const { fund } = model;
  const move = step.move;
  if (move?.kind === 'reserve' && fund.availableFen < move.amountFen) return false;
  if ((move?.kind === 'release' || move?.kind === 'commit') && fund.reservedFen < move.amountFen)
    return false;
  if (step.guard?.kind === 'take_if_waiting_at_most' && fund.waitingCount > step.guard.waiting) return false;
  if (step.guard?.kind === 'join_if_nothing_to_take' && !(fund.availableFen === 0 || fund.waitingCount > 0)) {
    return false;
  }
  const stored = model.allocations.get(step.after.leadId);
  if (step.before === undefined ? stored !== undefined : !sameAsRead(stored, step.before)) return false;
  const waitlist = step.waitlist;
  if (waitlist !== undefined) {
    const present = model.waitlist.has(keyOf(waitlist.entry));
    if (waitlist.kind === 'join' ? present : !present) return false;
  }
  // Grants from available go to the head of the waitlist, or to anyone only while nobody waits.
  if (move?.kind === 'reserve') {
    const first = head(model);
    const servesHead = step.outcome === 'served' && first?.leadId === step.after.leadId;
    const othersWait = [...model.waitlist.values()].some((e) => e.leadId !== step.after.leadId);
    if (!servesHead && othersWait)
      model.violations.push(`${step.after.leadId} took money ahead of the waitlist`);
  }
  const amount = move?.amountFen ?? 0;
  const next = { ...fund };
  if (move?.kind === 'reserve')
    Object.assign(next, { availableFen: next.availableFen - amount, reservedFen: next.reservedFen + amount });
  if (move?.kind === 'release')
    Object.assign(next, { availableFen: next.availableFen + amount, reservedFen: next.reservedFen - amount });
  if (move?.kind === 'commit')
    Object.assign(next, { reservedFen: next.reservedFen - amount, committedFen: next.committedFen + amount });
  if (waitlist?.kind === 'join') next.waitingCount += 1;
  if (waitlist?.kind === 'leave') next.waitingCount -= 1;
  model.fund = next;
  model.allocations.set(step.after.leadId, step.after);
  if (waitlist?.kind === 'leave') model.waitlist.delete(keyOf(waitlist.entry));
  else if (waitlist !== undefined) model.waitlist.set(keyOf(waitlist.entry), waitlist.entry);
  return true;
}

function sameAsRead(stored: Allocation | undefined, read: Allocation): boolean {
  return (
    stored !== undefined &&
    stored.revision === read.revision &&
    stored.state === read.state &&
    stored.reservedFen === read.reservedFen &&
    stored.wantFen === read.wantFen &&
    stored.committedFen === read.committedFen
  );
}

/** What `serveWaitlist` does: the head, while money is available. */
function serveAll(model: Model): void {
  for (let i = 0; i < 100; i += 1) {
    const first = head(model);
    if (first === undefined || model.fund.availableFen <= 0) return;
    const current = model.allocations.get(first.leadId);
    const step = current?.waitingSince === first.evaluatedAt ? serve(current, model.fund, AT) : undefined;
    if (step === undefined) throw new Error(`orphan waitlist entry ${first.leadId}`);
    write(model, step);
  }
}

type Op =
  | { kind: 'decide'; lead: number; capFen: number; stale: boolean }
  | { kind: 'approve'; lead: number }
  /** `serve: false` is a crash after the release, before the waitlist was served. */
  | { kind: 'reject'; lead: number; serve: boolean }
  | { kind: 'negotiate'; lead: number; fundFen: number }
  | { kind: 'top_up'; amountFen: number };

const LEADS = 8;
const leadIdOf = (index: number) => `ld_${index}`;
/** Leads 6 and 7 duplicate a project already registered. */
const isDuplicate = (index: number) => index >= 6;

const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('decide' as const),
      lead: fc.nat(LEADS - 1),
      capFen: fc.integer({ min: 0, max: 600 }),
      stale: fc.boolean(),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('approve' as const), lead: fc.nat(LEADS - 1) }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('reject' as const),
      lead: fc.nat(LEADS - 1),
      serve: fc.boolean(),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('negotiate' as const),
      lead: fc.nat(LEADS - 1),
      fundFen: fc.integer({ min: 0, max: 600 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('top_up' as const),
      amountFen: fc.integer({ min: 1, max: 500 }),
    }),
  },
);

function run(total: number, ops: readonly Op[]): Model {
  const model = fresh(total);
  const revisions = new Map<string, number>();
  let clock = 0;
  for (const op of ops) {
    if (op.kind === 'top_up') {
      model.fund = {
        ...model.fund,
        totalFen: model.fund.totalFen + op.amountFen,
        availableFen: model.fund.availableFen + op.amountFen,
      };
      serveAll(model);
      continue;
    }
    const leadId = leadIdOf(op.lead);
    const duplicate = isDuplicate(op.lead);
    if (duplicate) model.duplicates.add(leadId);
    const current = model.allocations.get(leadId);
    if (op.kind === 'decide') {
      const revision = (revisions.get(leadId) ?? 0) + 1;
      revisions.set(leadId, revision);
      clock += 1;
      const ask: AllocationAsk = {
        fundId: FUND,
        leadId,
        revision,
        capFen: op.capFen,
        evaluatedAt: `2026-01-01T00:00:${String(clock).padStart(2, '0')}.${String(clock).padStart(3, '0')}Z`,
        duplicate,
      };
      if (current === undefined) serveAll(model);
      // A stale read: the fund as it was before up to 100 fen were reserved and before anyone waited.
      const taken = Math.min(100, model.fund.reservedFen);
      const seen = op.stale
        ? {
            ...model.fund,
            availableFen: model.fund.availableFen + taken,
            reservedFen: model.fund.reservedFen - taken,
            waitingCount: 0,
          }
        : model.fund;
      let step: AllocationStep | undefined;
      try {
        step = current === undefined ? claim(ask, seen, AT) : adjust(current, ask, seen, AT);
      } catch (error) {
        // Reads that no longer agree (the claim holds more than the stale balance shows): read again.
        if (!(op.stale && error instanceof FundInvariantError)) throw error;
      }
      if (step !== undefined && !write(model, step) && !op.stale) throw new Error('a fresh step was refused');
    } else if (op.kind === 'approve') {
      const step = commit(current, model.fund, AT);
      if (step !== undefined) write(model, step);
    } else if (op.kind === 'reject') {
      const step = release(
        current,
        { fundId: FUND, leadId, revision: current?.revision ?? 1 },
        model.fund,
        AT,
      );
      if (step !== undefined) write(model, step);
      if (!op.serve) continue;
    } else {
      const result = negotiate(
        current,
        { fundId: FUND, leadId, revision: current?.revision ?? 1, fundFen: op.fundFen, duplicate },
        model.fund,
        AT,
      );
      if (!isRefusal(result)) write(model, result);
    }
    serveAll(model);
  }
  return model;
}

function expectSound(model: Model): void {
  const { fund } = model;
  expect(invariantProblems(fund)).toEqual([]);
  const all = [...model.allocations.values()];
  expect(all.reduce((sum, a) => sum + a.reservedFen, 0)).toBe(fund.reservedFen);
  expect(all.reduce((sum, a) => sum + a.committedFen, 0)).toBe(fund.committedFen);
  const waiting = all.filter((a) => a.state === 'waitlisted');
  expect(model.waitlist.size).toBe(waiting.length);
  expect(fund.waitingCount).toBe(waiting.length);
  for (const a of waiting)
    expect(model.waitlist.has(keyOf({ evaluatedAt: a.waitingSince ?? '', leadId: a.leadId }))).toBe(true);
  for (const leadId of model.duplicates) expect(heldFen(model.allocations.get(leadId))).toBe(0);
  // Money never sits idle while someone waits, and nobody overtook the waitlist.
  if (fund.availableFen > 0) expect(model.waitlist.size).toBe(0);
  expect(model.violations).toEqual([]);
}

describe('allocation transitions', () => {
  it('keep total = available + reserved + committed, serve in order and never pay a duplicate, for any sequence', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_000 }), fc.array(opArb, { maxLength: 80 }), (total, ops) => {
        const model = run(total, ops);
        expect(model.violations).toEqual([]);
        serveAll(model); // what the reconciler does after a crash
        expectSound(model);
      }),
      { numRuns: 1000 },
    );
  });

  it('grants min(cap, available) to a first claim and waitlists one that gets nothing', () => {
    const model = run(1_000, [
      { kind: 'decide', lead: 0, capFen: 600, stale: false },
      { kind: 'decide', lead: 1, capFen: 600, stale: false },
      { kind: 'decide', lead: 2, capFen: 300, stale: false },
    ]);
    expect(model.allocations.get('ld_0')).toMatchObject({ state: 'reserved', reservedFen: 600 });
    expect(model.allocations.get('ld_1')).toMatchObject({ state: 'reserved', reservedFen: 400 });
    expect(model.allocations.get('ld_2')).toMatchObject({
      state: 'waitlisted',
      reservedFen: 0,
      wantFen: 300,
    });
  });

  it('treats a waiting claim and a held one the same when the cap falls to 0: both keep their record and can grow again', () => {
    const model = run(500, [
      { kind: 'decide', lead: 0, capFen: 500, stale: false },
      { kind: 'decide', lead: 1, capFen: 200, stale: false }, // waits
      { kind: 'decide', lead: 0, capFen: 0, stale: false }, // held → 0: releases 500, lead 1 is served
      { kind: 'decide', lead: 2, capFen: 400, stale: false }, // takes 300
      { kind: 'decide', lead: 3, capFen: 100, stale: false }, // waits
      { kind: 'decide', lead: 3, capFen: 0, stale: false }, // waiting → 0: leaves the waitlist, keeps its record
    ]);
    expect(model.allocations.get('ld_0')).toMatchObject({ state: 'reserved', reservedFen: 0, revision: 2 });
    expect(model.allocations.get('ld_3')).toMatchObject({ state: 'reserved', reservedFen: 0, revision: 2 });
    const grown = run(500, [
      { kind: 'decide', lead: 3, capFen: 500, stale: false },
      { kind: 'decide', lead: 4, capFen: 100, stale: false }, // waits
      { kind: 'decide', lead: 4, capFen: 0, stale: false },
      { kind: 'top_up', amountFen: 100 },
      { kind: 'decide', lead: 4, capFen: 100, stale: false }, // grows again
    ]);
    expect(grown.allocations.get('ld_4')).toMatchObject({ state: 'reserved', reservedFen: 100, revision: 3 });
  });

  it('lets a held claim whose cap rises wait behind the waitlist instead of taking the money first', () => {
    const model = fresh(1_000);
    const ask = (leadId: string, revision: number, capFen: number, second: number): AllocationAsk => ({
      fundId: FUND,
      leadId,
      revision,
      capFen,
      evaluatedAt: `2026-01-01T00:00:0${second}.000Z`,
      duplicate: false,
    });
    write(model, claim(ask('a', 1, 1_000, 1), model.fund, AT) as AllocationStep);
    write(model, claim(ask('b', 1, 300, 2), model.fund, AT) as AllocationStep); // waits for 300
    // 200 comes back to available while b waits (a release that has not served yet).
    model.fund = { ...model.fund, totalFen: model.fund.totalFen + 200, availableFen: 200 };
    const rise = adjust(model.allocations.get('a') as Allocation, ask('a', 2, 1_500, 3), model.fund, AT);
    expect(rise?.move).toBeUndefined();
    expect(rise?.after).toMatchObject({ state: 'waitlisted', reservedFen: 1_000, wantFen: 500 });
    expect(write(model, rise as AllocationStep)).toBe(true);
    serveAll(model);
    expect(model.allocations.get('b')).toMatchObject({ state: 'reserved', reservedFen: 200 });
    expect(model.violations).toEqual([]);
  });

  it('refuses a negotiated fund amount for a duplicate project and more than the fund can give', () => {
    const model = fresh(1_000);
    const terms = { fundId: FUND, leadId: 'd', revision: 1, fundFen: 1, duplicate: true };
    expect(negotiate(undefined, terms, model.fund, AT)).toMatchObject({ refused: 'duplicate_project' });
    expect(negotiate(undefined, { ...terms, fundFen: 0 }, model.fund, AT)).toMatchObject({
      outcome: 'negotiated',
    });
    expect(
      negotiate(undefined, { ...terms, duplicate: false, fundFen: 1_001 }, model.fund, AT),
    ).toMatchObject({
      refused: 'fund_insufficient',
    });
  });

  it('makes committed and released claims final', () => {
    const model = run(1_000, [
      { kind: 'decide', lead: 0, capFen: 400, stale: false },
      { kind: 'approve', lead: 0 },
      { kind: 'decide', lead: 1, capFen: 400, stale: false },
      { kind: 'reject', lead: 1, serve: true },
    ]);
    const committed = model.allocations.get('ld_0') as Allocation;
    const released = model.allocations.get('ld_1') as Allocation;
    expect(isFinal(committed) && isFinal(released)).toBe(true);
    expect(
      adjust(
        committed,
        { fundId: FUND, leadId: 'ld_0', revision: 9, capFen: 900, evaluatedAt: AT, duplicate: false },
        model.fund,
        AT,
      ),
    ).toBeUndefined();
    expect(model.fund).toMatchObject({ availableFen: 600, reservedFen: 0, committedFen: 400 });
  });
});
