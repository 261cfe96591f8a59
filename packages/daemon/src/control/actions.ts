/**
 * What each control socket verb does to the running daemon, and the one log line it leaves
 * (`via: "control socket"`): reads at info, changes at warn, as `.e` logs them.
 */
import {
  banList,
  daemonStatus,
  type BanList,
  type DaemonStatus,
  type OwnedServices,
} from '@switchboard/core';
import type { RunningChannel } from '../channels.js';
import type { Request } from './protocol.js';

/** Says where an action came from, in its log line. */
export const VIA = 'control socket';

/** The outcome of a reload: in force, or why not. */
export type ReloadOutcome =
  { readonly applied: true } | { readonly applied: false; readonly reason: string };

/** What the verbs act on: the running daemon. */
export interface ControlTarget {
  readonly services: OwnedServices;
  /** The channels running now (a reload may change them). */
  channels(): readonly RunningChannel[];
  /** Reloads the config as SIGHUP does. */
  reload(reason: string): Promise<ReloadOutcome>;
  readonly version: string;
}

/** The result of each verb, as the answer carries it. */
export interface Results {
  readonly status: DaemonStatus;
  readonly bans: BanList;
  readonly unban: { readonly source: string; readonly lifted: number };
  readonly lock: { readonly lockdown: true };
  readonly maintenance: { readonly maintenance: boolean };
  readonly reload: ReloadOutcome;
}

/** Carries out `request` on `target`; resolves to its result. */
export async function perform(
  request: Request,
  target: ControlTarget,
): Promise<Results[Request['verb']]> {
  const { store, logger } = target.services;
  const { verb } = request;
  switch (verb) {
    case 'status':
      logger.info({ via: VIA, verb }, 'control: status');
      return daemonStatus(target.services, target.channels(), target.version);
    case 'bans': {
      logger.info({ via: VIA, verb }, 'control: bans');
      return banList(store);
    }
    case 'unban': {
      const { source } = request;
      const lifted = await store.unban(source);
      logger.warn({ via: VIA, verb, source, lifted }, `unban ${source}: ${lifted} ban(s) lifted`);
      return { source, lifted };
    }
    case 'lock':
      await store.lockDown();
      logger.warn({ via: VIA, verb }, 'lockdown on until restart');
      return { lockdown: true };
    case 'maintenance':
      if (request.on !== undefined) {
        await store.setMaintenance(request.on);
        logger.warn({ via: VIA, verb }, `maintenance ${request.on ? 'on' : 'off'}`);
      } else {
        logger.info({ via: VIA, verb }, 'control: maintenance');
      }
      return { maintenance: await store.isUnderMaintenance() };
    case 'reload': {
      const outcome = await target.reload(VIA);
      if (outcome.applied) logger.info({ via: VIA, verb }, 'control: reload applied');
      else logger.warn({ via: VIA, verb, why: outcome.reason }, 'control: reload not applied');
      return outcome;
    }
  }
}
