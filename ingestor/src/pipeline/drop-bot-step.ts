/** Step `drop-bot`: events from bots are dropped on projects that ask for it (`drop_bots`). */
import { drop, ok, type StepResult, type ValidWireEvent } from '@gosight/schema';
import type { BatchContext } from './batch-context';

export const DROP_BOT_STEP = 'drop-bot';

/** Creates the step: bots pass on (flagged `is_bot`) unless the project drops them. */
export function createDropBotStep() {
  return function dropBot(event: ValidWireEvent, batch: BatchContext): StepResult<ValidWireEvent> {
    if (batch.userAgent.is_bot && batch.project.dropBots) return drop(DROP_BOT_STEP, 'bot');
    return ok(event);
  };
}
