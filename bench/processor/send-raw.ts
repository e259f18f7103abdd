/**
 * Pre-filling a bench topic with raw messages: sends of at most ~800 KB (a
 * record batch must stay under the broker's 1 MB message limit), 8 in flight.
 */
import type { Producer } from 'kafkajs';
import type { RawMessage } from '../../processor/src/testing/raw-messages';

const SEND_BYTES = 800_000;
const IN_FLIGHT = 8;

/** Produces `messages` to `topic` in order-preserving chunks; resolves when all are acknowledged. */
export async function sendRawMessages(
  producer: Producer,
  topic: string,
  messages: readonly RawMessage[],
): Promise<void> {
  const sends: Promise<unknown>[] = [];
  for (let i = 0; i < messages.length;) {
    let bytes = 0;
    let j = i;
    while (j < messages.length && (j === i || bytes < SEND_BYTES)) {
      bytes += (messages[j]?.value.length ?? 0) + 100;
      j++;
    }
    sends.push(producer.send({ topic, acks: 1, messages: messages.slice(i, j) }));
    i = j;
    if (sends.length === IN_FLIGHT) await Promise.all(sends.splice(0));
  }
  await Promise.all(sends);
}
