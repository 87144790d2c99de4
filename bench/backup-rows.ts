/**
 * Table rows of the backup-client phases (issue 4): the CLI's initial backup against a minimal client to the
 * bare baseline (target ≥ 70% of its throughput) and the re-run over an unchanged tree (target < 3 s for
 * 10,000 files, 0 bytes sent). The time target applies only at 10,000 files or more, as quick runs use fewer.
 * Must never: fail the run on a missed target.
 */
import type { BackupMeasurements } from './backup-phase.ts';
import { count, fixed, infoRow, mb, throughputRow, verdict, type Row } from './report.ts';

const RERUN_TARGET_FILES = 10_000;
const RERUN_TARGET_SECONDS = 3;

export function backupRows({ initial, rerun }: BackupMeasurements): Row[] {
  const { ours, baseline } = initial;
  const rounds = ours.rounds > 1 ? `, ${ours.rounds} rounds` : '';
  const label = `CLI backup, ${count(ours.files)} photos × ~${mb(ours.bytes / (ours.files * ours.rounds))} MB${rounds}`;
  const percent = (a: number, b: number): string => `${fixed((a / b) * 100, 0)}%`;
  const rerunLabel = `CLI backup again, ${count(rerun.files)} unchanged files`;
  const timeTarget = rerun.files >= RERUN_TARGET_FILES;
  return [
    infoRow(
      `${label}: wall s`,
      fixed(ours.seconds, 1),
      fixed(baseline.seconds, 1),
      percent(ours.seconds, baseline.seconds),
    ),
    throughputRow(`${label}: MB/s`, ours.mbPerSecond, baseline.mbPerSecond, 0.7),
    infoRow(
      `${label}: client CPU s`,
      fixed(ours.clientCpuSeconds, 1),
      fixed(baseline.clientCpuSeconds, 1),
      percent(ours.clientCpuSeconds, baseline.clientCpuSeconds),
    ),
    infoRow(
      `${label}: server CPU s`,
      fixed(ours.serverCpuSeconds, 1),
      fixed(baseline.serverCpuSeconds, 1),
      percent(ours.serverCpuSeconds, baseline.serverCpuSeconds),
    ),
    {
      metric: `${rerunLabel}: s`,
      ours: fixed(rerun.seconds, 2),
      baseline: '—',
      ratio: '',
      target: timeTarget ? `< ${RERUN_TARGET_SECONDS} s` : '',
      result: timeTarget ? verdict(rerun.seconds < RERUN_TARGET_SECONDS) : '',
    },
    {
      metric: `${rerunLabel}: bytes sent`,
      ours: count(rerun.bytesSent),
      baseline: '—',
      ratio: '',
      target: '0',
      result: verdict(rerun.bytesSent === 0),
    },
    infoRow(`${rerunLabel}: CLI CPU s`, fixed(rerun.cpuSeconds, 2), '—'),
    infoRow(`${rerunLabel}: hashes from the cache`, count(rerun.filesHashedFromCache), '—'),
  ];
}
