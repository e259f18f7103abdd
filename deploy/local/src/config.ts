/**
 * Where the single-machine stack listens. Fixed loopback defaults: the rest of the repo
 * reaches these through KAFKA_BROKERS / REDIS_URL / CLICKHOUSE_URL, which the stack prints.
 */
export const LOCAL_CONFIG = Object.freeze({
  kafka: Object.freeze({
    host: '127.0.0.1',
    port: 9092,
    controllerPort: 9093,
    /** JVM heap for the broker: plenty for tests, small next to the other services */
    heap: { initial: '256m', max: '512m' },
    /** a cold JVM on two busy cores can take a while; a healthy start is ~5-10 s */
    startTimeoutMs: 120_000,
  }),
  redis: Object.freeze({
    host: '127.0.0.1',
    port: 6379,
    /** `stack:up -- --redis-replica`: the replica of the primary above */
    replicaPort: 6380,
    startTimeoutMs: 20_000,
  }),
});

/** The apt packages that provide java and mvn, named in the message when either is missing. */
export const JAVA_INSTALL_HINT = 'apt-get install -y openjdk-17-jre-headless maven';
