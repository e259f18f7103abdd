import { randomBytes } from 'node:crypto';
import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { JAVA_INSTALL_HINT } from '../config';
import { runCommand } from '../run-command';
import { KAFKA_FILES } from './kafka-files';
import { kafkaClassPath } from './kafka-libs';

/**
 * A Kafka cluster id: 16 random bytes, base64url without padding (what `kafka-storage
 * random-uuid` prints). Like Kafka's own Uuid.randomUuid(), it never starts with '-': the
 * format command's parser would take such an id for an option and refuse to format
 * ("argument --cluster-id/-t: expected one argument"), one fresh start in 64.
 */
export function newClusterId(random: (size: number) => Buffer = randomBytes): string {
  for (;;) {
    const id = random(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

/**
 * Formats the KRaft log dir once (`kafka-storage format --standalone`); later calls see
 * meta.properties and do nothing, so topics and offsets survive restarts.
 */
export async function ensureKafkaStorage(
  libsDir: string,
  serverProperties: string,
  log: (line: string) => void,
): Promise<void> {
  if (existsSync(path.join(KAFKA_FILES.dataDir, 'meta.properties'))) return;
  log(`formatting KRaft storage in ${KAFKA_FILES.dataDir}`);
  rmSync(KAFKA_FILES.dataDir, { recursive: true, force: true });
  const result = await runCommand(
    'java',
    [
      '-Xmx256m',
      `-Dlog4j2.configurationFile=${KAFKA_FILES.toolsLog4j}`,
      '-cp',
      kafkaClassPath(libsDir),
      'kafka.tools.StorageTool',
      'format',
      '--standalone',
      '--cluster-id',
      newClusterId(),
      '--config',
      serverProperties,
    ],
    { installHint: JAVA_INSTALL_HINT, timeoutMs: 120_000 },
  );
  if (result.code !== 0) {
    rmSync(KAFKA_FILES.dataDir, { recursive: true, force: true });
    throw new Error(
      `kafka-storage format failed (exit ${result.code}):\n${result.stdout}${result.stderr}`.trim(),
    );
  }
}
