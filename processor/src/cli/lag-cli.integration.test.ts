/**
 * `gosight lag` against Apache Kafka's own ConsumerGroupCommand
 * (kafka-consumer-groups --describe), run from the local Kafka jars.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runKafkaTool } from '@gosight/local';
import { createTestEnv, type TestEnv } from '../testing/harness';

const run = promisify(execFile);
const BIN = fileURLToPath(new URL('../../bin/gosight.mjs', import.meta.url));
let env: TestEnv;
let group: string;

/** Runs the gosight bin; resolves with exit code and output whatever the code. */
async function gosight(args: string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], {
      env: { ...process.env, KAFKA_BROKERS: env.brokers.join(',') },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

beforeAll(async () => {
  env = await createTestEnv('lag');
  group = env.settings.group;
  // 40 messages over the 3 partitions, then a group that committed part of each.
  await env.producer.send({
    topic: env.settings.topic,
    messages: Array.from({ length: 40 }, (_, i) => ({ partition: i % 3, value: `m${i}` })),
  });
  await env.admin.setOffsets({
    groupId: group,
    topic: env.settings.topic,
    partitions: [
      { partition: 0, offset: '3' },
      { partition: 1, offset: '13' },
      { partition: 2, offset: '0' },
    ],
  });
});

afterAll(async () => {
  await env?.cleanup();
});

describe('gosight lag', () => {
  it('reports the same offsets and lag as kafka-consumer-groups --describe', async () => {
    const ours = await gosight(['lag', '--group', group, '--topic', env.settings.topic, '--json']);
    expect(ours.code).toBe(0);
    const report = JSON.parse(ours.stdout) as {
      groups: {
        partitions: { partition: number; committed: string; end: string; lag: number }[];
        total: number;
      }[];
      total: number;
    };
    const mine = report.groups[0]?.partitions.map((p) => [
      p.partition,
      Number(p.committed),
      Number(p.end),
      p.lag,
    ]);

    const tool = await runKafkaTool('org.apache.kafka.tools.consumer.group.ConsumerGroupCommand', [
      '--bootstrap-server',
      env.brokers[0] ?? '127.0.0.1:9092',
      '--describe',
      '--group',
      group,
    ]);
    const theirs = tool.stdout
      .split('\n')
      .map((line) => line.trim().split(/\s+/))
      .filter((cols) => cols[0] === group && cols[1] === env.settings.topic)
      .map((cols) => [Number(cols[2]), Number(cols[3]), Number(cols[4]), Number(cols[5])])
      .sort((a, b) => (a[0] ?? 0) - (b[0] ?? 0));
    console.log(
      `kafka-consumer-groups --describe:\n${tool.stdout}\ngosight lag --json:\n${ours.stdout}`,
    );

    expect(mine).toEqual([
      [0, 3, 14, 11],
      [1, 13, 13, 0],
      [2, 0, 13, 13],
    ]);
    expect(mine).toEqual(theirs);
    expect(report.total).toBe(24);
  });

  it('prints a table with the total, and --max-lag exits 1 above the limit', async () => {
    const table = await gosight(['lag', '--group', group, '--topic', env.settings.topic]);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^GROUP\s+TOPIC\s+PARTITION\s+COMMITTED\s+END\s+LAG/);
    expect(table.stdout).toContain(`TOTAL LAG 24 (${group} 24)`);

    const under = await gosight([
      'lag',
      '--group',
      group,
      '--topic',
      env.settings.topic,
      '--max-lag',
      '24',
    ]);
    expect(under.code).toBe(0);
    const over = await gosight([
      'lag',
      '--group',
      group,
      '--topic',
      env.settings.topic,
      '--max-lag',
      '23',
    ]);
    expect(over.code).toBe(1);
    expect(over.stderr).toContain(`lag above --max-lag 23: ${group} 24`);
  });

  it('refuses bad flags with exit code 2', async () => {
    const bad = await gosight(['lag', '--max-lag', 'many']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--max-lag expects a whole number');
  });
});
