import { JAVA_INSTALL_HINT } from '../config';
import { runCommand, type CommandResult } from '../run-command';
import { KAFKA_FILES } from './kafka-files';
import { ensureKafkaLibs, kafkaClassPath } from './kafka-libs';

/**
 * Runs a Kafka command-line tool from the same jars as the local broker, e.g.
 * `runKafkaTool('org.apache.kafka.tools.consumer.group.ConsumerGroupCommand',
 * ['--bootstrap-server', '127.0.0.1:9092', '--describe', '--group', 'g'])`.
 * Resolves with the exit code and output (tool logging goes to stderr at WARN).
 */
export async function runKafkaTool(
  mainClass: string,
  args: readonly string[],
  opts: { timeoutMs?: number } = {},
): Promise<CommandResult> {
  const libsDir = await ensureKafkaLibs(() => undefined);
  return runCommand(
    'java',
    [
      '-Xmx256m',
      // A short-lived client: a quick JVM start matters more than peak speed.
      '-XX:TieredStopAtLevel=1',
      '-XX:+UseSerialGC',
      `-Dlog4j2.configurationFile=${KAFKA_FILES.toolsLog4j}`,
      '-cp',
      kafkaClassPath(libsDir),
      mainClass,
      ...args,
    ],
    { installHint: JAVA_INSTALL_HINT, timeoutMs: opts.timeoutMs ?? 120_000 },
  );
}
