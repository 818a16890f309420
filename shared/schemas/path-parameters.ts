/**
 * Every path parameter of the HTTP API, by the name the routes of `infra/resources.ts` give it.
 * `withHttp` checks each one before a handler runs, so an id no store could hold (3,000 characters, say)
 * is a 400 naming the parameter, never a store error; the OpenAPI document describes them from here.
 */
import * as z from 'zod';
import { FundIdSchema } from './fund.ts';
import { projectPathParameterSchemas } from './project-path-parameters.ts';
import { zodMessage } from './zod-text.ts';

/** What `leadIdFor` (shared/domain/lead-outcome.ts) makes: `ld_` and 24 lower-case hex digits. */
export const LEAD_ID_PATTERN = /^ld_[0-9a-f]{24}$/;

export const LeadIdParamSchema = z
  .string()
  .regex(
    LEAD_ID_PATTERN,
    zodMessage({
      zh: '必须是线索编号：ld_ 加 24 位小写十六进制数字',
      en: 'must be a lead id: ld_ and 24 lower-case hex digits',
    }),
  )
  .meta({ description: 'The lead id (ld_…)' });

export const FundIdParamSchema = FundIdSchema.meta({ description: 'The fund id, e.g. conversion-2019' });

export const RevisionParamSchema = z
  .string()
  .regex(/^[1-9]\d{0,8}$/, zodMessage({ zh: '必须是正整数', en: 'must be a positive whole number' }))
  .meta({ description: 'Decision revision' });

/** A lead import (issue 16): `im_` and 24 lower-case hex digits. */
export const ImportIdParamSchema = z
  .string()
  .regex(
    /^im_[0-9a-f]{24}$/,
    zodMessage({
      zh: '必须是导入编号：im_ 加 24 位小写十六进制数字',
      en: 'must be an import id: im_ and 24 lower-case hex digits',
    }),
  )
  .meta({ description: 'The import id (im_…)' });

/**
 * A public notice (issue 17, part 4): `nt_` and the 24 hex digits of its lead; a discretionary reward's
 * (issue 20) adds `_` and the 24 hex digits of the reward.
 */
export const NoticeIdParamSchema = z
  .string()
  .regex(
    /^nt_[0-9a-f]{24}(?:_[0-9a-f]{24})?$/,
    zodMessage({
      zh: '必须是公示编号：nt_ 加 24 位小写十六进制数字（重奖公示另加 _ 与 24 位）',
      en: 'must be a notice id: nt_ and 24 lower-case hex digits (a discretionary reward’s adds _ and 24 more)',
    }),
  )
  .meta({ description: 'The public notice id (nt_…)' });

/** An objection to a public notice: `ob_` and 20 lower-case hex digits. */
export const ObjectionIdParamSchema = z
  .string()
  .regex(
    /^ob_[0-9a-f]{20}$/,
    zodMessage({
      zh: '必须是异议编号：ob_ 加 20 位小写十六进制数字',
      en: 'must be an objection id: ob_ and 20 lower-case hex digits',
    }),
  )
  .meta({ description: 'The objection id (ob_…)' });

/** A stage of a staged payment (issue 17, part 5): 1, 2, … in the policy's order. */
export const StageParamSchema = z
  .string()
  .regex(
    /^[1-9]\d?$/,
    zodMessage({ zh: '必须是期数：1 到 99 的整数', en: 'must be a stage number from 1 to 99' }),
  )
  .meta({ description: 'The stage number (1, 2, …)' });

/** A clawback (issue 17, part 6): `cb_` and 24 lower-case hex digits. */
export const ClawbackIdParamSchema = z
  .string()
  .regex(
    /^cb_[0-9a-f]{24}$/,
    zodMessage({
      zh: '必须是追回编号：cb_ 加 24 位小写十六进制数字',
      en: 'must be a clawback id: cb_ and 24 lower-case hex digits',
    }),
  )
  .meta({ description: 'The clawback id (cb_…)' });

/** A reward by decision (issue 20): `dr_` and 24 lower-case hex digits. */
export const RewardIdParamSchema = z
  .string()
  .regex(
    /^dr_[0-9a-f]{24}$/,
    zodMessage({
      zh: '必须是重奖编号：dr_ 加 24 位小写十六进制数字',
      en: 'must be a reward id: dr_ and 24 lower-case hex digits',
    }),
  )
  .meta({ description: 'The reward-by-decision id (dr_…)' });

export const pathParameterSchemas = {
  id: LeadIdParamSchema,
  clawbackId: ClawbackIdParamSchema,
  rewardId: RewardIdParamSchema,
  noticeId: NoticeIdParamSchema,
  objectionId: ObjectionIdParamSchema,
  stage: StageParamSchema,
  importId: ImportIdParamSchema,
  fundId: FundIdParamSchema,
  revision: RevisionParamSchema,
  // Projects (issue 15): projectId, supervisionId, year, half.
  ...projectPathParameterSchemas,
} as const satisfies Readonly<Record<string, z.ZodType<string, string>>>;

export type PathParameterName = keyof typeof pathParameterSchemas;

export function isPathParameterName(name: string): name is PathParameterName {
  return Object.hasOwn(pathParameterSchemas, name);
}
