/**
 * One design's pipeline benchmark in a process of its own (started by `runPipelineComparison` in
 * bench/pipeline.ts, with AUDIT_SHARDS in its environment): runs it and writes the result as JSON.
 */
import { writeFileSync } from 'node:fs';
import { type PipelineOptions, runPipelineBench } from './pipeline.ts';

const [optionsJson, out] = process.argv.slice(2);
if (optionsJson === undefined || out === undefined) throw new Error('usage: pipeline-child <options> <out>');
const options = JSON.parse(optionsJson) as Omit<PipelineOptions, 'log'>;
const result = await runPipelineBench({ ...options, log: (line) => process.stderr.write(`${line}\n`) });
writeFileSync(out, JSON.stringify(result));
// The local cloud is stopped; whatever handle an SDK client keeps must not hold the process.
process.exit(0);
