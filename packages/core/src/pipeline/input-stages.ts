/**
 * The input stages of the pipeline, in the order DESIGN §2 fixes. Each is a named function;
 * the errors each can return are listed in docs/pipeline.md.
 */
import { PipelineError } from '../errors.js';
import { admit } from '../guard/admission.js';
import { isPlt, parsePlt } from '../filters/plt.js';
import { translateSequences } from '../filters/translate-sequences.js';
import type { Stage } from './step.js';

/** Commands longer than this many UTF-8 bytes are refused. */
export const MAX_COMMAND_BYTES = 16384;

/**
 * 1–2. Lockdown, maintenance, the ban, the channel's per-source limit and the global budget
 * (DESIGN §10, §12).
 */
const admission: Stage = {
  name: 'admission',
  async run(step, { command, plan, policy, services }) {
    const refusal = await admit(services.store, policy, {
      channel: command.channel,
      source: command.source,
      rateLimit: plan.rateLimit,
      spendsGlobal: true,
    });
    return refusal ?? step;
  },
};

/**
 * Control characters other than tab, LF and CR (C0, DEL and C1): no channel's user types them,
 * and a NUL would reach a program's argv (DESIGN §10).
 */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL_CHARACTER = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/u;

/** 3. The size cap, measured on the raw text; text that is not valid Unicode, or has controls. */
const length: Stage = {
  name: 'length',
  run(step) {
    if (Buffer.byteLength(step.content, 'utf8') > MAX_COMMAND_BYTES) {
      return new PipelineError('TOO_LONG');
    }
    const valid = step.content.isWellFormed() && !CONTROL_CHARACTER.test(step.content);
    return valid ? step : new PipelineError('INVALID_TEXT');
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
        // Capped: a flood from thousands of sources is thousands of bans (`.e bans` lists them).
        services.refusals.refused('ban', 'banned after repeated failed logins', {
          channel: ban.channel,
          source: ban.source,
          until: new Date(ban.expiresAt).toISOString(),
        });
      }
      return new PipelineError('INVALID_LOGIN');
    }
    if (match.kind === 'codePair') {
      const claim = await services.store.claimCodeHalves(match.halves, match.command.trim());
      if (claim === 'reused') return new PipelineError('CODE_REUSED');
      if (claim === 'unavailable') return new PipelineError('CODES_UNAVAILABLE');
    }
    if (match.kind !== 'shortcut') {
      // Only a secret makes a source known: a shortcut needs none (DESIGN §10, known sources).
      await services.store.rememberSource(
        command.channel,
        command.source,
        config.limits.knownSourceDays * 86_400,
      );
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
  admission,
  length,
  pinAndShortcuts,
  translate,
  trim,
  plt,
  dispatch,
];
