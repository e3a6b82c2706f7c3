// Every outbox job type of the product, from every module. The registry built from this list is
// checked at boot: a type with two handlers stops the start.
import type { JobDefinition } from './platform/outbox/registry.js';

export const jobDefinitions: readonly JobDefinition<never>[] = [];
