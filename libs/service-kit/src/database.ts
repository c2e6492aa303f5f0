import { DataSource, DataSourceOptions } from 'typeorm';

export interface ServiceDatabaseOptions {
  url: string;
  /** the service's own schema (one schema per service) */
  schema: string;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- TypeORM's own type for migration classes
  migrations: Function[];
  poolSize?: number;
}

export function dataSourceOptions(o: ServiceDatabaseOptions): DataSourceOptions {
  return {
    type: 'postgres',
    url: o.url,
    schema: o.schema,
    migrations: o.migrations,
    migrationsTableName: 'migrations',
    migrationsRun: false,
    synchronize: false,
    logging: ['error'],
    extra: { max: o.poolSize ?? 10, connectionTimeoutMillis: 5000 },
  };
}

/**
 * Opens the service's DataSource and brings its schema up to date. Migrations run under an advisory lock
 * so that replicas starting together don't race; the schema is created first because TypeORM keeps its
 * migrations table inside it.
 */
export async function openServiceDataSource(options: DataSourceOptions & { schema?: string }): Promise<DataSource> {
  const ds = new DataSource(options);
  await ds.initialize();
  const schema = options.schema ?? 'public';
  const runner = ds.createQueryRunner();
  try {
    await runner.connect();
    await runner.query('SELECT pg_advisory_lock(hashtext($1))', [`latchkey-migrations-${schema}`]);
    try {
      await runner.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
      await ds.runMigrations({ transaction: 'each' });
    } finally {
      await runner.query('SELECT pg_advisory_unlock(hashtext($1))', [`latchkey-migrations-${schema}`]);
    }
  } finally {
    await runner.release();
  }
  return ds;
}
