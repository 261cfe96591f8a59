/**
 * The input stages of the pipeline, in the order DESIGN §2 fixes. Each is a named function;
 * the errors each can return are listed in docs/pipeline.md.
 */
import { permits } from '../auth/grant.js';
import { PipelineError } from '../errors.js';
import { admit } from '../guard/admission.js';
import { countFailedLogin } from '../guard/failed-login.js';
import { isPlt, parsePlt } from '../filters/plt.js';
import { translateSequences } from '../filters/translate-sequences.js';
import type { RunContext, Stage, Step } from './step.js';

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

/**
 * 4. Password, shortcut or one-time-code pair, or an API key presented beside the text; a miss
 * counts toward a ban either way.
 */
const pinAndShortcuts: Stage = {
  name: 'pinAndShortcuts',
  async run(step, ctx) {
    const { command, plan, services } = ctx;
    if (command.apiKey !== undefined) return byKey(step, ctx, command.apiKey);
    const match = plan.pin.match(step.content);
    if (match === undefined) {
      await failedLogin(ctx);
      return new PipelineError('INVALID_LOGIN');
    }
    if (match.kind === 'codePair') {
      const claim = await services.store.claimCodeHalves(match.halves, match.command.trim());
      if (claim === 'reused') return new PipelineError('CODE_REUSED');
      if (claim === 'unavailable') return new PipelineError('CODES_UNAVAILABLE');
    }
    // Only a secret makes a source known: a shortcut needs none (DESIGN §10, known sources).
    if (match.kind !== 'shortcut') await remember(ctx);
    return {
      ...step,
      content: match.command,
      authorised: true,
      ...(match.grant === undefined ? {} : { grant: match.grant }),
    };
  },
};

/** An API key (DESIGN §12): known, used from one of its sources, within its own rate. */
async function byKey(
  step: Step,
  ctx: RunContext,
  presented: string,
): Promise<Step | PipelineError> {
  const { command, keys, services } = ctx;
  const key = keys.match(presented);
  if (key === undefined) {
    await failedLogin(ctx);
    return new PipelineError('INVALID_KEY');
  }
  if (key.sources.size > 0 && !key.sources.has(command.source)) {
    services.refusals.refused('key-source', 'API key used from outside its sources', {
      key: key.name,
      source: command.source,
    });
    return new PipelineError('NOT_PERMITTED');
  }
  if (!(await services.store.consume(`key:${key.name}`, key.name, key.rateLimit))) {
    return new PipelineError('RATE_LIMITED');
  }
  await remember(ctx);
  return { ...step, authorised: true, grant: key.grant, key: key.name };
}

/** Counts a failed login of the command's source. */
function failedLogin({ command, config, services }: RunContext): Promise<void> {
  return countFailedLogin(services, config.limits, command.channel, command.source);
}

/** Remembers the command's source as known (DESIGN §10). */
async function remember({ command, config, services }: RunContext): Promise<void> {
  await services.store.rememberSource(
    command.channel,
    command.source,
    config.limits.knownSourceDays * 86_400,
  );
}

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

/**
 * 9. What the credential may run (DESIGN §12): its apps and channels, then the app's own
 * checks (a named command's name, arguments, sources, rate). Its refusals are never notified.
 */
const permission: Stage = {
  name: 'permission',
  async run(step, { command, config, services }) {
    const { app } = step;
    if (app === undefined) return step;
    if (!permits(step.grant, { channel: command.channel, trigger: app.trigger })) {
      services.refusals.refused('permission', 'command not permitted', {
        channel: command.channel,
        source: command.source,
        app: app.trigger,
      });
      return new PipelineError('NOT_PERMITTED');
    }
    if (app.prepare === undefined) return step;
    const plan = await app.prepare(step.input ?? '', {
      command,
      grant: step.grant,
      config,
      services,
    });
    if (plan instanceof PipelineError) return plan;
    return plan.timeoutSec === undefined ? step : { ...step, timeoutSec: plan.timeoutSec };
  },
};

/** The stage whose refusals are not notified by mail: the command did not run, by rule. */
export const PERMISSION_STAGE = permission.name;

/** The stages that decide who asks: admission, the text's shape and the credential. */
export const AUTH_STAGES: readonly Stage[] = [admission, length, pinAndShortcuts];

/** The input stages, in order. */
export const INPUT_STAGES: readonly Stage[] = [
  ...AUTH_STAGES,
  translate,
  trim,
  plt,
  dispatch,
  permission,
];
