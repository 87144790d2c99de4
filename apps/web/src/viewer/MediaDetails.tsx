/** What the server learned about a file (camera, size, place), from /api/v2/files/:filename/metadata. */
import { AssetMetadata } from '@photosync/protocol';
import { getJson } from '../app/api.ts';
import { formatDuration } from '../ui/format.ts';
import { useLoad } from '../ui/use-load.ts';

export function MediaDetails({ filename }: { readonly filename: string }) {
  const { data } = useLoad(
    (signal) => getJson(AssetMetadata, `/api/v2/files/${encodeURIComponent(filename)}/metadata`, signal),
    [filename],
  );
  if (!data) return null;
  const rows: [string, string][] = [];
  if (data.width && data.height) rows.push(['Size', `${data.width} × ${data.height}`]);
  if (data.durationMs !== null) rows.push(['Length', formatDuration(data.durationMs)]);
  const camera = [data.cameraMake, data.cameraModel].filter(Boolean).join(' ');
  if (camera) rows.push(['Camera', camera]);
  if (data.latitude !== null && data.longitude !== null) {
    rows.push(['Place', `${data.latitude.toFixed(5)}, ${data.longitude.toFixed(5)}`]);
  }
  if (data.job?.status === 'failed' && data.job.reason) rows.push(['Processing', data.job.reason]);
  if (rows.length === 0) return null;
  return (
    <dl className="details">
      {rows.map(([term, value]) => (
        <div key={term}>
          <dt>{term}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}
