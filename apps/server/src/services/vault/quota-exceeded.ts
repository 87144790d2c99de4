/** 413 QUOTA_EXCEEDED with the figures existing phones read (PROTOCOL.md §4). */
import { DomainError } from '../errors.ts';

export class QuotaExceeded extends DomainError {
  readonly status = 413;
  readonly code = 'QUOTA_EXCEEDED';
  constructor(usedBytes: number, quotaBytes: number) {
    super('Storage limit reached', { usedBytes, quotaBytes, remainingBytes: Math.max(0, quotaBytes - usedBytes) });
  }
}
