/**
 * From a loaded config to a running runtime: services, pipeline and the swappable runtime.
 * The daemon, the CLI and channel tests all build it this way.
 */
import type { Config } from './config/types.js';
import { createServices, type OwnedServices } from './create-services.js';
import { Pipeline } from './pipeline/pipeline.js';
import { PipelineRuntime } from './runtime.js';

/** A runtime and the services it owns (the outbox is created but not started). */
export interface Bootstrapped {
  readonly runtime: PipelineRuntime;
  readonly services: OwnedServices;
}

/** Builds services, the pipeline and the runtime for `config`. */
export function bootstrap(
  config: Config,
  options: Parameters<typeof createServices>[1],
): Bootstrapped {
  const services = createServices(config, options);
  return { runtime: new PipelineRuntime(new Pipeline({ config, services }), services), services };
}
