import { DataSource } from 'typeorm';

/** The one thing a transaction callback gets: run SQL inside the transaction, get the rows. */
export interface SqlTransaction {
  query<T = unknown>(sql: string, params?: unknown[]): Promise<T[]>;
}

/** Runs fn in one transaction on its own connection; commits if fn resolves, rolls back if it throws. */
export async function withTransaction<T>(dataSource: DataSource, fn: (tx: SqlTransaction) => Promise<T>): Promise<T> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.startTransaction();
    const tx: SqlTransaction = {
      // structured result: always the rows, also for UPDATE/DELETE (the plain form returns [rows, count] there)
      query: async <R>(sql: string, params?: unknown[]) => (await runner.query(sql, params, true)).records as R[],
    };
    try {
      const result = await fn(tx);
      await runner.commitTransaction();
      return result;
    } catch (err) {
      if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
      throw err;
    }
  } finally {
    await runner.release();
  }
}
