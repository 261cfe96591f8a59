/**
 * The command pipeline (DESIGN §2): one runner over the named input stages, then the app, then
 * the result stages (lintText, EMPTY OUTPUT, notifyViaEmail). `process()` never throws.
 *
 *   lockdown → guard → length → pinAndShortcuts → translateSequences → trim → plt → dispatch
 *     → app (with timeout) → lintText → empty output → notifyViaEmail
 */
import type { App } from '../apps/app.js';
import { APPS } from '../apps/registry.js';
import {
  CHANNELS,
  combine,
  type Attachment,
  type ChannelName,
  type Command,
  type LiveOutput,
  type Result,
} from '../command.js';
import type { Config, Grant } from '../config/types.js';
import { PipelineError, toPipelineError } from '../errors.js';
import { hasVisibleCharacter, lintText } from '../filters/lint-text.js';
import { admit, type AdmissionPolicy, type AdmissionRequest } from '../guard/admission.js';
import { SourceList } from '../guard/source-list.js';
import type { Services } from '../services.js';
import { ApiKeyTable } from '../auth/api-keys.js';
import { AUTH_STAGES, INPUT_STAGES, PERMISSION_STAGE } from './input-stages.js';
import { planApps, planChannel, type AppTable, type ChannelPlan } from './plan.js';
import { runApp } from './run-app.js';
import type { RunContext, Stage, Step } from './step.js';

/** Shown when lintText left no visible character. */
export const EMPTY_OUTPUT = 'EMPTY OUTPUT';

/** Who a command comes from, once authenticated: what the credential may run. */
export interface Caller {
  /** Undefined: anything. */
  readonly grant: Grant | undefined;
}

/** What a pipeline is built from. */
export interface PipelineOptions {
  readonly config: Config;
  readonly services: Services;
  /** Defaults to every built-in app. */
  readonly apps?: readonly App[];
  /** Clock for one-time codes (tests). */
  readonly now?: () => number;
}

/** Processes commands for every channel with one config. Rebuilt on reload. */
export class Pipeline {
  readonly config: Config;
  readonly #services: Services;
  readonly #plans: ReadonlyMap<ChannelName, ChannelPlan>;
  readonly #apps: AppTable;
  readonly #policy: AdmissionPolicy;
  readonly #keys: ApiKeyTable;

  constructor(options: PipelineOptions) {
    this.config = options.config;
    this.#services = options.services;
    this.#policy = {
      limits: options.config.limits,
      maintenanceAllow: new SourceList(options.config.maintenance.allow),
    };
    this.#keys = new ApiKeyTable(options.config.apiKeys);
    this.#plans = new Map(CHANNELS.map((c) => [c, planChannel(options.config, c, options.now)]));
    this.#apps = planApps(options.config, options.apps ?? APPS);
  }

  /**
   * Who `command` comes from, by the stages that decide it (admission, text, credential), with
   * their effects (a failed login counts); for a route that must know the caller before any
   * command exists (`GET /api/commands`). Throws only when the store fails.
   */
  async authenticate(command: Command): Promise<Caller | PipelineError> {
    const { step, error } = await this.#stages(AUTH_STAGES, command);
    return error ?? { grant: step.grant };
  }

  /** Runs one command through every stage, its output live to `live` if given; never throws. */
  async process(command: Command, live?: LiveOutput): Promise<Result> {
    const started = performance.now();
    let result: Result;
    let notify = false;
    let key: string | undefined;
    let app: string | undefined;
    try {
      const { step, error: refusal, refusedBy } = await this.#stages(INPUT_STAGES, command);
      let error = refusal;
      let output = '';
      let attachment: Attachment | undefined;
      if (error === undefined && step.app !== undefined) {
        const run = await runApp(step.app, step.input ?? '', {
          timeoutSec: step.timeoutSec,
          command,
          config: this.config,
          services: this.#services,
          ...(step.grant === undefined ? {} : { grant: step.grant }),
          ...(live === undefined ? {} : { onOutput: live.onOutput.bind(live) }),
          ...(live?.signal === undefined ? {} : { stop: live.signal }),
        });
        output = run.output;
        error = run.error;
        attachment = run.attachment;
      }
      result = finish(command, step, output, error, attachment);
      key = step.key;
      app = step.app?.trigger;
      notify = step.authorised && refusedBy !== PERMISSION_STAGE;
    } catch (thrown) {
      // A stage failed unexpectedly (e.g. a shared store is down): answer, log, never throw.
      this.#services.logger.error({ err: thrown, channel: command.channel }, 'pipeline failed');
      const error = toPipelineError(thrown);
      result = {
        command: { ...command, content: '' },
        output: '',
        error,
        combinedOutput: error.message,
      };
    }
    const ms = performance.now() - started;
    const ok = result.error === undefined;
    this.#services.stats.record(command.channel, result.error?.code ?? 'ok', ms);
    const { channel, source } = command;
    const shown = result.command.content;
    const error = result.error?.code;
    this.#services.logger.info(
      {
        channel,
        source,
        command: shown,
        ok,
        error,
        ...(key === undefined ? {} : { key }),
        ms: Math.round(ms),
      },
      'command',
    );
    this.#services.recent.record({
      time: new Date().toISOString(),
      channel,
      source,
      command: shown,
      ok,
      ms: Math.round(ms),
      ...(app === undefined ? {} : { app }),
      ...(error === undefined ? {} : { error }),
    });
    if (notify) this.#notify(result);
    return result;
  }

  /** Admission (DESIGN §10) under this pipeline's config, for checks outside a command. */
  admit(request: AdmissionRequest): ReturnType<typeof admit> {
    return admit(this.#services.store, this.#policy, request);
  }

  /**
   * Whether some line of `content` would pass the PIN stage on `channel`: a password, shortcut
   * or valid code pair. Side-effect free (no failed login counted, no pair claimed), so a
   * channel can tell a command from ordinary traffic (the mail channel forwards the rest).
   */
  authorises(channel: ChannelName, content: string): boolean {
    return this.#plan(channel).pin.match(content) !== undefined;
  }

  /** Runs `stages` from the command's first step; stops at the first refusal. */
  async #stages(
    stages: readonly Stage[],
    command: Command,
  ): Promise<{ step: Step; error?: PipelineError; refusedBy?: string }> {
    const plan = this.#plan(command.channel);
    const ctx: RunContext = {
      command,
      plan,
      apps: this.#apps,
      policy: this.#policy,
      keys: this.#keys,
      config: this.config,
      services: this.#services,
    };
    let step: Step = {
      content: command.content,
      timeoutSec: command.timeoutSec,
      lint: plan.filters.lintText,
      authorised: false,
      shown: '',
    };
    for (const stage of stages) {
      const next = await stage.run(step, ctx);
      if (next instanceof PipelineError) return { step, error: next, refusedBy: stage.name };
      step = next;
    }
    return { step };
  }

  /** The precomputed plan of a channel. */
  #plan(channel: ChannelName): ChannelPlan {
    const plan = this.#plans.get(channel);
    if (plan === undefined) throw new Error(`unknown channel ${channel}`);
    return plan;
  }

  /** notifyViaEmail: the result to the channel's recipients, through the outbox. */
  #notify(result: Result): void {
    const { recipients } = this.#plan(result.command.channel).filters.notifyViaEmail;
    if (recipients.length === 0) return;
    const subject = `[switchboard] ${result.command.channel} ${result.command.content}`;
    this.#services.mail
      .enqueue({ to: recipients, subject, text: result.combinedOutput })
      .catch((err: unknown) => {
        this.#services.logger.warn({ err }, 'cannot queue the notification mail');
      });
  }
}

/** lintText and EMPTY OUTPUT over the app's output and the combined text. */
function finish(
  command: Command,
  step: Step,
  rawOutput: string,
  error: PipelineError | undefined,
  attachment?: Attachment,
): Result {
  const errorText = error?.message ?? '';
  let output = lintText(rawOutput, step.lint);
  let combinedOutput = lintText(combine(errorText, rawOutput), step.lint);
  if (!hasVisibleCharacter(combinedOutput)) combinedOutput = EMPTY_OUTPUT;
  if (error === undefined && !hasVisibleCharacter(output)) output = EMPTY_OUTPUT;
  const shown = { ...command, content: step.shown, timeoutSec: step.timeoutSec };
  if (error !== undefined) return { command: shown, output, error, combinedOutput };
  return attachment === undefined
    ? { command: shown, output, combinedOutput }
    : { command: shown, output, combinedOutput, attachment };
}
