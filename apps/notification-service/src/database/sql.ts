import { DataSource } from 'typeorm';
import { SqlTransaction, withTransaction } from '@latchkey/event-store';

export type { SqlTransaction };
export { withTransaction };

/** Runs one statement on a pooled connection outside any transaction; always the rows (also for UPDATE ... RETURNING). */
export function autocommit(dataSource: DataSource): SqlTransaction {
  return {
    query: async <R>(sql: string, params?: unknown[]) => {
      const runner = dataSource.createQueryRunner();
      try {
        return (await runner.query(sql, params, true)).records as R[];
      } finally {
        await runner.release();
      }
    },
  };
}
