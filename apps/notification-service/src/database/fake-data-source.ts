import { DataSource } from 'typeorm';

/** For unit specs: a DataSource whose transactions run nothing (repositories are faked) but count commits. */
export function fakeDataSource(): DataSource & { commits: number; rollbacks: number } {
  const ds = {
    commits: 0,
    rollbacks: 0,
    createQueryRunner: () => ({
      isTransactionActive: false,
      connect: async () => undefined,
      startTransaction: async function (this: { isTransactionActive: boolean }) {
        this.isTransactionActive = true;
      },
      commitTransaction: async () => void ds.commits++,
      rollbackTransaction: async () => void ds.rollbacks++,
      release: async () => undefined,
      query: async () => ({ records: [] }),
    }),
  };
  return ds as unknown as DataSource & { commits: number; rollbacks: number };
}
