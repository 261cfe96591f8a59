import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { PNG } from 'pngjs';
import { MONITOR_DEFAULTS } from '../config/defaults.js';
import { chartData, chartDataSvg, chartSummary, parseChartArgs } from './chart.js';
import { ChartRenderer } from './chart-renderer.js';
import { CHART_HEIGHT, CHART_WIDTH } from './chart-svg.js';
import { SampleRing } from './ring.js';

const NOW = Date.UTC(2026, 11, 1, 12, 0, 0);
const { thresholds } = MONITOR_DEFAULTS;

/** An hour at one sample a minute: a calm CPU with a spike over the threshold. */
function busyHour(): SampleRing {
  const ring = SampleRing.forHistory(24, 60);
  for (let i = 60; i >= 0; i--) {
    const minute = 60 - i;
    const cpuPercent =
      minute >= 38 && minute <= 46 ? 94 + (minute % 3) : 12 + 8 * Math.sin(minute / 4);
    ring.push({
      at: NOW - i * 60_000,
      cpuPercent,
      memoryPercent: 41 + minute / 10,
      disks: [{ mount: '/', usedPercent: 63 }],
      load1: cpuPercent / 40,
      cores: 2,
      netRxBytesPerSec: 0,
      netTxBytesPerSec: 0,
    });
  }
  return ring;
}

describe('.e chart', () => {
  it('takes a metric and an optional window, nothing else', () => {
    assert.deepEqual(parseChartArgs(['CPU']), { metric: 'cpu', window: '1h' });
    assert.deepEqual(parseChartArgs(['load', '24h']), { metric: 'load', window: '24h' });
    assert.equal(parseChartArgs([]), undefined);
    assert.equal(parseChartArgs(['cpu', '2h']), undefined);
    assert.equal(parseChartArgs(['cpu', '1h', 'x']), undefined);
    fc.assert(
      fc.property(fc.array(fc.string(), { maxLength: 3 }), (args) => {
        const parsed = parseChartArgs(args);
        if (parsed === undefined) return;
        assert.ok(['cpu', 'memory', 'disk', 'load'].includes(parsed.metric));
        assert.ok(['1h', '6h', '24h'].includes(parsed.window));
        assert.equal(args[0]?.toLowerCase(), parsed.metric);
      }),
    );
  });

  it('sums a window up in one line short enough for an SMS', () => {
    const ring = busyHour();
    const cpu = chartSummary(chartData(ring, 'cpu', '1h', thresholds, NOW));
    assert.match(cpu, /^cpu 1h: min \d+% avg \d+% max 96% over 61 samples \(threshold 90%\)$/);
    assert.ok(cpu.length <= 160);
    const load = chartSummary(chartData(ring, 'load', '6h', thresholds, NOW));
    assert.match(
      load,
      /^load 6h: min \d\.\d\d avg \d\.\d\d max 2\.40 over 61 samples \(threshold 4\.00\)$/,
    );
    const empty = chartData(new SampleRing(10), 'disk', '24h', thresholds, NOW);
    assert.equal(chartSummary(empty), 'disk 24h: no samples yet');
  });

  it('renders an 800x400 PNG with the series and the threshold drawn', async () => {
    const data = chartData(busyHour(), 'cpu', '1h', thresholds, NOW);
    const bytes = await new ChartRenderer().png(chartDataSvg(data, 'myhost'));
    const png = PNG.sync.read(bytes);
    assert.deepEqual([png.width, png.height], [CHART_WIDTH, CHART_HEIGHT]);
    const colours = new Set<string>();
    for (let i = 0; i < png.data.length; i += 4) {
      colours.add(png.data.subarray(i, i + 3).toString('hex'));
    }
    assert.ok(colours.has('1f77b4'), 'the series line is drawn');
    assert.ok(colours.has('d62728'), 'the threshold line is drawn');
    // docs/monitor.md shows this chart: SWITCHBOARD_DOCS_IMAGES=1 writes it again.
    if (process.env.SWITCHBOARD_DOCS_IMAGES === '1') {
      const file = join(
        dirname(fileURLToPath(import.meta.url)),
        '../../../../docs/images/monitor-cpu-1h.png',
      );
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, bytes);
    }
  });

  it('draws a chart with no samples or one sample too', async () => {
    const renderer = new ChartRenderer();
    const none = chartData(new SampleRing(10), 'memory', '1h', thresholds, NOW);
    assert.equal(PNG.sync.read(await renderer.png(chartDataSvg(none, 'h'))).width, CHART_WIDTH);
    const ring = new SampleRing(10);
    const latest = busyHour().latest;
    assert.ok(latest !== undefined);
    ring.push({ ...latest, at: NOW });
    const one = chartData(ring, 'load', '1h', thresholds, NOW);
    assert.equal(PNG.sync.read(await renderer.png(chartDataSvg(one, '<h&>'))).height, CHART_HEIGHT);
  });
});
