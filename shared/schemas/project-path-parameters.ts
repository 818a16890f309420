/**
 * The path parameters of the project routes, added to `pathParameterSchemas` (path-parameters.ts), so
 * `withHttp` checks them before a handler runs and the OpenAPI document describes them.
 */
import * as z from 'zod';
import { zodMessage } from './zod-text.ts';

export const PROJECT_ID_PATTERN = /^pj_[0-9a-f]{24}$/;
export const SUPERVISION_ID_PATTERN = /^sv_[0-9a-f]{24}$/;

export const YEAR_MESSAGE = zodMessage({ zh: '必须是 2000–2099 年', en: 'must be a year from 2000 to 2099' });
export const HALF_MESSAGE = zodMessage({
  zh: '必须是 1（上半年）或 2（下半年）',
  en: 'must be 1 (first half) or 2 (second half)',
});

export const projectPathParameterSchemas = {
  projectId: z
    .string()
    .regex(
      PROJECT_ID_PATTERN,
      zodMessage({
        zh: '必须是项目编号：pj_ 加 24 位小写十六进制数字',
        en: 'must be a project id: pj_ and 24 lower-case hex digits',
      }),
    )
    .meta({ description: 'The project id (pj_…)' }),
  supervisionId: z
    .string()
    .regex(
      SUPERVISION_ID_PATTERN,
      zodMessage({
        zh: '必须是督办编号：sv_ 加 24 位小写十六进制数字',
        en: 'must be a supervision item id: sv_ and 24 lower-case hex digits',
      }),
    )
    .meta({ description: 'The supervision item id (sv_…)' }),
  year: z
    .string()
    .regex(/^20\d{2}$/, YEAR_MESSAGE)
    .meta({ description: 'A year, 2000–2099' }),
  half: z
    .string()
    .regex(/^[12]$/, HALF_MESSAGE)
    .meta({ description: '1: January–June, 2: July–December' }),
} as const;
