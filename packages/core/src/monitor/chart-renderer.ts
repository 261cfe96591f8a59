/**
 * SVG to PNG in-process, with resvg (a prebuilt native addon: no browser, no network). It costs
 * about 12 MiB of resident memory once used, so it is loaded on the first chart, not at start.
 */
import { access } from 'node:fs/promises';

/** Fonts tried in order for the labels; without any, resvg looks through the system's. */
const FONT_FILES = [
  '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf',
  '/usr/share/fonts/dejavu/DejaVuSans.ttf',
  '/usr/share/fonts/TTF/DejaVuSans.ttf',
];

type ResvgModule = typeof import('@resvg/resvg-js');

/** Renders SVG to PNG; loads resvg and finds a font once, on first use. */
export class ChartRenderer {
  #loaded?: Promise<{ resvg: ResvgModule; fontFile?: string }>;

  /** The PNG bytes of `svg`. */
  async png(svg: string): Promise<Buffer> {
    this.#loaded ??= Promise.all([import('@resvg/resvg-js'), firstFontFile()]).then(
      ([resvg, fontFile]) => (fontFile === undefined ? { resvg } : { resvg, fontFile }),
    );
    const { resvg, fontFile } = await this.#loaded;
    const font =
      fontFile === undefined
        ? { loadSystemFonts: true }
        : { loadSystemFonts: false, fontFiles: [fontFile], defaultFontFamily: 'DejaVu Sans' };
    return new resvg.Resvg(svg, { font }).render().asPng();
  }
}

async function firstFontFile(): Promise<string | undefined> {
  for (const file of FONT_FILES) {
    if (await access(file).then(() => true, () => false)) return file; // prettier-ignore
  }
  return undefined;
}
