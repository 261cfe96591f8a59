/** @switchboard/core: the pipeline, its filters and apps, config, guard, mail and logging. */
export {
  CHANNELS,
  combine,
  type Attachment,
  type ChannelName,
  type Command,
  type Result,
} from './command.js';
export {
  ERRORS,
  PipelineError,
  AppError,
  clientErrorStatus,
  type ErrorCode,
  type ReplyClass,
} from './errors.js';
export { Pipeline, EMPTY_OUTPUT, type Caller, type PipelineOptions } from './pipeline/pipeline.js';
export { MAX_COMMAND_BYTES } from './pipeline/input-stages.js';
export { APPS, triggerProblems, type AppsConfig } from './apps/registry.js';
export {
  defineApp,
  NO_SETTINGS_SCHEMA,
  type App,
  type AppContext,
  type AppOutput,
  type AppSettings,
} from './apps/app.js';
export { TwimlElement, twimlDocument } from './twiml.js';
export { keepIncoming, type IncomingMessage } from './apps/message-bank/keep-incoming.js';
export type { Services } from './services.js';
export { createServices, type OwnedServices } from './create-services.js';
export type * from './config/types.js';
export { MemoryStateStore } from './guard/memory-store.js';
export type { StateStore, Ban, BanPolicy, CodeHalf } from './guard/state-store.js';
export { admit, globalShares, type AdmissionRequest } from './guard/admission.js';
export { SourceList, isSourceEntry } from './guard/source-list.js';
export { countFailedLogin } from './guard/failed-login.js';
export { banList, MAX_BANS_SHOWN, type BanList } from './guard/ban-list.js';
export { grantOf, passwordOf, permits, permitsCommand } from './auth/grant.js';
export { hashKey, newKey, KEY_PREFIX } from './auth/api-keys.js';
export { argsSchema, callableCommands } from './commands/invocation.js';
export { NAME_PATTERN } from './config/tools-schema.js';
export { CodePairs, pairSecrets, pairEnrolmentUris, type CurrentPair } from './auth/code-pairs.js';
export { Stats } from './stats.js';
export { daemonStatus, type ChannelAddress, type DaemonStatus } from './status.js';
export { RecentCommands, type RecentCommand } from './recent-commands.js';
export { chooseBackend, ProcessRunner, type BackendChoice } from './process/process-runner.js';
export type { Containment, ContainMode } from './process/containment.js';
export { LogRing, levelOf } from './log/log-ring.js';
export { LogFeed, type LogListener } from './log/log-feed.js';
export { RefusalLog, REFUSAL_LOG_INTERVAL_MS } from './log/refusal-log.js';
export { createLogging, type Logging } from './log/logger.js';
export { batchedDestination, type BatchedDestination } from './log/batched-destination.js';
export { Outbox } from './mail/outbox.js';
export type { OutgoingMail, MailQueue } from './mail/outgoing-mail.js';
export { createConfigLoader, type ConfigLoader, type ConfigResult } from './config/load.js';
export { checkSanity, EXAMPLE_PASSWORD, isLoopbackListen } from './config/sanity.js';
export { effectiveFilters } from './config/defaults.js';
export { PipelineRuntime, type Runtime, type ChannelHandle } from './runtime.js';
export { bootstrap, type Bootstrapped } from './bootstrap.js';
export { ConfigKeyError, failureText } from './config/config-key-error.js';
export { systemReason } from './config/system-reason.js';
export { jsonObject } from './config/json-path.js';
export {
  parseListen,
  joinHostPort,
  listenAt,
  type ListenAddress,
} from './config/listen-address.js';
export { readTlsFiles, tlsProblems } from './config/tls-files.js';
export { dataDirectory } from './config/state-directory.js';
export { Monitor, type RenderedChart, type TelegramPush } from './monitor/monitor.js';
export { parseChartArgs, type ChartData, type ChartWindow } from './monitor/chart.js';
export { METRICS } from './monitor/ring.js';
export type { Metric, Point } from './monitor/ring.js';
export type { Sample, Sampler, ProcessUse, DiskUse } from './monitor/sample.js';
