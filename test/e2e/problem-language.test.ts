import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeValidResidentId } from '#test/fixtures/identifiers.ts';
import {
  type ApiAnswer,
  api,
  ensureDefaultPolicy,
  freshLead,
  localDynamoDb,
  submit,
  tokenFor,
  waitForEvaluation,
} from '#test/support/api.ts';

/**
 * Errors in the user's language (issue 14), through the local gateway: `Accept-Language` picks zh-CN or
 * en for problem titles, details and every field message (Chinese when absent or unknown), and the answer
 * carries `Content-Language` and `Vary: Accept-Language`.
 */

interface Problem {
  readonly type: string;
  readonly title: string;
  readonly detail: string;
  readonly errors?: readonly { field: string; message: string }[];
}

type Language = 'zh-CN' | 'en';

const RESIDENT_ID = makeValidResidentId('371502', '19780315', '261');
const BAD_RESIDENT_ID = `${RESIDENT_ID.slice(0, 17)}${RESIDENT_ID.endsWith('0') ? '1' : '0'}`;

let sector: string;
let finance: string;

beforeAll(async () => {
  await ensureDefaultPolicy(localDynamoDb());
  sector = await tokenFor('sector:optoelectronics');
  finance = await tokenFor('finance');
});

/** A lead wrong in four ways: a check character, a resident ID, a missing amount and a number for a phone. */
function badLead(): unknown {
  const { plannedInvestment: _missing, ...rest } = freshLead('optoelectronics', {
    investor: { name: '聊城测试投资有限公司', uscc: '91371500MA3C8K2L1X' },
    introducer: { type: 'natural_person', name: '李明', residentId: BAD_RESIDENT_ID },
    responsibleOfficer: { name: '王芳', phone: 13800138000 as never },
  });
  return rest;
}

const FIELD_MESSAGES: Record<Language, Record<string, string>> = {
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
};

function expectLanguage(answer: ApiAnswer<Problem>, language: Language): void {
  expect(answer.headers.get('content-type')).toBe('application/problem+json');
  expect(answer.headers.get('content-language')).toBe(language);
  expect(answer.headers.get('vary')).toBe('Accept-Language');
}

const asking = (language: string | undefined): Record<string, string> =>
  language === undefined ? {} : { 'accept-language': language };

describe('problems in the caller’s language, through the gateway', () => {
  it.each<[string | undefined, Language]>([
    ['zh-CN', 'zh-CN'],
    ['en', 'en'],
    ['en-US,en;q=0.9', 'en'],
    ['fr', 'zh-CN'],
    [undefined, 'zh-CN'],
  ])('answers the same bad lead with Accept-Language %j in %s, field by field', async (header, language) => {
    const answer = await api<Problem>('POST', '/leads', {
      token: sector,
      body: badLead(),
      headers: { 'idempotency-key': randomUUID(), ...asking(header) },
    });
    expect(answer.status).toBe(400);
    expectLanguage(answer, language);
    const messages = Object.fromEntries((answer.body.errors ?? []).map((e) => [e.field, e.message]));
    expect(messages).toEqual(FIELD_MESSAGES[language]);
    const fields = Object.keys(messages);
    expect([answer.body.title, answer.body.detail]).toEqual(
      language === 'en'
        ? ['Invalid request', `The request has invalid fields: ${fields.join(', ')}`]
        : ['请求参数有误', `请求中有字段不符合要求：${fields.join('、')}`],
    );
    const text = JSON.stringify(answer.body);
    expect(text).not.toContain(BAD_RESIDENT_ID);
    expect(text).not.toContain(BAD_RESIDENT_ID.slice(6, 14));
  });

  it('words 403, 404, 409, 413, 415 and a malformed body in Chinese by default and in English when asked', async () => {
    const key = randomUUID();
    const lead = freshLead('optoelectronics');
    await submit(sector, lead, key);
    const missing = `ld_${'0'.repeat(24)}`;
    const cases: readonly {
      readonly status: number;
      readonly call: (headers: Record<string, string>) => Promise<ApiAnswer<Problem>>;
      readonly zh: readonly [string, string];
      readonly en: readonly [string, string];
    }[] = [
      {
        status: 403,
        call: (headers) => api('POST', '/leads', { token: finance, body: lead, headers }),
        zh: ['无权操作', '此接口仅限以下角色使用：sector；当前用户不具备该角色。'],
        en: ['Forbidden', "This route is for sector; the caller's roles do not include it."],
      },
      {
        status: 404,
        call: (headers) => api('GET', `/leads/${missing}`, { token: finance, headers }),
        zh: ['未找到', `没有线索 ${missing}。`],
        en: ['Not found', `There is no lead ${missing}.`],
      },
      {
        status: 409,
        call: (headers) =>
          api('POST', '/leads', {
            token: sector,
            body: { ...lead, projectName: `${lead.projectName} 二期` },
            headers: { 'idempotency-key': key, ...headers },
          }),
        zh: ['与当前状态冲突', '此 Idempotency-Key 已用于内容不同的另一次提交。新线索请使用新的键。'],
        en: [
          'Conflict',
          'This Idempotency-Key was already used with another body. Use a new key for a new lead.',
        ],
      },
      {
        status: 413,
        call: (headers) =>
          api('POST', '/leads', {
            token: sector,
            body: { ...lead, projectName: 'x'.repeat(70_000) },
            headers: { 'idempotency-key': randomUUID(), ...headers },
          }),
        zh: ['请求体过大', '请求体超过 65536 字节的上限。'],
        en: ['Payload too large', 'The body is over 65536 bytes.'],
      },
      {
        status: 415,
        call: (headers) =>
          api('POST', '/leads', {
            token: sector,
            body: 'sector=optoelectronics',
            headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
          }),
        zh: ['不支持的媒体类型', '请求体须以 application/json 格式发送。'],
        en: ['Unsupported media type', 'Send the body as application/json.'],
      },
      {
        status: 400,
        call: (headers) => api('POST', '/leads', { token: sector, body: '{"sector": ', headers }),
        zh: ['请求体格式错误', '请求体不是有效的 JSON。'],
        en: ['Malformed body', 'The body is not valid JSON.'],
      },
    ];
    for (const { status, call, zh, en } of cases) {
      const chinese = await call({});
      expect(chinese.status, JSON.stringify(chinese.body)).toBe(status);
      expectLanguage(chinese, 'zh-CN');
      expect([chinese.body.title, chinese.body.detail]).toEqual(zh);
      const english = await call({ 'accept-language': 'en-GB, zh;q=0.5' });
      expect(english.status).toBe(status);
      expectLanguage(english, 'en');
      expect([english.body.title, english.body.detail]).toEqual(en);
      expect(english.body.type).toBe(chinese.body.type);
    }
  });

  it('explains a maker-checker refusal in Chinese (the submitter may not approve)', async () => {
    const officer = `officer-${randomUUID().slice(0, 8)}`;
    const team = await tokenFor('sector:optoelectronics', officer);
    const leadId = await submit(team, freshLead('optoelectronics'));
    await waitForEvaluation(team, leadId);
    // The same person holding the finance role.
    const both = await tokenFor('finance', officer);
    const refused = await api<Problem>('POST', `/leads/${leadId}/approve`, { token: both, body: {} });
    expect(refused.status).toBe(403);
    expectLanguage(refused, 'zh-CN');
    expect(refused.body.detail).toBe(`不相容职务分离：线索 ${leadId} 由您提交，您不能批准。`);
  });

  it('leaves a request without a token to the authorizer, which answers before any function as API Gateway does', async () => {
    const answer = await api('GET', '/leads', { headers: { 'accept-language': 'en' } });
    expect(answer.status).toBe(401);
    expect(answer.body).toEqual({ message: 'Unauthorized' });
  });
});
