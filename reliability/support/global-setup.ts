/**
 * vitest global setup of the reliability suite: a fresh results file for the run (handed to the tests with
 * `provide`), and at teardown the summary table, printed and — for a full run — written to
 * docs/RELIABILITY.md together with the command, date and machine that produced it.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, release, tmpdir, totalmem, type } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { format, resolveConfig } from 'prettier';
import type { TestProject } from 'vitest/node';
import type { ResultRecord } from './results.ts';
import { SCALE } from './scale.ts';
import { renderSummary } from './summary.ts';

const REPORT = fileURLToPath(new URL('../../docs/RELIABILITY.md', import.meta.url));

function command(): string {
  if (process.env['npm_lifecycle_event'] === 'test:reliability') return 'npm run test:reliability';
  const argv = process.argv.slice(2).join(' ');
  return `RELIABILITY_SCALE=${SCALE} vitest ${argv}`.trim();
}

function machine(): string {
  const cores = cpus();
  const memory = Math.round(totalmem() / 2 ** 30);
  return `${cores.length} × ${cores[0]?.model.trim() ?? 'CPU'}, ${memory} GiB RAM, ${type()} ${release()}, Node ${process.version}`;
}

export default function setup(project: TestProject): () => Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'photosync-reliability-'));
  const file = join(dir, 'results.jsonl');
  writeFileSync(file, '');
  project.provide('reliabilityResults', file);
  const started = Date.now();
  return async () => {
    const records = readFileSync(file, 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as ResultRecord);
    rmSync(dir, { recursive: true, force: true });
    if (records.length === 0) return;
    const rendered = renderSummary(records, {
      command: command(),
      scale: SCALE,
      date: new Date().toISOString(),
      machine: machine(),
      durationMs: Date.now() - started,
    });
    // Formatted like every Markdown file of the repository, so that `prettier --check` passes on the report.
    const summary = await format(rendered, { ...(await resolveConfig(REPORT)), parser: 'markdown' });
    console.log(`\n${summary}`);
    if (SCALE === 'full') {
      writeFileSync(REPORT, summary);
      console.log(`written to ${REPORT}`);
    }
  };
}
