import path from 'node:path';
import { CACHE_DIR, LOCAL_DIR, STATE_DIR } from '../paths';

/** Files the Kafka service reads from the repo and writes under .cache/ and .state/. */
export const KAFKA_FILES = Object.freeze({
  /** lists the jars; its <kafka.version> is the version we run */
  pom: path.join(LOCAL_DIR, 'kafka', 'pom.xml'),
  serverTemplate: path.join(LOCAL_DIR, 'kafka', 'server.properties.template'),
  /** one node of a multi-broker cluster (kafka-cluster.ts) */
  clusterServerTemplate: path.join(LOCAL_DIR, 'kafka', 'cluster-server.properties.template'),
  brokerLog4j: path.join(LOCAL_DIR, 'kafka', 'log4j2.properties'),
  toolsLog4j: path.join(LOCAL_DIR, 'kafka', 'tools-log4j2.properties'),
  /** every jar, flat, for `java -cp '<libs>/*'` */
  libsDir: path.join(CACHE_DIR, 'kafka-libs'),
  /** rendered from serverTemplate on every start */
  serverProperties: path.join(STATE_DIR, 'kafka-server.properties'),
  /** the KRaft log dir (topics and the metadata log); formatted once */
  dataDir: path.join(STATE_DIR, 'kafka-data'),
});
