/**
 * Test helper process: opens the embedded ClickHouse engine (chdb) on a data
 * directory with a users config, runs statements one by one, prints one JSON
 * line per statement. One process per user, because chdb binds one data
 * directory per process and always runs as its `default` user.
 *
 * argv: <dataDir> <configFile> <statements as a JSON array>
 */
import { Session } from 'chdb';

const [dataDir, configFile, statementsJson] = process.argv.slice(2);
if (!dataDir || !configFile || !statementsJson) {
  console.error('usage: run-as-user <dataDir> <configFile> <statements JSON>');
  process.exit(2);
}
const session = new Session(dataDir, { connectionArgs: [`--config-file=${configFile}`] });
try {
  for (const sql of JSON.parse(statementsJson) as string[]) {
    try {
      const output = session.query(sql, 'TSV').trim();
      console.log(JSON.stringify({ sql, ok: true, output }));
    } catch (error) {
      console.log(JSON.stringify({ sql, ok: false, error: String((error as Error).message) }));
    }
  }
} finally {
  session.close();
}
