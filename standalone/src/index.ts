/** The single-machine pieces, for tests and benchmarks that run the stack in-process. */
export { startStandalone, type Standalone } from './standalone';
export {
  loadStandaloneConfig,
  DEMO_PROJECTS,
  standaloneEnv,
  type StandaloneConfig,
} from './config';
export { openInProcessBus, type InProcessBus, type InProcessBusOptions } from './in-process-bus';
export { StartError, START_ERRORS, type StartErrorCode } from './errors';
