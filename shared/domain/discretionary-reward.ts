/**
 * Rewards by decision (重奖, issue 20), pure: who may propose, what a proposal must rest on, the caps, that it
 * is never a second referral reward, and which sign-offs its amount needs. Amounts are integer fen.
 */
import type { LocalText } from '#shared/errors.ts';
import type { ApprovalSettings, DiscretionarySettings } from '#shared/policy/payout-settings.ts';
import type {
  DiscretionaryRewardRecord,
  DiscretionaryRewardView,
  Recipient,
} from '#shared/schemas/discretionary-reward.ts';
import type { Introducer } from '#shared/schemas/lead.ts';
import { introducerIdentity } from './clawback.ts';
import { maskResidentId } from './identifiers.ts';
import { formatFen } from './money-format.ts';

export interface DiscretionaryRefusal {
  readonly code: string;
  readonly message: LocalText;
  readonly missing?: readonly string[];
  /** 403 rather than 409. */
  readonly forbidden?: boolean;
}

export interface ProposalFacts {
  readonly settings: DiscretionarySettings;
  readonly proposerRoles: readonly string[];
  readonly amountFen: number;
  readonly recipient: Recipient;
  readonly hasCollectiveDecision: boolean;
  readonly hasLegalBasis: boolean;
  /** What the lead's other discretionary rewards (not rejected) add up to. */
  readonly leadClaimedFen: number;
  /** What the year's discretionary rewards (not rejected) add up to. */
  readonly yearClaimedFen: number;
  /** The introducers of this project that earn (or earned) its referral reward: the lead's, and the lead it duplicates. */
  readonly referralRecipients: readonly Introducer[];
}

/** The first reason a proposal is refused, in the order an officer would fix them; undefined: none. */
export function proposalRefusal(facts: ProposalFacts): DiscretionaryRefusal | undefined {
  const { settings } = facts;
  if (!settings.allowed) {
    return {
      code: 'discretionary_not_allowed',
      message: {
        zh: '本线索适用的政策不允许按决定给予奖励（重奖）。',
        en: 'The policy of this lead allows no rewards by decision.',
      },
    };
  }
  if (!facts.proposerRoles.some((role) => (settings.proposers as readonly string[]).includes(role))) {
    return {
      code: 'not_a_proposer',
      forbidden: true,
      message: {
        zh: `按政策，重奖只能由以下角色提出：${settings.proposers.join('、')}。`,
        en: `Under the policy only these roles propose a reward by decision: ${settings.proposers.join(', ')}.`,
      },
    };
  }
  const missing = [
    ...(facts.hasLegalBasis ? [] : ['legalBasis']),
    ...(facts.hasCollectiveDecision ? [] : ['collectiveDecision']),
  ];
  if (missing.length > 0) {
    return {
      code: facts.hasLegalBasis ? 'collective_decision_missing' : 'legal_basis_missing',
      missing,
      message: {
        zh: `重奖须有${missing.map((m) => (m === 'legalBasis' ? '法律依据（文件与条款）' : '集体决策（决策机构、会议日期、纪要编号）')).join('和')}：公平竞争审查条例施行后，没有依据的奖励须追回。`,
        en: `A reward by decision needs ${missing.map((m) => (m === 'legalBasis' ? 'a legal basis (document and clause)' : 'a collective decision (body, meeting date, minutes number)')).join(' and ')}: since the Fair Competition Review Regulation, a reward without one is recovered.`,
      },
    };
  }
  const identity = introducerIdentity(facts.recipient);
  if (
    identity !== undefined &&
    facts.referralRecipients.some((introducer) => introducerIdentity(introducer) === identity)
  ) {
    return {
      code: 'second_referral_reward',
      message: {
        zh: '受奖人是本项目的引荐人，已按 2% 规则获得（或将获得）引荐奖励：同一项目同一受奖人不能再获重奖。',
        en: 'The recipient introduced this project and earns its 2% referral reward: the same project and recipient cannot be rewarded again by decision.',
      },
    };
  }
  return capRefusal(facts);
}

function capRefusal(facts: ProposalFacts): DiscretionaryRefusal | undefined {
  const { capPerLeadFen, capPerYearFen } = facts.settings;
  if (capPerLeadFen !== null && facts.leadClaimedFen + facts.amountFen > capPerLeadFen) {
    return {
      code: 'discretionary_cap_exceeded',
      missing: ['capPerLead'],
      message: {
        zh: `超过每条线索的重奖上限 ${formatFen(capPerLeadFen)}（本线索已有 ${formatFen(facts.leadClaimedFen)}，本次 ${formatFen(facts.amountFen)}）。`,
        en: `Exceeds the cap per lead of ${formatFen(capPerLeadFen)} (${formatFen(facts.leadClaimedFen)} already on this lead, ${formatFen(facts.amountFen)} now).`,
      },
    };
  }
  if (capPerYearFen !== null && facts.yearClaimedFen + facts.amountFen > capPerYearFen) {
    return {
      code: 'discretionary_cap_exceeded',
      missing: ['capPerYear'],
      message: {
        zh: `超过年度重奖上限 ${formatFen(capPerYearFen)}（本年已有 ${formatFen(facts.yearClaimedFen)}，本次 ${formatFen(facts.amountFen)}）。`,
        en: `Exceeds the yearly cap of ${formatFen(capPerYearFen)} (${formatFen(facts.yearClaimedFen)} already this year, ${formatFen(facts.amountFen)} now).`,
      },
    };
  }
  return undefined;
}

/** The sign-offs an amount needs: finance, and above the first tier the finance head too. */
export function requiredSignOffs(
  approvals: ApprovalSettings,
  amountFen: number,
): ('finance' | 'financeHead')[] {
  const head = approvals.financeHeadAboveFen !== null && amountFen > approvals.financeHeadAboveFen;
  return head ? ['finance', 'financeHead'] : ['finance'];
}

export function missingSignOffs(record: Pick<DiscretionaryRewardRecord, 'required' | 'signOffs'>) {
  return record.required.filter((slot) => !record.signOffs.some((s) => s.slot === slot));
}

/**
 * The slot the caller signs, or why not: every approver distinct, none the proposer; the finance head
 * signs the head's slot (a user with both roles fills the head's first), finance the finance approver's.
 */
export function signOffSlot(
  record: DiscretionaryRewardRecord,
  userId: string,
  roles: readonly string[],
): { slot: 'finance' | 'financeHead' } | DiscretionaryRefusal {
  if (record.proposedBy.userId === userId) {
    return {
      code: 'maker_checker',
      forbidden: true,
      message: {
        zh: '重奖由您提出，须由他人审批。',
        en: 'You proposed this reward: others approve it.',
      },
    };
  }
  if (record.signOffs.some((s) => s.by.userId === userId)) {
    return {
      code: 'approver_not_distinct',
      forbidden: true,
      message: {
        zh: '您已签批此重奖：每位审批人须不同。',
        en: 'You signed this reward already: every approver is another person.',
      },
    };
  }
  const missing = missingSignOffs(record);
  if (missing.includes('financeHead') && roles.includes('finance-head')) return { slot: 'financeHead' };
  if (missing.includes('finance') && roles.includes('finance')) return { slot: 'finance' };
  return {
    code: 'sign_off_not_needed',
    missing,
    message: {
      zh: `此重奖不需要您这一级的签批；尚缺：${missing.join('、') || '无'}。`,
      en: `This reward needs no sign-off of yours; still missing: ${missing.join(', ') || 'nothing'}.`,
    },
  };
}

/**
 * A record as the API shows it: the recipient's resident ID masked, what is missing, the notice's dates,
 * the project's name (as recorded, else `leadProjectName`: the lead's, for a reward recorded without one).
 */
export function discretionaryView(
  record: DiscretionaryRewardRecord,
  notice: { noticeId: string; objectionDeadline: string; endsAt: string } | undefined,
  leadProjectName?: string,
): DiscretionaryRewardView {
  const { idempotencyKey: _key, version: _version, recipient, ...rest } = record;
  return {
    ...rest,
    projectName: record.projectName ?? leadProjectName ?? null,
    recipient: {
      type: recipient.type,
      name: recipient.name,
      ...(recipient.uscc === undefined ? {} : { uscc: recipient.uscc }),
      ...(recipient.residentId === undefined
        ? {}
        : { residentIdMasked: maskResidentId(recipient.residentId) }),
    },
    missing: record.state === 'PROPOSED' ? missingSignOffs(record) : [],
    notice:
      notice === undefined
        ? null
        : { noticeId: notice.noticeId, objectionDeadline: notice.objectionDeadline, endsAt: notice.endsAt },
  };
}
