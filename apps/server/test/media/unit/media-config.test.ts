// Media configuration from the environment: defaults, relative THUMB_DIR, bounds on MEDIA_CONCURRENCY.
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../src/index.ts';

describe('media configuration', () => {
  it('has defaults that need no setup', () => {
    const config = loadConfig({ PHOTOSYNC_DATA_DIR: '/srv/photos' }, '/');
    expect(config.thumbDir).toBe('/srv/photos/thumbs');
    expect(config.media).toEqual({
      concurrency: 2,
      ffmpegPath: 'ffmpeg',
      ffprobePath: 'ffprobe',
      exiftoolPath: 'exiftool',
    });
  });

  it('reads THUMB_DIR (relative to the data dir), MEDIA_CONCURRENCY and tool paths', () => {
    const config = loadConfig(
      {
        PHOTOSYNC_DATA_DIR: '/srv/photos',
        THUMB_DIR: 'cache/thumbs',
        MEDIA_CONCURRENCY: '4',
        FFMPEG_PATH: '/opt/ffmpeg/bin/ffmpeg',
      },
      '/',
    );
    expect(config.thumbDir).toBe('/srv/photos/cache/thumbs');
    expect(config.media.concurrency).toBe(4);
    expect(config.media.ffmpegPath).toBe('/opt/ffmpeg/bin/ffmpeg');
  });

  it.each(['0', '65', 'two', '1.5'])('refuses MEDIA_CONCURRENCY=%s with a message naming it', (value) => {
    expect(() => loadConfig({ MEDIA_CONCURRENCY: value }, '/')).toThrow(ConfigError);
    expect(() => loadConfig({ MEDIA_CONCURRENCY: value }, '/')).toThrow(/MEDIA_CONCURRENCY/);
  });
});
