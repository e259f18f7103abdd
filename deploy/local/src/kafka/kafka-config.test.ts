import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { KAFKA_FILES } from './kafka-files';
import { renderServerProperties } from './kafka-config';

const values = { BROKER_PORT: '9092', CONTROLLER_PORT: '9093', LOG_DIRS: '/data/kafka' };

/** The rendered file as key → value, the way Java's Properties reads it (no comments). */
function parse(text: string): Map<string, string> {
  const entries = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'))
    .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)] as const);
  return new Map(entries);
}

describe('renderServerProperties', () => {
  it('turns the repo template into a single-node KRaft config on loopback', () => {
    const props = parse(
      renderServerProperties(readFileSync(KAFKA_FILES.serverTemplate, 'utf8'), values),
    );
    expect(props.get('process.roles')).toBe('broker,controller');
    expect(props.get('listeners')).toBe('PLAINTEXT://127.0.0.1:9092,CONTROLLER://127.0.0.1:9093');
    expect(props.get('controller.quorum.bootstrap.servers')).toBe('127.0.0.1:9093');
    expect(props.get('log.dirs')).toBe('/data/kafka');
    expect(props.get('num.partitions')).toBe('3');
    expect(props.get('offsets.topic.replication.factor')).toBe('1');
    expect(props.get('group.initial.rebalance.delay.ms')).toBe('0');
    expect([...props.values()].some((v) => v.includes('{{'))).toBe(false);
  });

  it('refuses a placeholder it has no value for', () => {
    expect(() => renderServerProperties('a={{NOPE}}', values)).toThrow(/\{\{NOPE\}\}/);
  });
});
