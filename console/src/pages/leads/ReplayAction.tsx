import { Alert, Button, Space, Table, Typography } from 'antd';
import { useState } from 'react';
import { api, type Problem, problemOf } from '../../api/client.ts';
import type { components } from '../../api/schema.d.ts';
import { VISUALLY_HIDDEN } from '../../components/a11y.ts';
import { useTexts } from '../../i18n/language.ts';

type Replay = components['schemas']['Replay'];

const texts = {
  zh: {
    replay: '重放',
    replayOf: '重放第 {n} 版决定',
    identical: '一致（identical）',
    identicalDetail: '按记录的输入和政策版本 {policy} 重新计算，结果与记录的决定逐字节相同。',
    differs: '不一致：重放结果与记录的决定有 {count} 处不同',
    policyMissing: '记录的政策版本 {policy} 已找不到，无法重放',
    checks: '核对项',
    policyFound: '政策版本仍在',
    policyHash: '政策哈希一致',
    inputHash: '输入哈希一致',
    yes: '是',
    no: '否',
    caption: '重放与记录不同的字段',
    path: '字段',
    recorded: '记录值',
    replayed: '重放值',
    absent: '（无）',
    failed: '重放失败',
  },
  en: {
    replay: 'Replay',
    replayOf: 'Replay decision revision {n}',
    identical: 'Identical',
    identicalDetail:
      'Recomputed from the recorded inputs under policy version {policy}: byte-for-byte the recorded decision.',
    differs: 'Different: the replay differs from the recorded decision in {count} places',
    policyMissing: 'The recorded policy version {policy} cannot be found: nothing to replay with',
    checks: 'Checks',
    policyFound: 'Policy version found',
    policyHash: 'Policy hash matches',
    inputHash: 'Input hash matches',
    yes: 'yes',
    no: 'no',
    caption: 'Fields where the replay differs from the record',
    path: 'Field',
    recorded: 'Recorded',
    replayed: 'Replayed',
    absent: '(absent)',
    failed: 'Replay failed',
  },
};

function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => String(values[key] ?? whole));
}

interface Difference {
  readonly path: string;
  readonly recorded: unknown;
  readonly replayed: unknown;
}

const ABSENT = Symbol('absent');

/** Every leaf where two JSON values differ, by dotted path (`referralReward.amountFen`, `flags.0.reasons`). */
export function differences(recorded: unknown, replayed: unknown, path = ''): Difference[] {
  const bothObjects =
    typeof recorded === 'object' && recorded !== null && typeof replayed === 'object' && replayed !== null;
  if (bothObjects && Array.isArray(recorded) === Array.isArray(replayed)) {
    const left = recorded as Record<string, unknown>;
    const right = replayed as Record<string, unknown>;
    const keys = [...new Set([...Object.keys(left), ...Object.keys(right)])];
    return keys.flatMap((key) =>
      differences(
        key in left ? left[key] : ABSENT,
        key in right ? right[key] : ABSENT,
        path === '' ? key : `${path}.${key}`,
      ),
    );
  }
  const same =
    recorded === ABSENT || replayed === ABSENT
      ? recorded === replayed
      : JSON.stringify(recorded) === JSON.stringify(replayed);
  return same ? [] : [{ path: path === '' ? '(decision)' : path, recorded, replayed }];
}

/** 重放 of one decision revision: the auditor sees "一致 identical" or exactly which fields differ. */
export function ReplayAction({ leadId, revision }: { leadId: string; revision: number }) {
  const t = useTexts(texts);
  const [busy, setBusy] = useState(false);
  const [replay, setReplay] = useState<Replay>();
  const [problem, setProblem] = useState<Problem>();

  const run = async () => {
    setBusy(true);
    setProblem(undefined);
    const { data, error, response } = await api.POST('/leads/{id}/decisions/{revision}/replay', {
      params: { path: { id: leadId, revision: String(revision) } },
    });
    setBusy(false);
    if (data === undefined) setProblem(problemOf(error, response.status));
    else setReplay(data);
  };

  const shown = (value: unknown) => (value === ABSENT ? t.absent : JSON.stringify(value));

  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Button onClick={() => void run()} loading={busy} aria-label={fill(t.replayOf, { n: revision })}>
        {t.replay}
      </Button>
      <div aria-live="polite">
        {problem === undefined ? null : (
          <Alert type="error" showIcon title={t.failed} description={problem.detail} />
        )}
        {replay === undefined ? null : <ReplayResult replay={replay} t={t} shown={shown} />}
      </div>
    </Space>
  );
}

function ReplayResult({
  replay,
  t,
  shown,
}: {
  replay: Replay;
  t: (typeof texts)['zh'];
  shown: (value: unknown) => string;
}) {
  const yesNo = (value: boolean) => (value ? `✓ ${t.yes}` : `✗ ${t.no}`);
  const checks = (
    <Typography.Text>
      {`${t.checks}: ${t.policyFound} ${yesNo(replay.policyFound)}；${t.policyHash} ${yesNo(replay.policyHashMatches)}；${t.inputHash} ${yesNo(replay.inputHashMatches)}`}
    </Typography.Text>
  );
  if (replay.replayed === null) {
    return (
      <Alert
        type="warning"
        showIcon
        data-testid="replay-result"
        title={fill(t.policyMissing, { policy: replay.policyVersion })}
        description={checks}
      />
    );
  }
  if (replay.identical) {
    return (
      <Alert
        type="success"
        showIcon
        data-testid="replay-result"
        title={`✓ ${t.identical}`}
        description={
          <div>
            <div>{fill(t.identicalDetail, { policy: replay.policyVersion })}</div>
            {checks}
          </div>
        }
      />
    );
  }
  const found = differences(replay.recorded, replay.replayed);
  return (
    <Alert
      type="error"
      showIcon
      data-testid="replay-result"
      title={`✗ ${fill(t.differs, { count: found.length })}`}
      description={
        <div>
          {checks}
          <Table<Difference>
            size="small"
            rowKey="path"
            pagination={false}
            dataSource={found}
            caption={<span style={VISUALLY_HIDDEN}>{t.caption}</span>}
            columns={[
              {
                title: t.path,
                dataIndex: 'path',
                key: 'path',
                render: (path: string) => <code>{path}</code>,
              },
              { title: t.recorded, key: 'recorded', render: (_, row) => shown(row.recorded) },
              { title: t.replayed, key: 'replayed', render: (_, row) => shown(row.replayed) },
            ]}
            style={{ marginTop: 8 }}
          />
        </div>
      }
    />
  );
}
