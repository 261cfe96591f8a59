/**
 * `.e` environment (DESIGN §3): inspect and control the running daemon.
 */
import { statfs } from 'node:fs/promises';
import os from 'node:os';
import type { ChannelName } from '../command.js';
import { AppError } from '../errors.js';
import { CHART_USAGE, parseChartArgs } from '../monitor/chart.js';
import type { Monitor } from '../monitor/monitor.js';
import {
  defineApp,
  NO_SETTINGS_SCHEMA,
  type AppContext,
  type AppOutput,
  type NoSettings,
  type App,
} from './app.js';

const ACTIONS = [
  'info',
  'log',
  'warn',
  'lock',
  'maintenance [on|off]',
  'stop',
  'bans',
  'unban SOURCE',
  'stat',
  'chart METRIC [WINDOW]',
] as const;
const USAGE = `usage: .e ${ACTIONS.join(' | ')}`;
const MB = 1024 * 1024;
/** Channels that send a chart as a picture; the others get its summary line only. */
const PICTURE_CHANNELS: ReadonlySet<ChannelName> = new Set(['telegram', 'smtp']);

/** The `.e` app. */
export const environmentApp: App<NoSettings, 'environment'> = defineApp({
  trigger: '.e',
  name: 'environment',
  docs: { enabled: 'always' },
  settings: { key: 'environment', schema: NO_SETTINGS_SCHEMA, defaults: {} },
  isConfigured: () => true,
  async execute(input, ctx) {
    const [action = '', ...rest] = input.split(/\s+/);
    const { services } = ctx;
    switch (action.toLowerCase()) {
      case 'info':
        return info(ctx);
      case 'log':
      case 'warn':
        return services.logRing
          .entries(action.toLowerCase() === 'warn' ? 'warn' : 'log')
          .join('\n');
      case 'lock':
        await services.store.lockDown();
        services.logger.warn({ channel: ctx.command.channel }, 'lockdown on until restart');
        return 'OK - locked down until restart; every channel now refuses';
      case 'maintenance':
        return maintenance(rest[0]?.toLowerCase(), ctx);
      case 'stop':
        services.logger.warn({ channel: ctx.command.channel }, 'stop requested');
        // Reply first: the daemon stops after in-flight commands, this one included, finish.
        setImmediate(services.requestStop);
        return 'OK - stopping';
      case 'bans': {
        const bans = await services.store.listBans();
        if (bans.length === 0) return 'no bans';
        return bans
          .map((b) => `${b.source} on ${b.channel} until ${new Date(b.expiresAt).toISOString()}`)
          .join('\n');
      }
      case 'unban': {
        const source = rest.join(' ');
        if (source === '') throw new AppError('usage: .e unban SOURCE');
        const lifted = await services.store.unban(source);
        return lifted === 0 ? `${source} is not banned` : `unbanned ${source} (${lifted} ban(s))`;
      }
      case 'stat':
        return monitorOf(ctx).stat();
      case 'chart':
        return chart(monitorOf(ctx), rest, PICTURE_CHANNELS.has(ctx.command.channel));
      default:
        throw new AppError(USAGE);
    }
  },
});

/** `.e maintenance [on|off]`: shows or sets maintenance (DESIGN §12). */
async function maintenance(value: string | undefined, ctx: AppContext): Promise<string> {
  const { store, logger } = ctx.services;
  if (value === undefined) {
    return (await store.isUnderMaintenance()) ? 'maintenance is on' : 'maintenance is off';
  }
  if (value !== 'on' && value !== 'off') throw new AppError('usage: .e maintenance [on|off]');
  await store.setMaintenance(value === 'on');
  logger.warn({ channel: ctx.command.channel, source: ctx.command.source }, `maintenance ${value}`);
  return value === 'on'
    ? 'OK - maintenance on; only maintenance.allow sources get through'
    : 'OK - maintenance off';
}

/** The monitor, or the error that says how to turn it on. */
function monitorOf(ctx: AppContext): Monitor {
  const { monitor } = ctx.services;
  if (monitor === undefined) {
    throw new AppError('the monitor is off: add a "monitor" block to the config (docs/monitor.md)');
  }
  return monitor;
}

/** `.e chart cpu 6h`: the summary line, and the PNG where the channel shows pictures. */
async function chart(
  monitor: Monitor,
  args: readonly string[],
  withPicture: boolean,
): Promise<AppOutput> {
  const choice = parseChartArgs(args);
  if (choice === undefined) throw new AppError(CHART_USAGE);
  if (!withPicture) return { output: monitor.chartSummary(choice.metric, choice.window) };
  const rendered = await monitor.chart(choice.metric, choice.window);
  return {
    output: rendered.summary,
    attachment: {
      filename: `${choice.metric}-${choice.window}.png`,
      contentType: 'image/png',
      content: rendered.png,
    },
  };
}

async function info(ctx: AppContext): Promise<string> {
  const disk = await statfs('/');
  const diskMb = (blocks: number): number => Math.round((blocks * disk.bsize) / MB);
  const usedMem = os.totalmem() - os.freemem();
  const lines = [
    `Host name: ${os.hostname()}`,
    `Clock: ${new Date().toISOString()}`,
    `Sys/prog uptime: ${duration(os.uptime())} / ${duration(process.uptime())}`,
    `Total/used/prog mem: ${mb(os.totalmem())} / ${mb(usedMem)} / ${mb(process.memoryUsage.rss())} MB`,
    `Total/used/free rootfs: ${diskMb(disk.blocks)} / ${diskMb(disk.blocks - disk.bfree)} / ${diskMb(disk.bavail)} MB`,
    `Sys load: ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
    `CPUs: ${os.availableParallelism()}`,
    `Program PID/PPID: ${process.pid} / ${process.ppid}`,
  ];
  const stats = ctx.services.stats.snapshot();
  lines.push(
    stats.length === 0
      ? 'Commands: none yet'
      : `Commands (processed/failed): ${stats.map(([c, s]) => `${c} ${s.processed}/${s.failed}`).join(', ')}`,
  );
  return lines.join('\n');
}

function mb(bytes: number): number {
  return Math.round(bytes / MB);
}

/** `1d2h3m4s` style. */
function duration(totalSec: number): string {
  let s = Math.floor(totalSec);
  const parts: string[] = [];
  for (const [unit, size] of [
    ['d', 86400],
    ['h', 3600],
    ['m', 60],
  ] as const) {
    if (s >= size) {
      parts.push(`${Math.floor(s / size)}${unit}`);
      s %= size;
    }
  }
  parts.push(`${s}s`);
  return parts.join('');
}
