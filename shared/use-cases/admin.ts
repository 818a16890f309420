/**
 * Policy admin (管委会): publish a policy version, open a fund, top one up. Every action is one
 * transaction with its audit entry. A published version is never edited: the same version again is a
 * conflict, and so is a second version taking effect at the very same instant (selection would be
 * ambiguous). An effective date before existing decisions is allowed: those decisions keep, and replay
 * with, the version they recorded.
 */
import type { Principal } from '#shared/auth/principal.ts';
import { hashCanonical } from '#shared/domain/canonical-json.ts';
import { availablePercent } from '#shared/domain/fund.ts';
import { formatFen } from '#shared/domain/money.ts';
import { ConflictError, type LocalText, NotFoundError, ValidationError } from '#shared/errors.ts';
import type { Policy } from '#shared/policy/policy-schema.ts';
import { effectiveFromMillis } from '#shared/policy/select-policy.ts';
import type { PolicyPublisher, PolicyStore } from '#shared/ports/policies.ts';
import type { FundView } from '#shared/schemas/fund.ts';
import { type FundDeps, reportAvailability, serveWaitlist } from './allocate-fund.ts';

const ADMIN = (principal: Principal) => ({ userId: principal.userId, role: 'admin' });

export async function publishPolicy(
  deps: { policies: PolicyStore; publisher: PolicyPublisher; clock: FundDeps['clock'] },
  command: { principal: Principal; policy: Policy },
): Promise<{ version: string; effectiveFrom: string; policyHash: string }> {
  const { policy } = command;
  const existing = await deps.policies.all();
  if (existing.some((p) => p.version === policy.version)) {
    throw new ConflictError('version_exists', {
      zh: `政策版本 ${policy.version} 已发布；请发布新版本。`,
      en: `Policy version ${policy.version} is published already; publish a new version.`,
    });
  }
  const from = effectiveFromMillis(policy.effectiveFrom);
  const clash = existing.find((p) => effectiveFromMillis(p.effectiveFrom) === from);
  if (clash !== undefined) {
    throw new ConflictError('effective_date_taken', {
      zh: `版本 ${clash.version} 已在同一时刻生效。`,
      en: `Version ${clash.version} already takes effect at that instant.`,
    });
  }
  const at = deps.clock.now().toISOString();
  const policyHash = hashCanonical(policy);
  const outcome = await deps.publisher.publishAudited(policy, {
    at,
    actor: ADMIN(command.principal),
    action: 'policy.published',
    subject: `policy:${policy.version}`,
    inputHash: policyHash,
    policyVersion: policy.version,
    details: { version: policy.version, effectiveFrom: policy.effectiveFrom, policyHash },
  });
  if (outcome === 'version_exists') {
    throw new ConflictError('version_exists', {
      zh: `政策版本 ${policy.version} 已发布。`,
      en: `Policy version ${policy.version} is published already.`,
    });
  }
  return { version: policy.version, effectiveFrom: policy.effectiveFrom, policyHash };
}

export async function openFund(
  deps: FundDeps,
  command: { principal: Principal; fundId: string; totalFen: number },
): Promise<FundView> {
  const at = deps.clock.now().toISOString();
  const outcome = await deps.funds.open(
    { fundId: command.fundId, totalFen: command.totalFen, at },
    {
      at,
      actor: ADMIN(command.principal),
      action: 'fund.opened',
      subject: `fund:${command.fundId}`,
      inputHash: null,
      policyVersion: null,
      details: { fundId: command.fundId, totalFen: command.totalFen },
    },
  );
  if (outcome === 'exists') {
    throw new ConflictError('fund_exists', {
      zh: `基金 ${command.fundId} 已设立。`,
      en: `Fund ${command.fundId} is open already.`,
    });
  }
  await reportAvailability(deps, command.fundId);
  return getFund(deps, command.fundId);
}

export async function topUpFund(
  deps: FundDeps,
  command: { principal: Principal; fundId: string; amountFen: number },
): Promise<FundView> {
  if (command.amountFen <= 0) {
    throw new ValidationError([
      { field: 'amount', message: { zh: '必须大于 0', en: 'must be more than 0' } },
    ]);
  }
  const at = deps.clock.now().toISOString();
  const result = await deps.funds.apply(
    { fundId: command.fundId, at, move: { kind: 'top_up', amountFen: command.amountFen } },
    {
      at,
      actor: ADMIN(command.principal),
      action: 'fund.topped_up',
      subject: `fund:${command.fundId}`,
      inputHash: null,
      policyVersion: null,
      details: { fundId: command.fundId, amountFen: command.amountFen },
    },
  );
  if (!result.applied) throw new NotFoundError(fundNotOpen(command.fundId));
  await serveWaitlist(deps, command.fundId);
  await reportAvailability(deps, command.fundId);
  return getFund(deps, command.fundId);
}

const WAITLIST_SHOWN = 1000;

function fundNotOpen(fundId: string): LocalText {
  return { zh: `基金 ${fundId} 尚未设立。`, en: `Fund ${fundId} is not open.` };
}

/** The fund as finance and auditors see it: the four amounts and the waitlist in order. */
export async function getFund(deps: Pick<FundDeps, 'funds'>, fundId: string): Promise<FundView> {
  const balance = await deps.funds.balance(fundId);
  if (balance === undefined) throw new NotFoundError(fundNotOpen(fundId));
  const waitlist = await deps.funds.waitlist(fundId, WAITLIST_SHOWN);
  return {
    fundId,
    totalFen: balance.totalFen,
    availableFen: balance.availableFen,
    reservedFen: balance.reservedFen,
    committedFen: balance.committedFen,
    totalText: formatFen(balance.totalFen),
    availableText: formatFen(balance.availableFen),
    reservedText: formatFen(balance.reservedFen),
    committedText: formatFen(balance.committedFen),
    availablePercent: availablePercent(balance),
    version: balance.version,
    waitlist: waitlist.map((entry, index) => ({
      ...entry,
      position: index + 1,
      wantText: formatFen(entry.wantFen),
    })),
  };
}
