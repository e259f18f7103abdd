/**
 * What the embedded endpoint refuses before a statement reaches the engine. chdb runs the
 * engine in our own process with the rights of the user who started it and has no access
 * control of its own: `file()` reads any path, `url()` reaches any host. So every table
 * function, table or database engine and dictionary source that reaches the file system or the
 * network is refused for every user, as are the clauses and statements that do the same
 * (INTO OUTFILE, FROM INFILE, ATTACH, BACKUP, SYSTEM) and settings that name files. Which table
 * functions and engines are allowed is an allow-list: whatever a newer engine adds is refused
 * until it is reviewed. The analyst user also may not change the settings that bound its queries.
 */
import type { ClickHouseServerError } from './clickhouse-error';
import { ErrorCode, serverError } from './clickhouse-error';
import { tokenizeSql, type SqlToken } from './sql-tokens';

/** Who runs a statement: the password-less read-only analyst or the writer of the services. */
export type Role = 'reader' | 'writer';

/** What the engine offers, from system.table_functions / table_engines / database_engines. */
export interface EngineCatalogue {
  tableFunctions: readonly string[];
  tableEngines: readonly string[];
  databaseEngines: readonly string[];
}

/** Table functions that only read numbers, values or tables of this engine. */
const SAFE_TABLE_FUNCTIONS = [
  'dictionary',
  'format',
  'generateRandom',
  'generateSeries',
  'generate_series',
  'input',
  'loop',
  'merge',
  'mergeTreeIndex',
  'mergeTreeProjection',
  'null',
  'numbers',
  'numbers_mt',
  'primes',
  'values',
  'view',
  'viewExplain',
  'viewIfPermitted',
  'zeros',
  'zeros_mt',
];

/** Table and database engines that keep their data in the engine's own directory. */
const SAFE_ENGINES = [
  'AggregatingMergeTree',
  'Atomic',
  'Buffer',
  'CoalescingMergeTree',
  'CollapsingMergeTree',
  'Dictionary',
  'GenerateRandom',
  'GraphiteMergeTree',
  'Join',
  'Log',
  'MaterializedView',
  'Memory',
  'Merge',
  'MergeTree',
  'Null',
  'Ordinary',
  'ReplacingMergeTree',
  'Set',
  'StripeLog',
  'SummingMergeTree',
  'TinyLog',
  'VersionedCollapsingMergeTree',
  'View',
];

/** Calls refused whatever the catalogue says: dictionary sources, `file()` as a scalar, disks. */
const ALWAYS_REFUSED_CALLS = [
  'file',
  'disk',
  'http',
  'clickhouse',
  'executable',
  'executable_pool',
  'mysql',
  'postgresql',
  'mongodb',
  'redis',
  'cassandra',
  'odbc',
  'jdbc',
  'yamlregexptree',
  'regexp_tree',
  'url',
  's3',
  'hdfs',
  'remote',
  'remoteSecure',
  'cluster',
  'clusterAllReplicas',
  'sqlite',
  'azureBlobStorage',
  'filesystem',
];

/** Statements refused for everyone: they read or write paths, or control the process. */
const REFUSED_STATEMENTS = new Set(['ATTACH', 'BACKUP', 'RESTORE', 'SYSTEM', 'INSTALL']);

/** Statements that can name an engine (`ENGINE = ...`). */
const DEFINING = new Set(['CREATE', 'REPLACE', 'ALTER']);

/** Settings whose value is a path the engine would read. */
const FILE_SETTINGS = new Set([
  'format_schema',
  'format_template_resultset',
  'format_template_row',
  'format_template_resultset_format',
  'format_template_row_format',
  'schema_inference_cache_path',
]);

/** Settings the analyst may not change: the limits of its queries and how they are found. */
const READER_LOCKED_SETTINGS = new Set([
  'readonly',
  'max_execution_time',
  'timeout_overflow_mode',
  'max_memory_usage',
  'max_memory_usage_for_user',
  'log_comment',
  'priority',
]);

const lower = (names: readonly string[]): Set<string> => new Set(names.map((n) => n.toLowerCase()));

/** The one error every refused file-system or network access gets (ACCESS_DENIED, HTTP 403). */
export function refusedAccess(what: string): ClickHouseServerError {
  return serverError(
    ErrorCode.ACCESS_DENIED,
    `${what} is not allowed on the gosight embedded ClickHouse endpoint: table functions, engines, ` +
      'dictionary sources, clauses and settings that reach the file system or the network are ' +
      'refused for every user (see the README, "Security")',
  );
}

function lockedSetting(name: string): ClickHouseServerError {
  return serverError(
    ErrorCode.SETTING_CONSTRAINT_VIOLATION,
    `Setting ${name} should not be changed: it bounds the queries of the read-only user`,
  );
}

/** Checks statements and URL settings against the rules in the file comment. */
export interface StatementPolicy {
  /** Throws a ClickHouseServerError when `role` may not run `sql` (the SQL only, no INSERT data). */
  checkStatement(sql: string, role: Role): void;
  /** Throws when `role` may not set the URL setting `name`. */
  checkSetting(name: string, role: Role): void;
}

/** The policy for an engine offering `catalogue`. */
export function createStatementPolicy(catalogue: EngineCatalogue): StatementPolicy {
  const safeFunctions = lower(SAFE_TABLE_FUNCTIONS);
  // Replicated* variants need a Keeper this endpoint does not have: they fail on their own.
  const safeEngines = lower([...SAFE_ENGINES, ...SAFE_ENGINES.map((n) => `Replicated${n}`)]);
  const refusedCalls = lower([
    ...ALWAYS_REFUSED_CALLS,
    ...catalogue.tableFunctions.filter((n) => !safeFunctions.has(n.toLowerCase())),
    ...[...catalogue.tableEngines, ...catalogue.databaseEngines].filter(
      (n) => !safeEngines.has(n.toLowerCase()),
    ),
  ]);

  const checkSetting = (name: string, role: Role): void => {
    const key = name.toLowerCase();
    if (FILE_SETTINGS.has(key)) throw refusedAccess(`The setting ${name}`);
    if (role === 'reader' && READER_LOCKED_SETTINGS.has(key)) throw lockedSetting(name);
  };

  return {
    checkSetting,
    checkStatement(sql, role) {
      const tokens = statementTokens(sql);
      const leading = tokens[0]?.text.toUpperCase() ?? '';
      if (REFUSED_STATEMENTS.has(leading)) throw refusedAccess(`${leading}`);
      if (leading === 'SET') checkAssignments(tokens, 1, role, checkSetting);
      tokens.forEach((token, k) => {
        if (token.kind !== 'name') return;
        const next = tokens[k + 1];
        const word = token.text.toUpperCase();
        if (next?.text === '(' && refusedCalls.has(token.text.toLowerCase())) {
          throw refusedAccess(`${token.text}()`);
        }
        if (word === 'ENGINE' && DEFINING.has(leading)) checkEngine(tokens, k, safeEngines);
        if (word === 'INTO' && next?.text.toUpperCase() === 'OUTFILE') {
          throw refusedAccess('INTO OUTFILE');
        }
        if (word === 'FROM' && next?.text.toUpperCase() === 'INFILE') {
          throw refusedAccess('FROM INFILE');
        }
        if (word === 'SETTINGS') checkAssignments(tokens, k + 1, role, checkSetting);
      });
    },
  };
}

/** The statement's tokens, refusing a second statement and stopping at an INSERT's inline data. */
function statementTokens(sql: string): SqlToken[] {
  const all = tokenizeSql(sql);
  const insert = all[0]?.text.toUpperCase() === 'INSERT';
  let depth = 0;
  for (let k = 0; k < all.length; k += 1) {
    const token = all[k] as SqlToken;
    if (token.text === '(' || token.text === '[') depth += 1;
    else if (token.text === ')' || token.text === ']') depth = Math.max(0, depth - 1);
    else if (token.kind === 'punct' && token.text === ';') {
      if (k + 1 < all.length) {
        throw serverError(ErrorCode.SYNTAX_ERROR, 'Multi-statements are not allowed');
      }
      return all.slice(0, k);
    } else if (insert && depth === 0 && token.kind === 'name' && /^format$/i.test(token.text)) {
      return all.slice(0, k + 2); // `FORMAT <name>`: what follows is data, not SQL
    }
  }
  return all;
}

/** Checks `name = value[, name = value ...]` from tokens[k] on (a SET statement or SETTINGS clause). */
function checkAssignments(
  tokens: readonly SqlToken[],
  from: number,
  role: Role,
  checkSetting: (name: string, role: Role) => void,
): void {
  let k = from;
  while (tokens[k]?.kind === 'name' && tokens[k + 1]?.text === '=') {
    checkSetting((tokens[k] as SqlToken).text, role);
    k += 2;
    if (tokens[k]?.text === '-') k += 1;
    k += 1; // the value
    if (tokens[k]?.text !== ',') return;
    k += 1;
  }
}

/** `ENGINE [=] Name`: the engine must be one that keeps its data in the engine's directory. */
function checkEngine(
  tokens: readonly SqlToken[],
  k: number,
  safeEngines: ReadonlySet<string>,
): void {
  const afterEquals = tokens[k + 1]?.text === '=' ? k + 2 : k + 1;
  const engine = tokens[afterEquals];
  if (engine?.kind !== 'name') return;
  if (safeEngines.has(engine.text.toLowerCase())) return;
  throw refusedAccess(`The ${engine.text} engine`);
}
