/**
 * `.e chart cpu|memory|disk|load [1h|6h|24h]`: the series of one figure over a window, its
 * min/avg/max in one line (what text channels answer), and the chart built from it.
 */
import type { MonitorConfig } from '../config/types.js';
import { chartSvg, type ChartSpec } from './chart-svg.js';
import { METRICS, type Metric, type Point, type SampleRing } from './ring.js';

/** The windows a chart may span. */
export const WINDOWS = { '1h': 3_600_000, '6h': 21_600_000, '24h': 86_400_000 } as const;

/** A window name. */
export type ChartWindow = keyof typeof WINDOWS;

/** What `.e chart` says when the arguments are wrong. */
export const CHART_USAGE = `usage: .e chart ${METRICS.join('|')} [${Object.keys(WINDOWS).join('|')}]`;

/** One figure over a window: what the console draws, and what the PNG and summary are made of. */
export interface ChartData {
  readonly metric: Metric;
  readonly window: ChartWindow;
  readonly from: number;
  readonly to: number;
  readonly points: readonly Point[];
  /** `%` for cpu, memory and disk; empty for load. */
  readonly unit: string;
  /** The alert threshold on the chart's scale (load: per CPU times the CPUs). */
  readonly threshold: number;
}

/** The metric and window of `cpu 6h`, or undefined when they are not one of the choices. */
export function parseChartArgs(
  args: readonly string[],
): { metric: Metric; window: ChartWindow } | undefined {
  const [metric = '', window = '1h', ...extra] = args.map((a) => a.toLowerCase());
  if (extra.length > 0 || !isMetric(metric) || !isWindow(window)) return undefined;
  return { metric, window };
}

function isMetric(text: string): text is Metric {
  return (METRICS as readonly string[]).includes(text);
}

function isWindow(text: string): text is ChartWindow {
  return Object.hasOwn(WINDOWS, text);
}

/** The series of `metric` in `ring` over the `window` up to `now`. */
export function chartData(
  ring: SampleRing,
  metric: Metric,
  window: ChartWindow,
  thresholds: MonitorConfig['thresholds'],
  now: number,
): ChartData {
  const from = now - WINDOWS[window];
  const cores = ring.latest?.cores ?? 1;
  const threshold = {
    cpu: thresholds.cpuPercent,
    memory: thresholds.memoryPercent,
    disk: thresholds.diskPercent,
    load: thresholds.load1PerCore * cores,
  }[metric];
  return {
    metric,
    window,
    from,
    to: now,
    points: ring.series(metric, from),
    unit: metric === 'load' ? '' : '%',
    threshold,
  };
}

/** `cpu 1h: min 3% avg 12% max 97% over 60 samples` — one SMS at most. */
export function chartSummary(data: ChartData): string {
  const head = `${data.metric} ${data.window}:`;
  if (data.points.length === 0) return `${head} no samples yet`;
  const show = (v: number): string => (data.unit === '%' ? `${Math.round(v)}%` : v.toFixed(2));
  let [min, max, sum] = [Infinity, -Infinity, 0];
  for (const { value } of data.points) {
    min = Math.min(min, value);
    max = Math.max(max, value);
    sum += value;
  }
  const avg = sum / data.points.length;
  return (
    `${head} min ${show(min)} avg ${show(avg)} max ${show(max)} ` +
    `over ${data.points.length} samples (threshold ${show(data.threshold)})`
  );
}

/** The chart's SVG: the title names the figure, window and host. */
export function chartDataSvg(data: ChartData, host: string): string {
  const spec: ChartSpec = {
    title: `${host}: ${data.unit === '%' ? `${data.metric} %` : 'load average (1 min)'}, last ${data.window} (UTC)`,
    points: data.points,
    from: data.from,
    to: data.to,
    unit: data.unit,
    threshold: data.threshold,
  };
  return chartSvg(spec);
}
