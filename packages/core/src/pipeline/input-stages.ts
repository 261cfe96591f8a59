/**
 * The input stages of the pipeline, in the order DESIGN §2 fixes. Each is a named function;
 * the errors each can return are listed in docs/pipeline.md.
 */
import { PipelineError } from '../errors.js';
import { isPlt, parsePlt } from '../filters/plt.js';
import { translateSequences } from '../filters/translate-sequences.js';
import type { Stage } from './step.js';

/** Commands longer than this many UTF-8 bytes are refused. */
export const MAX_COMMAND_BYTES = 16384;

/** 1. Lockdown refuses everything. */
const lockdown: Stage = {
  name: 'lockdown',
  async run(step, { services }) {
    return (await services.store.isLockedDown()) ? new PipelineError('LOCKED_DOWN') : step;
  },
};

/** 2. Global limit, then the source's ban and the channel's per-source limit. */
const guard: Stage = {
  name: 'guard',
  async run(step, { command, config, plan, services: { store } }) {
    const global = { requests: config.limits.commandsPerSecond, perSec: 1 };
    if (!(await store.consume('global', 'instance', global))) {
      return new PipelineError('RATE_LIMITED');
    }
    if (await store.isBanned(command.channel, command.source)) return new PipelineError('BANNED');
    if (!(await store.consume(`source:${command.channel}`, command.source, plan.rateLimit))) {
      return new PipelineError('RATE_LIMITED');
    }
    return step;
  },
};

/** 3. The size cap, measured on the raw text, and text that is not valid Unicode. */
const length: Stage = {
  name: 'length',
  run(step) {
    if (Buffer.byteLength(step.content, 'utf8') > MAX_COMMAND_BYTES) {
      return new PipelineError('TOO_LONG');
    }
    return step.content.isWellFormed() ? step : new PipelineError('INVALID_TEXT');
  },
};

/** 4. Password, shortcut or one-time-code pair; a miss counts toward a ban. */
const pinAndShortcuts: Stage = {
  name: 'pinAndShortcuts',
  async run(step, { command, config, plan, services }) {
    const match = plan.pin.match(step.content);
    if (match === undefined) {
      const ban = await services.store.recordFailedLogin(
        command.channel,
        command.source,
        config.limits,
      );
      if (ban !== undefined) {
        services.logger.warn(
          {
            channel: ban.channel,
            source: ban.source,
            until: new Date(ban.expiresAt).toISOString(),
          },
          'banned after repeated failed logins',
        );
      }
      return new PipelineError('INVALID_LOGIN');
    }
    if (match.kind === 'codePair') {
      const text = match.command.trim();
      if (!(await services.store.claimCodePair(match.pair, text, match.expiresAt))) {
        return new PipelineError('CODE_REUSED');
      }
    }
    return { ...step, content: match.command, authorised: true };
  },
};

/** 5. Configured character sequences replaced, in order. */
const translate: Stage = {
  name: 'translateSequences',
  run(step, { plan }) {
    const sequences = plan.filters.translateSequences.sequences;
    return sequences.length === 0
      ? step
      : { ...step, content: translateSequences(step.content, sequences) };
  },
};

/** 6. Surrounding whitespace removed; nothing left is an error. */
const trim: Stage = {
  name: 'trim',
  run(step, { apps }) {
    const content = step.content.trim();
    if (content === '') return new PipelineError('EMPTY_COMMAND');
    return { ...step, content, shown: apps.show(content) };
  },
};

/** 7. `.plt SKIP MAXLEN TIMEOUT` overrides for this command. */
const plt: Stage = {
  name: 'plt',
  run(step, { apps }) {
    if (!isPlt(step.content)) return step;
    const override = parsePlt(step.content);
    if (override === undefined) return new PipelineError('BAD_PLT');
    return {
      ...step,
      content: override.command,
      shown: apps.show(override.command),
      timeoutSec: override.timeoutSec,
      lint: { ...step.lint, beginPosition: override.beginPosition, maxLength: override.maxLength },
    };
  },
};

/** 8. The trigger selects an enabled app; the rest is its input. */
const dispatch: Stage = {
  name: 'dispatch',
  run(step, { apps }) {
    const lower = step.content.toLowerCase();
    const app = apps.byTrigger.find((a) => lower.startsWith(a.trigger.toLowerCase()));
    if (app === undefined) return new PipelineError('UNKNOWN_APP', apps.triggers);
    const input = step.content.slice(app.trigger.length).trim();
    return { ...step, app, input };
  },
};

/** The input stages, in order. */
export const INPUT_STAGES: readonly Stage[] = [
  lockdown,
  guard,
  length,
  pinAndShortcuts,
  translate,
  trim,
  plt,
  dispatch,
];
