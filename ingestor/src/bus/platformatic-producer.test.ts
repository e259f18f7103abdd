/**
 * The @platformatic/kafka adapter's recovery, without a broker: fake producers
 * stand in for the client's, and fail the way 1.22 failed in the broker
 * failover test (OUT_OF_ORDER_SEQUENCE_NUMBER, not retried) or hang.
 */
import { MultipleErrors, ProtocolError } from '@platformatic/kafka';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import {
  createBatchingProducer,
  type KafkaClientDriver,
  type OutgoingMessage,
} from './batching-producer';
import { BusError } from './event-producer';
import {
  createRecoveringDriver,
  type IdempotentProducerClient,
  type Outgoing,
  type RecoveringDriverOptions,
} from './platformatic-producer';

const log = pino({ level: 'silent' });

/** What a fake producer does on each send, in turn; past its list it does `otherwise` (acknowledges). */
type Behaviour = 'ack' | 'out-of-order' | 'hang';

interface FakeProducer extends IdempotentProducerClient {
  readonly id: number;
  readonly sent: Outgoing[][];
  closed: boolean;
  inits: number;
}

function fakeFactory(plans: Behaviour[][], otherwise: Behaviour = 'ack') {
  const made: FakeProducer[] = [];
  const create = (): FakeProducer => {
    const id = made.length;
    const plan = [...(plans[id] ?? [])];
    const producer: FakeProducer = {
      id,
      sent: [],
      closed: false,
      inits: 0,
      initIdempotentProducer() {
        producer.inits++;
        return Promise.resolve({ producerId: BigInt(id), producerEpoch: 0 });
      },
      send({ messages }) {
        if (producer.closed) return Promise.reject(new Error('Client is closed.'));
        producer.sent.push(messages);
        const next = plan.shift() ?? otherwise;
        if (next === 'hang') return new Promise(() => undefined);
        if (next === 'out-of-order') {
          // as the client reports it: one destination's protocol error among the send's
          return Promise.reject(
            new MultipleErrors('Producing messages failed.', [
              new ProtocolError('OUT_OF_ORDER_SEQUENCE_NUMBER'),
            ]),
          );
        }
        return Promise.resolve({ offsets: [] });
      },
      close() {
        producer.closed = true;
        return Promise.resolve();
      },
    };
    made.push(producer);
    return producer;
  };
  return { create, made };
}

const message = (n: number): OutgoingMessage => ({
  topic: 'raw',
  key: Buffer.from(`s${n}`),
  value: Buffer.from(`{"n":${n}}`),
  headers: { 'content-type': Buffer.from('application/json') },
});

const driverOptions: RecoveringDriverOptions = {
  attemptTimeoutMs: 200,
  resendForMs: 1000,
  resendDelayMs: 1,
  log,
};

const valuesOf = (messages: Outgoing[] | undefined) => (messages ?? []).map((m) => String(m.value));

/** The ingestor's batching producer over a driver: flushes at once, 1 s ack timeout. */
function batchingOver(driver: KafkaClientDriver) {
  return createBatchingProducer(
    {
      maxBufferedEvents: 100,
      maxBufferedBytes: 1 << 20,
      batchSize: 10,
      lingerMs: 0,
      ackTimeoutMs: 1000,
      log,
    },
    driver,
  );
}
describe('the @platformatic/kafka adapter recovers from a broken idempotent producer', () => {
  it('replaces the producer after OUT_OF_ORDER_SEQUENCE_NUMBER and sends the request again on the new one', async () => {
    const { create, made } = fakeFactory([['ack', 'out-of-order']]);
    const driver = createRecoveringDriver(create, driverOptions);
    await driver.connect();
    await driver.send([message(1)]);
    await driver.send([message(2), message(3)]);

    expect(driver.producersCreated()).toBe(2);
    const [first, second] = made;
    expect(first?.closed).toBe(true);
    expect(second?.closed).toBe(false);
    expect(first?.sent.map(valuesOf)).toEqual([['{"n":1}'], ['{"n":2}', '{"n":3}']]);
    // the same request, whole, on the fresh producer (which initialises its id on its first send)
    expect(second?.sent.map(valuesOf)).toEqual([['{"n":2}', '{"n":3}']]);

    await driver.send([message(4)]);
    expect(second?.sent.map(valuesOf)).toEqual([['{"n":2}', '{"n":3}'], ['{"n":4}']]);
    expect(driver.producersCreated()).toBe(2);
  });

  it('replaces a producer whose send is not acknowledged in time', async () => {
    const { create, made } = fakeFactory([['hang']]);
    const driver = createRecoveringDriver(create, { ...driverOptions, attemptTimeoutMs: 50 });
    await driver.send([message(1)]);
    expect(driver.producersCreated()).toBe(2);
    expect(made[0]?.closed).toBe(true);
    expect(made[1]?.sent.map(valuesOf)).toEqual([['{"n":1}']]);
  });

  it('gives the request up once no client waits for it any more; the next request goes out on a fresh producer', async () => {
    const { create, made } = fakeFactory([['out-of-order'], ['hang']]);
    const driver = createRecoveringDriver(create, {
      ...driverOptions,
      attemptTimeoutMs: 50,
      resendForMs: 40,
    });
    // attempt 1 fails at once: replaced, sent again; attempt 2 hangs 50 ms: replaced, 40 ms are up
    await expect(driver.send([message(1)])).rejects.toThrow(/not acknowledged within 50 ms/);
    expect(driver.producersCreated()).toBe(3);
    await driver.send([message(2)]);
    expect(made[2]?.sent.map(valuesOf)).toEqual([['{"n":2}']]);
    expect(made.map((p) => p.closed)).toEqual([true, true, false]);
  });

  it('keeps the batching producer’s promise: send resolves only once the resent request is acknowledged', async () => {
    const { create, made } = fakeFactory([['out-of-order']]);
    const driver = createRecoveringDriver(create, driverOptions);
    const producer = batchingOver(driver);
    const batch = [
      {
        topic: 'raw',
        messages: [{ key: 's1', value: '{"n":1}', headers: {} }],
      },
    ];
    await expect(producer.send(batch)).resolves.toBeUndefined();
    expect(made.map((p) => p.sent.length)).toEqual([1, 1]);
    expect(producer.bufferedEvents()).toBe(0);
    await producer.close();
    expect(made[1]?.closed).toBe(true);
  });

  it('answers BUS_UNAVAILABLE when even the fresh producer fails within the ack timeout', async () => {
    // every producer fails, however many attempts fit in the window on this machine's timers
    const { create } = fakeFactory([], 'out-of-order');
    const driver = createRecoveringDriver(create, { ...driverOptions, resendForMs: 5 });
    const producer = batchingOver(driver);
    const sending = producer.send([
      { topic: 'raw', messages: [{ key: 's1', value: '{"n":1}', headers: {} }] },
    ]);
    await expect(sending).rejects.toBeInstanceOf(BusError);
    await expect(sending).rejects.toMatchObject({ code: 'BUS_UNAVAILABLE' });
    await producer.close();
  });
});
