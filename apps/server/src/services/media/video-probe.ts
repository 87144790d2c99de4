/**
 * Videos through the system's ffprobe and ffmpeg: duration, creation time and displayed size from ffprobe's
 * JSON, and a poster frame at about 0.25 s (past the black or blurred first frame many phones record) as PNG
 * bytes for the thumbnail renderer. ffmpeg applies the rotation the container declares. Paths are passed as
 * `file:` URLs so that no file name is ever read as another protocol or an option.
 */
import { runTool } from './external-tool.ts';

export interface VideoInfo {
  readonly durationMs: number | null;
  /** ISO 8601 with offset (Apple's creationdate) or in UTC (creation_time). */
  readonly createdAt: string | null;
  readonly width: number | null;
  readonly height: number | null;
}

interface ProbeStream {
  codec_type?: string;
  width?: number;
  height?: number;
  tags?: Record<string, string>;
  side_data_list?: { rotation?: number }[];
}

interface ProbeOutput {
  streams?: ProbeStream[];
  format?: { duration?: string; tags?: Record<string, string> };
}

const POSTER_AT_SECONDS = 0.25;
const APPLE_DATE = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})([+-]\d{2}):?(\d{2})$/;

/** A creation time we can trust: Apple's local time with offset first, else the container's UTC time. */
function creationTime(tags: Record<string, string>): string | null {
  const apple = APPLE_DATE.exec(tags['com.apple.quicktime.creationdate'] ?? '');
  if (apple) return `${apple[1]}${apple[2]}:${apple[3]}`;
  const utc = tags['creation_time'];
  if (!utc) return null;
  const ms = Date.parse(utc);
  // 1904-01-01 (QuickTime's epoch) and 1970 mean "not set".
  return Number.isFinite(ms) && ms > Date.UTC(1971, 0, 1) ? new Date(ms).toISOString() : null;
}

export function parseProbe(output: ProbeOutput): VideoInfo {
  const video = output.streams?.find((stream) => stream.codec_type === 'video');
  const seconds = Number(output.format?.duration);
  const rotation = Math.abs(video?.side_data_list?.find((data) => data.rotation !== undefined)?.rotation ?? 0);
  const legacyRotation = Math.abs(Number(video?.tags?.['rotate'] ?? 0));
  const quarter = rotation % 180 === 90 || legacyRotation % 180 === 90;
  const width = video?.width ?? null;
  const height = video?.height ?? null;
  return {
    durationMs: Number.isFinite(seconds) && seconds >= 0 ? Math.round(seconds * 1000) : null,
    createdAt: creationTime({ ...video?.tags, ...output.format?.tags }),
    width: quarter ? height : width,
    height: quarter ? width : height,
  };
}

export async function probeVideo(ffprobe: string, path: string, signal?: AbortSignal): Promise<VideoInfo> {
  const { stdout } = await runTool(
    ffprobe,
    ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', `file:${path}`],
    { timeoutMs: 60_000, ...(signal ? { signal } : {}) },
  );
  return parseProbe(JSON.parse(stdout.toString('utf8')) as ProbeOutput);
}

/** One frame as PNG bytes, at 0.25 s (or the first frame of a shorter video). */
export async function posterFrame(
  ffmpeg: string,
  path: string,
  durationMs: number | null,
  signal?: AbortSignal,
): Promise<Buffer> {
  const at = durationMs !== null && durationMs <= POSTER_AT_SECONDS * 1000 ? 0 : POSTER_AT_SECONDS;
  const grab = async (seconds: number): Promise<Buffer> => {
    const args = ['-v', 'error', '-nostdin', '-ss', String(seconds), '-i', `file:${path}`];
    const output = ['-frames:v', '1', '-an', '-f', 'image2pipe', '-c:v', 'png', 'pipe:1'];
    const { stdout } = await runTool(ffmpeg, [...args, ...output], {
      timeoutMs: 120_000,
      maxOutputBytes: 256 * 2 ** 20,
      ...(signal ? { signal } : {}),
    });
    return stdout;
  };
  const frame = await grab(at);
  // A seek past the last frame yields nothing: take the first frame instead.
  return frame.length > 0 || at === 0 ? frame : grab(0);
}
