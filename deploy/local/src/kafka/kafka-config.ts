import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { LOCAL_CONFIG } from '../config';
import { STATE_DIR } from '../paths';
import { KAFKA_FILES } from './kafka-files';

/** Fills every {{NAME}} in a server.properties template; throws on a name it has no value for. */
export function renderServerProperties(template: string, values: Record<string, string>): string {
  return template.replace(/\{\{([A-Z_]+)\}\}/g, (whole, key: string) => {
    const value = values[key];
    if (value === undefined) throw new Error(`no value for ${whole} in server.properties.template`);
    return value;
  });
}

/**
 * Renders deploy/local/kafka/server.properties.template into .state/ with this machine's
 * paths and ports, and returns the rendered file's path.
 */
export function writeServerProperties(): string {
  const rendered = renderServerProperties(readFileSync(KAFKA_FILES.serverTemplate, 'utf8'), {
    BROKER_PORT: String(LOCAL_CONFIG.kafka.port),
    CONTROLLER_PORT: String(LOCAL_CONFIG.kafka.controllerPort),
    LOG_DIRS: KAFKA_FILES.dataDir,
  });
  mkdirSync(STATE_DIR, { recursive: true });
  writeFileSync(KAFKA_FILES.serverProperties, rendered);
  return KAFKA_FILES.serverProperties;
}
