import { existsSync } from 'node:fs';

/**
 * A CJK font for chart labels. Fonts are never downloaded at run time and no npm package we can
 * install ships one resvg can read (the @fontsource packages are woff/woff2 pieces), so charts
 * use Debian's packages when present — `scripts/ensure-services.sh` installs fonts-wqy-microhei
 * (1.6 MB) when it can — and fall back to ASCII labels when not, never to boxes of tofu.
 */
const CANDIDATES = [
  { file: '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc', family: 'WenQuanYi Micro Hei' },
  { file: '/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc', family: 'WenQuanYi Zen Hei' },
  { file: '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc', family: 'Noto Sans CJK SC' },
  { file: '/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf', family: 'Droid Sans Fallback' },
] as const;

export interface CjkFont {
  file: string;
  family: string;
}

let found: CjkFont | null | undefined;

/** The first installed CJK font (looked up once per process), or null. */
export function cjkFont(): CjkFont | null {
  if (found === undefined) found = CANDIDATES.find((c) => existsSync(c.file)) ?? null;
  return found;
}

const LATIN = [
  { file: '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf', family: 'DejaVu Sans' },
  { file: '/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf', family: 'Liberation Sans' },
] as const;

let latin: CjkFont[] | undefined;

/** The Latin fonts installed of those charts name (looked up once per process); resvg is given these files only. */
export function latinFonts(): CjkFont[] {
  if (latin === undefined) latin = LATIN.filter((c) => existsSync(c.file));
  return latin;
}
