/**
 * The OpenAPI operations of the payout rules (issue 17), merged into the document by `document.ts`:
 * the referrer's registration, and (as the later parts land) evidence, approvals and the public notice.
 */
import * as z from 'zod';
import {
  ClawbackBodySchema,
  ClawbackDecisionBodySchema,
  ClawbackRecordSchema,
  ClawbackRejectionBodySchema,
  ClawbacksViewSchema,
  RefundReceivedBodySchema,
} from '#shared/schemas/clawback.ts';
import {
  DiscretionaryPaidBodySchema,
  DiscretionaryRejectBodySchema,
  DiscretionaryRewardBodySchema,
  DiscretionaryRewardViewSchema,
  DiscretionarySignOffBodySchema,
  DiscretionaryYearQuerySchema,
  DiscretionaryYearSchema,
} from '#shared/schemas/discretionary-reward.ts';
import {
  AuditReportBodySchema,
  EvidenceListSchema,
  EvidenceRecordSchema,
  SiteCheckBodySchema,
} from '#shared/schemas/evidence.ts';
import {
  NoticeViewSchema,
  ObjectionBodySchema,
  ObjectionRecordSchema,
  PublicNoticePageSchema,
  PublicNoticesQuerySchema,
  ResolutionBodySchema,
} from '#shared/schemas/notice.ts';
import {
  ReferrerRegistrationBodySchema,
  ReferrerRegistrationSchema,
} from '#shared/schemas/referrer-registration.ts';
import {
  StageApprovalBodySchema,
  StagePaidBodySchema,
  StageRecordSchema,
  StagesViewSchema,
} from '#shared/schemas/stage.ts';
import { body, json, type Operation, optionalIdempotencyKeyHeader } from './operation.ts';

export const payoutOperations: Readonly<Record<string, Operation>> = {
  'POST /leads/{id}/referrer-registration': {
    summary:
      'Record the referrer’s registration (报备) with the investor’s, team’s and park’s confirmations (the lead’s own sector team): a new decision revision',
    description:
      'The registration becomes part of the lead and revision N+1 is queued for evaluation. Under the payout rules of the lead’s policy, a referrer registered after the contract’s signing date, or who is public-payroll staff or tied to the investor, makes the referral reward not eligible, with the reason (`registered_after_signing`, `introducer_public_payroll_staff`, `introducer_tied_to_investor`) and its explanation in the decision. A correction is recorded the same way. 409 `no_introducer`, `not_evaluated`, `review_closed` (finance decided), `reevaluation_in_progress`.',
    requestBody: body(ReferrerRegistrationBodySchema, 'ReferrerRegistrationRequest'),
    responses: {
      202: json(
        z
          .object({
            leadId: z.string(),
            revision: z.number().int(),
            registration: ReferrerRegistrationSchema,
          })
          .meta({ id: 'ReferrerRegistrationRecorded' }),
        'Recorded; revision N+1 is queued for evaluation',
      ),
    },
    errors: [400, 404, 409],
  },
  'POST /leads/{id}/evidence/audit-report': {
    summary:
      'Record a CPA’s 验资报告 or 专项审计报告 (number, firm, date, construction period, amount within it; land, rent, working capital reported apart, never counted)',
    description:
      'By the lead’s own sector team or finance, while finance has not decided (else 409 `review_closed`). An entry, never an edit: a later report supersedes an earlier one and both stay. Under the default payout rules, approval needs the latest report to certify, within the construction period, at least the actual investment the decision used, and its recorder may not approve (403).',
    requestBody: body(AuditReportBodySchema, 'AuditReportRequest'),
    responses: { 201: json(EvidenceRecordSchema.meta({ id: 'EvidenceRecord' }), 'Recorded') },
    errors: [400, 404, 409],
  },
  'POST /leads/{id}/evidence/site-check': {
    summary:
      'Record an on-site check (who checked, when, what was found, whether it confirms the investment)',
    description:
      'By the lead’s own sector team or finance, while finance has not decided. Under the default payout rules the audit report and the on-site check must be recorded by two different people, and the latest check must confirm the investment.',
    requestBody: body(SiteCheckBodySchema, 'SiteCheckRequest'),
    responses: { 201: json(EvidenceRecordSchema, 'Recorded') },
    errors: [400, 404, 409],
  },
  'GET /leads/{id}/evidence': {
    summary: 'Every evidence entry of a lead, oldest first (superseded ones included)',
    responses: { 200: json(EvidenceListSchema.meta({ id: 'EvidenceList' }), 'The evidence') },
    errors: [404],
  },
  'GET /public/notices': {
    summary: 'The public notices (公示) of approved rewards, newest first: no sign-in, read only',
    description:
      'Each approval opens a notice for the policy’s number of working days (default 5, on the working-day calendar the admin keeps). Shown: project, investor, the introducer’s name (a person’s masked as 张*; an enterprise’s in full), the reward and fund amounts in fen, the legal basis, the approval day and the objection deadline. No identifier, no objection. `status` is `open` until the deadline day ends (00:00 Asia/Shanghai after it), `ended` after.',
    requestParams: { query: PublicNoticesQuerySchema },
    responses: { 200: json(PublicNoticePageSchema.meta({ id: 'PublicNoticePage' }), 'A page of notices') },
    errors: [400],
  },
  'GET /leads/{id}/notice': {
    summary: 'The public notice of a lead’s approval with every objection and its resolution',
    description:
      '`status`: `open` (running), `held` (an objection unresolved), `upheld` (an objection upheld: never paid), `ended` (payable). 404 when the approval opened no notice (the policy sets none) or there is no approval yet.',
    responses: { 200: json(NoticeViewSchema.meta({ id: 'NoticeView' }), 'The notice') },
    errors: [404],
  },
  'POST /notices/{noticeId}/objections': {
    summary:
      'Record an objection received against a public notice (admin): it holds the payment until resolved',
    description:
      'With an `Idempotency-Key`, a retry answers the same objection (200, `Idempotent-Replayed: true`); the same key with another body is 409 `idempotency_key_reused`. Received after the deadline, it still holds the payment. Once the reward is paid: 409 `notice_closed` (a clawback matter). Audited `notice.objection_recorded` (the objector’s name masked).',
    requestParams: optionalIdempotencyKeyHeader(
      'Same key and body: same objection; same key, other body: 409',
    ),
    requestBody: body(ObjectionBodySchema, 'ObjectionRequest'),
    responses: {
      201: json(
        z
          .object({ objection: ObjectionRecordSchema, notice: NoticeViewSchema })
          .meta({ id: 'ObjectionRecorded' }),
        'Recorded',
      ),
      200: json(z.object({ objection: ObjectionRecordSchema, notice: NoticeViewSchema }), 'A retry'),
    },
    errors: [400, 404, 409],
  },
  'POST /notices/{noticeId}/objections/{objectionId}/resolution': {
    summary:
      'Resolve an objection once (admin): dismissed lifts its hold; upheld means the reward is not paid',
    description:
      'The same resolution again answers 200 (`Idempotent-Replayed: true`); another one is 409 `objection_resolved`. Audited `notice.objection_resolved`.',
    requestBody: body(ResolutionBodySchema, 'ObjectionResolutionRequest'),
    responses: { 201: json(NoticeViewSchema, 'Resolved'), 200: json(NoticeViewSchema, 'A retry') },
    errors: [400, 404, 409],
  },
  'GET /leads/{id}/stages': {
    summary:
      'The stages a reward is paid in (分期支付): each stage’s amount in fen, condition, whether it is met, status',
    description:
      'Under a policy with `payout.stages`: each stage’s share (basis points) and exact amount (the last takes the fen left by rounding), its condition in words and what the record shows, and `status` `waiting` (condition not met), `ready`, `approved`, `paid`; `paidFen` so far of `rewardFen`. `staged: false` and no stages when the policy sets none: the reward is paid at once (POST /leads/{id}/paid).',
    responses: { 200: json(StagesViewSchema.meta({ id: 'StagesView' }), 'The stages') },
    errors: [404],
  },
  'POST /leads/{id}/stages/{stage}/approval': {
    summary:
      'Approve one stage of a staged reward (finance), once the reward is approved and the stage’s condition met',
    description:
      'The same rules as the reward’s approval: maker-checker (403 `maker_checker`, `approver_recorded_evidence`) and every gate again (legal basis, registration, evidence). 409 `not_approved` (approve the reward first: its approval runs the tiers and opens the 公示), `not_staged`, `stage_condition_not_met` (the detail names the condition and what the record shows), `stage_already_approved`. Audited `reward.stage_approved`.',
    requestBody: body(StageApprovalBodySchema, 'StageApprovalRequest'),
    responses: { 201: json(StageRecordSchema.meta({ id: 'StageRecord' }), 'Approved') },
    errors: [400, 403, 404, 409],
  },
  'POST /leads/{id}/stages/{stage}/paid': {
    summary: 'Mark one approved stage paid (finance; not anyone who approved the reward or the stage): once',
    description:
      'Stages are paid in order (409 `previous_stage_unpaid`), only once the 公示 has ended clean (409 `notice_open`, `objection_pending`, `objection_upheld`, checked again inside the transaction), with the condition still met (409 `stage_condition_not_met`). A stage is paid once: 409 `stage_already_paid`; with an `Idempotency-Key`, a retry answers the same payment (200, `Idempotent-Replayed: true`), the same key with another reference is 409 `idempotency_key_reused`. The last stage moves the lead and its review to PAID. Audited `reward.stage_paid`.',
    requestParams: optionalIdempotencyKeyHeader(
      'Same key and reference: the same payment; same key, other reference: 409',
    ),
    requestBody: body(StagePaidBodySchema, 'StagePaidRequest'),
    responses: { 201: json(StageRecordSchema, 'Paid'), 200: json(StageRecordSchema, 'A retry') },
    errors: [400, 403, 404, 409],
  },
  'GET /leads/{id}/clawbacks': {
    summary:
      'A lead’s clawbacks (追回) and its reward gross, recovered and net (finance, the finance head, auditors)',
    description:
      '`summary.grossFen` is what was paid of the reward (all of it, or the stages paid so far), `recoveredFen` the clawbacks approved (the reversals), `netFen` the difference, `receivedFen` what is back in the fund already. `claimableFen`: what may still be proposed.',
    responses: {
      200: json(ClawbacksViewSchema.meta({ id: 'ClawbacksView' }), 'The clawbacks, oldest first'),
    },
    errors: [404],
  },
  'POST /leads/{id}/clawbacks': {
    summary: 'Propose a clawback of a paid reward (finance): amount, reason, method refund or offset',
    description:
      'At most what was paid less what is proposed or approved already (409 `clawback_exceeds_paid`; nothing paid: 409 `not_paid`), checked again inside the transaction, so proposals at once never claim more. `offset` needs an introducer with a resident ID or credit code (409 `offset_not_possible`). Another member of finance decides it. Audited `reward.clawback_proposed`.',
    requestParams: optionalIdempotencyKeyHeader(
      'Same key and body: the same clawback (200); same key, another body: 409',
    ),
    requestBody: body(ClawbackBodySchema, 'ClawbackRequest'),
    responses: {
      201: json(ClawbackRecordSchema.meta({ id: 'ClawbackRecord' }), 'Proposed'),
      200: json(ClawbackRecordSchema, 'A retry with the same Idempotency-Key'),
    },
    errors: [400, 404, 409],
  },
  'POST /leads/{id}/clawbacks/{clawbackId}/approval': {
    summary: 'Approve a proposed clawback (finance, not the proposer): the reversal entry',
    description:
      'The lead’s recovered amount rises by the clawback; the payment itself is never edited. An `offset` opens against the introducer’s later reward payments, a `refund` waits for the money (POST …/refund). 403 `maker_checker` (the proposer), 409 `clawback_decided`. Audited `reward.clawback_approved` with `reversalFen`.',
    requestBody: body(ClawbackDecisionBodySchema, 'ClawbackApprovalRequest'),
    responses: { 200: json(ClawbackRecordSchema, 'Approved') },
    errors: [400, 403, 404, 409],
  },
  'POST /leads/{id}/clawbacks/{clawbackId}/rejection': {
    summary: 'Reject a proposed clawback (finance, not the proposer), with the reason',
    requestBody: body(ClawbackRejectionBodySchema, 'ClawbackRejectionRequest'),
    responses: { 200: json(ClawbackRecordSchema, 'Rejected') },
    errors: [400, 403, 404, 409],
  },
  'POST /leads/{id}/clawbacks/{clawbackId}/refund': {
    summary: 'Record an approved refund clawback’s money received (finance): it returns to the fund',
    description:
      'In one transaction the clawback becomes RECOVERED and the fund’s total and available rise by the amount (then the fund’s waitlist is served). `receivedOn` between the proposal day and today (else 400). Recorded by a member of finance who neither proposed nor approved the clawback, as a payment is (it raises the fund): the proposer or the approver gets 403 `maker_checker`, even with the reference already recorded, and nothing is stored. The same reference again: 200 with `Idempotent-Replayed: true`; another: 409 `already_recovered`. An offset: 409 `not_a_refund`; not approved: 409 `clawback_not_approved`. Audited `reward.clawback_refund_received`.',
    requestBody: body(RefundReceivedBodySchema, 'RefundReceivedRequest'),
    responses: { 201: json(ClawbackRecordSchema, 'Recovered'), 200: json(ClawbackRecordSchema, 'A retry') },
    errors: [400, 403, 404, 409],
  },
  'GET /leads/{id}/discretionary-rewards': {
    summary: 'A lead’s rewards by decision (重奖; finance, the finance head, auditors): resident IDs masked',
    responses: {
      200: json(
        z
          .object({
            leadId: z.string(),
            items: z.array(DiscretionaryRewardViewSchema.meta({ id: 'DiscretionaryReward' })),
          })
          .meta({ id: 'DiscretionaryRewardsOfLead' }),
        'Oldest first',
      ),
    },
    errors: [404],
  },
  'POST /leads/{id}/discretionary-rewards': {
    summary:
      'Propose a reward by decision (重奖) for an intermediary or a professional team: recipient, amount, reason, collective decision, legal basis',
    description:
      'Who may propose, whether any is allowed, and the caps per lead and per year are the policy’s `payout.discretionary` (defaults: allowed, no caps, finance proposes, never from the conversion fund). 403 `not_a_proposer`; 409 `discretionary_not_allowed`, `legal_basis_missing` / `collective_decision_missing` (with `missing`), `discretionary_cap_exceeded` (`missing: [capPerLead|capPerYear]`), `second_referral_reward` (the recipient introduced the project and earns its 2% reward). Each reward is its own record; a lead may carry several. With an Idempotency-Key a retry answers the same reward (200).',
    requestParams: optionalIdempotencyKeyHeader(
      'Same key and body: the same reward (200); same key, another body: 409',
    ),
    requestBody: body(DiscretionaryRewardBodySchema, 'DiscretionaryRewardRequest'),
    responses: {
      201: json(DiscretionaryRewardViewSchema, 'Proposed'),
      200: json(DiscretionaryRewardViewSchema, 'A retry'),
    },
    errors: [400, 403, 404, 409],
  },
  'POST /leads/{id}/discretionary-rewards/{rewardId}/approve': {
    summary:
      'Sign a proposed reward by decision (finance; above the first tier the finance head too): the last sign-off approves it',
    description:
      'Every approver distinct, none the proposer (403 `maker_checker`, `approver_not_distinct`); 409 `sign_off_not_needed`, `discretionary_decided`. The approval opens its own 公示 (on `GET /public/notices`; objections through `/notices/{noticeId}/objections`) and, when the policy draws on the fund, spends from it (409 `fund_insufficient`). 202 while sign-offs are missing.',
    requestBody: body(DiscretionarySignOffBodySchema, 'DiscretionarySignOffRequest'),
    responses: {
      200: json(DiscretionaryRewardViewSchema, 'Approved'),
      202: json(DiscretionaryRewardViewSchema, 'Signed; `missing` names who else signs'),
    },
    errors: [400, 403, 404, 409],
  },
  'POST /leads/{id}/discretionary-rewards/{rewardId}/reject': {
    summary: 'Reject a proposed reward by decision (finance, not the proposer), with the reason',
    requestBody: body(DiscretionaryRejectBodySchema, 'DiscretionaryRejectRequest'),
    responses: { 200: json(DiscretionaryRewardViewSchema, 'Rejected') },
    errors: [400, 403, 404, 409],
  },
  'POST /leads/{id}/discretionary-rewards/{rewardId}/paid': {
    summary:
      'Mark an approved reward by decision paid (finance; nobody who proposed or signed it): once, after its 公示 ended clean',
    description:
      '409 `notice_open`, `objection_pending`, `objection_upheld` (checked again inside the transaction), `already_paid`, `not_approved`. Offsets of the recipient’s earlier clawbacks are deducted (`payment.deductions`).',
    requestBody: body(DiscretionaryPaidBodySchema, 'DiscretionaryPaidRequest'),
    responses: { 200: json(DiscretionaryRewardViewSchema, 'Paid') },
    errors: [400, 403, 404, 409],
  },
  'GET /discretionary-rewards': {
    summary:
      'A year’s rewards by decision with their totals (proposed, approved, paid, rejected), apart from the 2% rewards',
    description:
      'Each item names its project (`projectName`, 项目名称) beside its `leadId`: recorded at proposal, or for a reward proposed before it was recorded, read from the lead (a project’s name never changes after submission); null only when the lead is not found. A person’s resident ID is masked.',
    requestParams: { query: DiscretionaryYearQuerySchema },
    responses: { 200: json(DiscretionaryYearSchema.meta({ id: 'DiscretionaryYear' }), 'The year') },
    errors: [400],
  },
};
