import { describe, expect, it } from 'vitest';
import type { RouteAccessLookup } from '#shared/auth/principal.ts';
import {
  ConflictError,
  DuplicateProjectError,
  ForbiddenError,
  type Language,
  NotFoundError,
  ValidationError,
} from '#shared/errors.ts';
import { negotiateLanguage } from '#shared/middleware/language.ts';
import { problemOf } from '#shared/middleware/problem-json.ts';
import { type HttpEvent, withHttp, zodBody } from '#shared/middleware/with-http.ts';
import { LeadSchema, parseLead } from '#shared/schemas/lead.ts';
import { httpEvent, lambdaContext } from '#test/fixtures/events.ts';
import { leadInput, PERSON_RESIDENT_ID } from '#test/fixtures/leads.ts';

/**
 * Errors in the user's language (issue 14): Accept-Language picks zh-CN or en for problem titles, details
 * and field messages, Chinese when absent or unknown; the answer says which (Content-Language) and that
 * it depends on the header (Vary). Through withHttp in-process here; test/e2e/problem-language.test.ts
 * goes through the local gateway.
 */

describe('negotiateLanguage', () => {
  it.each<[string | undefined, Language]>([
    [undefined, 'zh-CN'],
    ['', 'zh-CN'],
    ['zh-CN', 'zh-CN'],
    ['zh', 'zh-CN'],
    ['zh-TW', 'zh-CN'],
    ['en', 'en'],
    ['EN-gb', 'en'],
    ['en-US,en;q=0.9', 'en'],
    ['fr', 'zh-CN'],
    ['fr-FR, en;q=0.5', 'en'],
    ['en;q=0.5, zh-CN;q=0.8', 'zh-CN'],
    ['zh-CN;q=0.4, en;q=0.6', 'en'],
    ['en;q=0, fr', 'zh-CN'],
    ['*', 'zh-CN'],
    ['de;q=0.9, *;q=0.5, en;q=0.1', 'zh-CN'],
    ['en;q=abc', 'zh-CN'],
  ])('%j → %s', (header, language) => {
    expect(negotiateLanguage(header)).toBe(language);
  });
});

const SECTOR_ROUTE = 'POST /leads';
const access: RouteAccessLookup = (routeKey) => (routeKey === SECTOR_ROUTE ? ['sector'] : undefined);
const SECTOR_CLAIMS = { sub: 'officer-1', 'cognito:groups': '[sector-optoelectronics]' };

// The lead route's body parser and the errors a use case throws, without any store.
const route = withHttp({ access, body: zodBody(LeadSchema), maxBodyBytes: 4096 }, async () => {
  throw new NotFoundError({ zh: '没有线索 ld_x。', en: 'There is no lead ld_x.' });
});

interface Answer {
  readonly status: number;
  readonly headers: Readonly<Record<string, unknown>>;
  readonly problem: {
    title: string;
    detail: string;
    errors?: { field: string; message: string }[];
  };
}

async function call(event: HttpEvent): Promise<Answer> {
  const result = await route(event, lambdaContext('problem-language'));
  return {
    status: result.statusCode ?? 0,
    headers: result.headers ?? {},
    problem: JSON.parse(result.body ?? ''),
  };
}

type EventInput = Parameters<typeof httpEvent>[0];

/** A lead submission (a valid lead unless `changes` say otherwise) asking for a language. */
function request(acceptLanguage: string | undefined, changes: Partial<EventInput> = {}): HttpEvent {
  return httpEvent({
    routeKey: SECTOR_ROUTE,
    claims: SECTOR_CLAIMS,
    body: leadInput(),
    ...changes,
    headers: {
      ...(acceptLanguage === undefined ? {} : { 'accept-language': acceptLanguage }),
      ...changes.headers,
    },
  });
}

const BAD_RESIDENT_ID = `${PERSON_RESIDENT_ID.slice(0, 17)}${PERSON_RESIDENT_ID.endsWith('0') ? '1' : '0'}`;

/** One lead wrong in a custom-message way (USCC, resident ID, missing amount) and a built-in way (phone type). */
function badLead(): unknown {
  const { plannedInvestment: _missing, ...rest } = leadInput({
    investor: { name: '聊城智光信息科技有限公司', uscc: '91371500MA3C8K2L1X' },
    introducer: { type: 'natural_person', name: '李明', residentId: BAD_RESIDENT_ID },
    responsibleOfficer: { name: '王芳', phone: 13800138000 as never },
  });
  return rest;
}

const FIELD_MESSAGES = {
  'zh-CN': {
    'investor.uscc': '统一社会信用代码校验位或字符错误（GB 32100-2015）',
    'introducer.residentId': '公民身份号码的出生日期或校验码错误（GB 11643）',
    plannedInvestment: '必填',
    'responsibleOfficer.phone': '类型错误：应为文本，实际为数字',
  },
  en: {
    'investor.uscc': 'is not a valid unified social credit code (check character or alphabet, GB 32100-2015)',
    'introducer.residentId': 'is not a valid resident ID (birth date or check digit, GB 11643)',
    plannedInvestment: 'is required',
    'responsibleOfficer.phone': 'Invalid input: expected string, received number',
  },
} as const;

describe('problems in the language asked for', () => {
  it.each<[string | undefined, Language]>([
    ['zh-CN', 'zh-CN'],
    ['en', 'en'],
    ['en-US,en;q=0.9', 'en'],
    ['fr', 'zh-CN'],
    [undefined, 'zh-CN'],
  ])(
    'a bad lead with Accept-Language %j: every field message, title and detail in %s',
    async (header, language) => {
      const answer = await call(request(header, { body: badLead() }));
      expect(answer.status).toBe(400);
      expect(answer.headers['content-language']).toBe(language);
      expect(answer.headers.vary).toBe('Accept-Language');
      const messages = Object.fromEntries((answer.problem.errors ?? []).map((e) => [e.field, e.message]));
      expect(messages).toEqual(FIELD_MESSAGES[language]);
      expect(answer.problem.title).toBe(language === 'en' ? 'Invalid request' : '请求参数有误');
      expect(answer.problem.detail).toBe(
        language === 'en'
          ? `The request has invalid fields: ${Object.keys(messages).join(', ')}`
          : `请求中有字段不符合要求：${Object.keys(messages).join('、')}`,
      );
      // Never the resident ID, nor its birth date, in any language.
      expect(JSON.stringify(answer.problem)).not.toContain(BAD_RESIDENT_ID);
      expect(JSON.stringify(answer.problem)).not.toContain(BAD_RESIDENT_ID.slice(6, 14));
    },
  );

  const malformed = (language: Language) => ({ ...request(language), body: '{"sector": ' });
  it.each<[string, number, (language: Language) => HttpEvent, Record<Language, [string, string]>]>([
    [
      'no verified token',
      401,
      (language) => request(language, { claims: {} }),
      {
        'zh-CN': ['身份未认证', '请先登录：请求须携带经验证的访问令牌（Bearer）。'],
        en: ['Unauthenticated', 'A verified bearer token is required.'],
      },
    ],
    [
      'another role',
      403,
      (language) => request(language, { claims: { sub: 'fin-1', 'cognito:groups': '[finance]' } }),
      {
        'zh-CN': ['无权操作', '此接口仅限以下角色使用：sector；当前用户不具备该角色。'],
        en: ['Forbidden', "This route is for sector; the caller's roles do not include it."],
      },
    ],
    [
      'a body over the limit',
      413,
      (language) => request(language, { body: { projectName: '项'.repeat(5000) } }),
      {
        'zh-CN': ['请求体过大', '请求体超过 4096 字节的上限。'],
        en: ['Payload too large', 'The body is over 4096 bytes.'],
      },
    ],
    [
      'another content type',
      415,
      (language) => request(language, { headers: { 'content-type': 'text/plain' } }),
      {
        'zh-CN': ['不支持的媒体类型', '请求体须以 application/json 格式发送。'],
        en: ['Unsupported media type', 'Send the body as application/json.'],
      },
    ],
    [
      'malformed JSON',
      400,
      malformed,
      {
        'zh-CN': ['请求体格式错误', '请求体不是有效的 JSON。'],
        en: ['Malformed body', 'The body is not valid JSON.'],
      },
    ],
    [
      'a use case’s refusal',
      404,
      (language) => request(language),
      { 'zh-CN': ['未找到', '没有线索 ld_x。'], en: ['Not found', 'There is no lead ld_x.'] },
    ],
  ])('%s: %i with title and detail in both languages', async (_, status, event, texts) => {
    for (const language of ['zh-CN', 'en'] as const) {
      const answer = await call(event(language));
      expect(answer.status).toBe(status);
      expect(answer.headers['content-language']).toBe(language);
      expect(answer.headers.vary).toBe('Accept-Language');
      expect([answer.problem.title, answer.problem.detail]).toEqual(texts[language]);
    }
  });
});

describe('problemOf', () => {
  it('gives every problem a title and detail of its own in each language, and the 409 its code', () => {
    const errors = [
      new ValidationError([{ field: 'amount', message: { zh: '必须大于 0', en: 'must be more than 0' } }]),
      new ForbiddenError({ zh: '甲', en: 'a' }),
      new NotFoundError({ zh: '乙', en: 'b' }),
      new ConflictError('already_paid', { zh: '丙', en: 'c' }),
      new DuplicateProjectError({ zh: '丁', en: 'd' }),
      new Error('a bug'),
    ];
    for (const error of errors) {
      const zh = problemOf(error, 'zh-CN');
      const en = problemOf(error, 'en');
      expect({ ...zh, title: '', detail: '', errors: undefined }).toEqual({
        ...en,
        title: '',
        detail: '',
        errors: undefined,
      });
      expect(zh.title).not.toBe(en.title);
      expect(zh.detail).not.toBe(en.detail);
      expect(zh.title).toMatch(/\p{Script=Han}/u);
    }
    expect(problemOf(errors[3], 'en')).toMatchObject({ status: 409, code: 'already_paid', detail: 'c' });
    // A bug says nothing inside, in either language.
    expect(problemOf(errors[5], 'zh-CN').detail).not.toContain('bug');
  });

  it('words every field problem of a lead in Chinese of its own, never the English again', () => {
    const parsed = parseLead({
      ...(badLead() as object),
      category: 'x',
      municipalMajorProject: 'yes',
      extra: 1,
    });
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.problems.length).toBeGreaterThan(5);
    for (const { field, message } of parsed.problems) {
      expect(message.zh, field).toMatch(/\p{Script=Han}/u);
      expect(message.zh, field).not.toBe(message.en);
    }
  });
});
