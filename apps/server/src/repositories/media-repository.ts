/**
 * SQL for the media side of the library: the timeline (newest capture first, keyset pagination on the
 * (account_id, captured_at_ms, id) index), month buckets, and writing what the pipeline learnt about a file.
 * Every read is scoped by account id; nothing here takes a name or path from a client.
 */
import type { Db } from '../db/database.ts';
import type { Asset } from '../db/schema.ts';

/** The columns the media pipeline fills in. */
export type MediaFields = Pick<
  Asset,
  | 'captured_at'
  | 'captured_at_ms'
  | 'captured_at_source'
  | 'width'
  | 'height'
  | 'orientation'
  | 'camera_make'
  | 'camera_model'
  | 'gps_latitude'
  | 'gps_longitude'
  | 'duration_ms'
  | 'media_kind'
  | 'metadata_source'
  | 'metadata_status'
  | 'thumb_status'
>;

export type TimelineRow = Pick<
  Asset,
  | 'id'
  | 'filename'
  | 'size'
  | 'mime'
  | 'sha256'
  | 'media_kind'
  | 'captured_at'
  | 'captured_at_ms'
  | 'created_at'
  | 'width'
  | 'height'
  | 'duration_ms'
  | 'thumb_status'
>;

/** A position in the timeline: strictly older than this capture time, or as old with a smaller id. */
export interface TimelinePosition {
  readonly capturedAtMs: number;
  readonly id: number;
}

export class MediaRepository {
  constructor(private readonly db: Db) {}

  /** Up to `limit` assets after `after`, newest capture first (ties broken by id, newest first). */
  timelinePage(accountId: number, after: TimelinePosition | undefined, limit: number): Promise<TimelineRow[]> {
    let query = this.db
      .selectFrom('assets')
      .select([
        'id',
        'filename',
        'size',
        'mime',
        'sha256',
        'media_kind',
        'captured_at',
        'captured_at_ms',
        'created_at',
        'width',
        'height',
        'duration_ms',
        'thumb_status',
      ])
      .where('account_id', '=', accountId);
    if (after) {
      query = query.where((eb) => eb(eb.refTuple('captured_at_ms', 'id'), '<', eb.tuple(after.capturedAtMs, after.id)));
    }
    return query.orderBy('captured_at_ms', 'desc').orderBy('id', 'desc').limit(limit).execute();
  }

  /**
   * `YYYY-MM` of the capture time (as the camera's clock read it) with counts, newest month first.
   * Walks the (account_id, captured_at) index month by month — the newest remaining capture, then a count of
   * its month's range — so the cost is one seek per month plus counting index entries, never a sort.
   */
  async months(accountId: number): Promise<{ month: string; count: number }[]> {
    const months: { month: string; count: number }[] = [];
    let before: string | undefined;
    for (let guard = 0; guard < 100_000; guard += 1) {
      let newest = this.db
        .selectFrom('assets')
        .select((eb) => eb.fn.max('captured_at').as('latest'))
        .where('account_id', '=', accountId)
        .where('captured_at', 'is not', null);
      if (before !== undefined) newest = newest.where('captured_at', '<', before);
      const latest = (await newest.executeTakeFirst())?.latest;
      if (!latest) break;
      const month = latest.slice(0, 7);
      // Every ISO time of that month sorts between "YYYY-MM" and "YYYY-MM~" ("~" follows every ISO character).
      const row = await this.db
        .selectFrom('assets')
        .select((eb) => eb.fn.countAll<number>().as('count'))
        .where('account_id', '=', accountId)
        .where('captured_at', '>=', month)
        .where('captured_at', '<', `${month}~`)
        .executeTakeFirst();
      months.push({ month, count: Number(row?.count ?? 0) });
      before = month;
    }
    return months;
  }

  /** The asset a job works on, with the account uuid its file is stored under. */
  async findForJob(assetId: number, accountId: number): Promise<{ asset: Asset; accountUuid: string } | undefined> {
    const row = await this.db
      .selectFrom('assets')
      .innerJoin('accounts', 'accounts.id', 'assets.account_id')
      .selectAll('assets')
      .select('accounts.uuid as account_uuid')
      .where('assets.id', '=', assetId)
      .where('assets.account_id', '=', accountId)
      .where('accounts.deleted_at', 'is', null)
      .executeTakeFirst();
    if (!row) return undefined;
    const { account_uuid: accountUuid, ...asset } = row;
    return { asset, accountUuid };
  }

  /** Record what the pipeline found; false when the asset was deleted meanwhile. */
  async saveMedia(assetId: number, fields: Partial<MediaFields>): Promise<boolean> {
    const result = await this.db.updateTable('assets').set(fields).where('id', '=', assetId).executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }
}
