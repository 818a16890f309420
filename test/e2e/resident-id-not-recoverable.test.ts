import { beforeAll, describe, expect, it } from 'vitest';
import { canonicalJson, sha256Hex } from '#shared/domain/canonical-json.ts';
import { maskResidentId, residentIdCheckChar } from '#shared/domain/identifiers.ts';
import type { LeadInput } from '#shared/schemas/lead.ts';
import { makeValidResidentId } from '#test/fixtures/identifiers.ts';
import { api, ensureDefaultPolicy, freshLead, localDynamoDb, submit, tokenFor } from '#test/support/api.ts';

/**
 * Issue 12, defect 1: the views show a natural person's resident ID masked (region and the last two
 * characters kept) beside hashes of the lead. If any of those hashes were an unkeyed hash of a form that
 * holds the ID, trying every birth date and sequence number that fits the mask and the check character
 * would recover the whole ID. This test is that attack, run against everything every role can read about
 * one lead over HTTP: it must find nothing, while the same enumeration does find the ID in a plain SHA-256
 * of the lead (what `inputHash` was before), so it is known to work.
 */

const BIRTH_YEAR = 1986;
const RESIDENT_ID = makeValidResidentId('371525', `${BIRTH_YEAR}0921`, '374');
const PHONE = '+86 635 8123456';

type Json = unknown;
interface LeadView {
  lead: { introducer: { residentId?: string } };
  status: string;
  latestRevision: number;
  latestDecision: { lead: Json } | null;
}

/** Every answer any role got about the lead, by what was asked. */
const seen = new Map<string, Json>();
let leadId: string;
let body: LeadInput;

async function read(label: string, method: 'GET' | 'POST', path: string, token: string): Promise<Json> {
  const answer = await api<Json>(method, path, { token });
  expect(answer.status, `${label}: ${JSON.stringify(answer.body)}`).toBe(200);
  seen.set(label, answer.body);
  return answer.body;
}

async function waitForRevision(token: string, revision: number): Promise<LeadView> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const { body: view } = await api<LeadView>('GET', `/leads/${leadId}`, { token });
    if (view.latestRevision >= revision && ['PENDING_FINANCE', 'PENDING_CASE_REVIEW'].includes(view.status)) {
      return view;
    }
    if (Date.now() > deadline) throw new Error(`revision ${revision} of ${leadId} not recorded`);
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
}

beforeAll(async () => {
  const client = localDynamoDb();
  await ensureDefaultPolicy(client);
  client.destroy();
  const [team, finance, auditor] = await Promise.all([
    tokenFor('sector:food'),
    tokenFor('finance'),
    tokenFor('auditor'),
  ]);
  // As sent: planned investment only (the actual one is reported below), through JSON.
  body = JSON.parse(
    JSON.stringify(
      freshLead('food', {
        introducer: { type: 'natural_person', name: '王芳', residentId: RESIDENT_ID },
        actualInvestment: undefined,
        responsibleOfficer: { name: '赵强', phone: PHONE },
      }),
    ),
  ) as LeadInput;
  leadId = await submit(team, body);
  await waitForRevision(team, 1);
  // The actual investment gives the lead a new input hash and the decision a second revision.
  const reported = await api('POST', `/leads/${leadId}/actual-investment`, {
    token: team,
    body: { amount: '1.3亿', evidence: '验资报告' },
  });
  expect(reported.status, JSON.stringify(reported.body)).toBe(202);
  await waitForRevision(team, 2);

  for (const [role, token] of [
    ['sector', team],
    ['finance', finance],
    ['auditor', auditor],
  ] as const) {
    await read(`${role}: GET /leads/{id}`, 'GET', `/leads/${leadId}`, token);
  }
  await read('finance: GET /leads', 'GET', '/leads?limit=100', finance);
  await read('finance: GET /rewards', 'GET', '/rewards', finance);
  let cursor: string | null = null;
  let page = 0;
  do {
    const query: string = cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`;
    const audit = (await read(
      `auditor: GET /audit ${page}`,
      'GET',
      `/audit?subject=${leadId}${query}`,
      auditor,
    )) as {
      nextCursor: string | null;
    };
    cursor = audit.nextCursor;
    page += 1;
  } while (cursor !== null);
  for (const revision of [1, 2]) {
    await read(
      `auditor: replay ${revision}`,
      'POST',
      `/leads/${leadId}/decisions/${revision}/replay`,
      auditor,
    );
  }
  await read('auditor: GET /audit/digest', 'GET', '/audit/digest', auditor);
}, 60_000);

/** Every 64-hex-digit value in the answers: the hashes a role can read. */
function hashesSeen(): Set<string> {
  return new Set(canonicalJson([...seen.values()]).match(/[0-9a-f]{64}/g) ?? []);
}

/**
 * The forms of the lead a role was shown (the stored lead before and after the report, as the views
 * print it, resident ID masked), and the request body as sent: each a template to fill with a candidate ID.
 */
function templates(): Json[] {
  const views = [...seen.entries()]
    .filter(([label]) => label.endsWith('GET /leads/{id}'))
    .map(([, view]) => view);
  const shown = views.flatMap((view) => [(view as LeadView).lead, (view as LeadView).latestDecision?.lead]);
  const distinct = new Map(
    shown.filter((lead) => lead !== undefined).map((lead) => [canonicalJson(lead), lead]),
  );
  return [...distinct.values(), body];
}

function withResidentId(lead: Json, residentId: string): Json {
  const { introducer } = lead as { introducer: Record<string, unknown> };
  return { ...(lead as Record<string, unknown>), introducer: { ...introducer, residentId } };
}

/**
 * Every resident ID that fits the mask: a birth date in `year` × the two hidden sequence digits, kept when
 * its check character is the one shown. The attacker would try every plausible year (~160,000 hashes for
 * 1940–2008); this test tries the true birth year only (~3,300). That is enough: the true ID is among the
 * candidates, so an unkeyed hash of it is found (the control below), and no other candidate could match a
 * hash the true ID does not match, short of a SHA-256 collision.
 */
function candidatesFitting(mask: string, year: number): string[] {
  const region = mask.slice(0, 6);
  const lastSequenceDigit = mask.charAt(16);
  const check = mask.charAt(17);
  const candidates: string[] = [];
  for (
    let day = new Date(Date.UTC(year, 0, 1));
    day.getUTCFullYear() === year;
    day.setUTCDate(day.getUTCDate() + 1)
  ) {
    const date = day.toISOString().slice(0, 10).replaceAll('-', '');
    for (let sequence = 0; sequence < 100; sequence += 1) {
      const first17 = `${region}${date}${String(sequence).padStart(2, '0')}${lastSequenceDigit}`;
      if (residentIdCheckChar(first17) === check) candidates.push(first17 + check);
    }
  }
  return candidates;
}

/** The candidates whose SHA-256 over any template, filled in, is among `hashes`. */
function enumerate(
  hashes: ReadonlySet<string>,
  forms: readonly Json[],
  candidates: readonly string[],
): string[] {
  return candidates.filter((candidate) =>
    forms.some((form) => hashes.has(sha256Hex(canonicalJson(withResidentId(form, candidate))))),
  );
}

describe('a natural person’s resident ID, against everything each role can read', () => {
  it('is shown masked only, and never in full', () => {
    for (const [label, answer] of seen) expect(canonicalJson(answer), label).not.toContain(RESIDENT_ID);
    for (const form of templates().slice(0, -1)) {
      expect((form as LeadView['lead']).introducer.residentId).toBe(maskResidentId(RESIDENT_ID));
    }
  });

  it('cannot be recovered from any hash by enumerating the IDs that fit the mask', () => {
    const hashes = hashesSeen();
    const view = seen.get('auditor: GET /leads/{id}') as { inputHash: string };
    // The attack has something to work on: the lead's input hash and the decisions' are among them.
    expect(hashes.has(view.inputHash)).toBe(true);
    expect(hashes.size).toBeGreaterThan(5);

    const candidates = candidatesFitting(maskResidentId(RESIDENT_ID), BIRTH_YEAR);
    expect(candidates).toContain(RESIDENT_ID);
    expect(candidates.length).toBeGreaterThan(3_000);
    expect(enumerate(hashes, templates(), candidates)).toEqual([]);
  });

  it('is recovered by the same enumeration from a plain SHA-256 of the lead (the input hash of form 1)', () => {
    const [shown] = templates();
    const plainHash = sha256Hex(canonicalJson(withResidentId(shown, RESIDENT_ID)));
    const candidates = candidatesFitting(maskResidentId(RESIDENT_ID), BIRTH_YEAR);
    expect(enumerate(new Set([plainHash]), templates(), candidates)).toEqual([RESIDENT_ID]);
  });
});
