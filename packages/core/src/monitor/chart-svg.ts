/**
 * A line chart as SVG text, built by hand: the series, its threshold as a dashed line, a grid
 * with labelled axes (UTC times), and a title. The renderer turns it into a PNG.
 */
import type { Point } from './ring.js';

/** The chart's size in pixels: Telegram shows it whole on a phone, mail clients inline. */
export const CHART_WIDTH = 800;
export const CHART_HEIGHT = 400;

const MARGIN = { left: 56, right: 32, top: 40, bottom: 36 };
const TICKS = 4;

/** What one chart shows. */
export interface ChartSpec {
  readonly title: string;
  readonly points: readonly Point[];
  /** The time span of the x axis (ms since the epoch). */
  readonly from: number;
  readonly to: number;
  /** `%` charts run 0..100; others scale to their data and threshold. */
  readonly unit: string;
  readonly threshold: number;
}

/** The SVG document of `spec`. */
export function chartSvg(spec: ChartSpec): string {
  const width = CHART_WIDTH - MARGIN.left - MARGIN.right;
  const height = CHART_HEIGHT - MARGIN.top - MARGIN.bottom;
  const top =
    spec.unit === '%'
      ? 100
      : niceCeiling(spec.points.reduce((m, p) => Math.max(m, p.value), spec.threshold) * 1.1);
  const span = Math.max(1, spec.to - spec.from);
  const x = (at: number): number => MARGIN.left + ((at - spec.from) / span) * width;
  const y = (value: number): number =>
    MARGIN.top + height - (Math.min(Math.max(value, 0), top) / top) * height;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${CHART_WIDTH}" height="${CHART_HEIGHT}" viewBox="0 0 ${CHART_WIDTH} ${CHART_HEIGHT}" font-family="DejaVu Sans, sans-serif" font-size="13">`,
    `<rect width="${CHART_WIDTH}" height="${CHART_HEIGHT}" fill="#ffffff"/>`,
    `<text x="${MARGIN.left}" y="24" font-size="16" fill="#222222">${escapeXml(spec.title)}</text>`,
  ];
  for (let i = 0; i <= TICKS; i++) {
    const value = (top * i) / TICKS;
    const gy = y(value).toFixed(1);
    parts.push(
      `<line x1="${MARGIN.left}" y1="${gy}" x2="${MARGIN.left + width}" y2="${gy}" stroke="#e3e3e3"/>`,
      `<text x="${MARGIN.left - 6}" y="${gy}" dy="4" text-anchor="end" fill="#555555">${label(value, spec.unit)}</text>`,
    );
    const at = spec.from + (span * i) / TICKS;
    parts.push(
      `<text x="${x(at).toFixed(1)}" y="${CHART_HEIGHT - 14}" text-anchor="middle" fill="#555555">${new Date(at).toISOString().slice(11, 16)}</text>`,
    );
  }
  const ty = y(spec.threshold).toFixed(1);
  parts.push(
    `<line x1="${MARGIN.left}" y1="${ty}" x2="${MARGIN.left + width}" y2="${ty}" stroke="#d62728" stroke-width="1.5" stroke-dasharray="6 4"/>`,
    `<rect x="${MARGIN.left}" y="${MARGIN.top}" width="${width}" height="${height}" fill="none" stroke="#999999"/>`,
  );
  if (spec.points.length > 0) {
    const line = spec.points.map((p) => `${x(p.at).toFixed(1)},${y(p.value).toFixed(1)}`);
    // A single sample has no line to draw: show it as a dot.
    parts.push(
      spec.points.length === 1
        ? `<circle cx="${line[0]?.split(',')[0]}" cy="${line[0]?.split(',')[1]}" r="3" fill="#1f77b4"/>`
        : `<polyline points="${line.join(' ')}" fill="none" stroke="#1f77b4" stroke-width="2" stroke-linejoin="round"/>`,
    );
  }
  parts.push('</svg>');
  return parts.join('\n');
}

/** An axis label: whole percents, or two significant decimals for load. */
function label(value: number, unit: string): string {
  return unit === '%' ? `${Math.round(value)}%` : value.toFixed(value < 10 ? 2 : 0);
}

/** The next of 1, 2, 5 × 10^n at or above `value`, so axis labels are round. */
function niceCeiling(value: number): number {
  if (!(value > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) if (step * power >= value) return step * power;
  return 10 * power;
}

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
