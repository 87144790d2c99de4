/**
 * The few DOM shapes the browser tests read inside `page.evaluate` (the root tsconfig has no DOM lib; the
 * callbacks run in the page, so they may only use types from here, never values).
 */
export interface ImageLike {
  readonly complete: boolean;
  readonly naturalWidth: number;
  readonly naturalHeight: number;
}

export interface VideoLike {
  readonly readyState: number;
  readonly duration: number;
  currentTime: number;
  addEventListener(type: string, listener: () => void, options: { once: boolean }): void;
}

export interface DocumentLike {
  readonly activeElement: { getAttribute(name: string): string | null } | null;
  readonly documentElement: { readonly scrollWidth: number; readonly clientWidth: number };
}

export interface WindowLike {
  readonly document: DocumentLike;
}

export interface ElementLike {
  readonly clientWidth: number;
}
