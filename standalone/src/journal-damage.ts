import { StartError } from './errors';

/**
 * The one-line start failure for a damaged bus journal: where the damage is,
 * what it is, that nothing was changed, and the way out (README, "A damaged
 * bus journal"). The journal is never cut or skipped past damage on its own:
 * that would drop acknowledged records without a word (issue 13, §2).
 */
export function journalDamaged(busDir: string, where: string, what: string): StartError {
  return new StartError(
    'BUS_JOURNAL_DAMAGED',
    `gosight: the bus journal is damaged: ${where}: ${what}; nothing was changed. ` +
      `Keep a copy of ${busDir}, then move it aside to start with an empty bus ` +
      `(acknowledged events in it that are not in ClickHouse yet are then lost) ` +
      `or put back a backup of it (README, "A damaged bus journal")`,
  );
}
