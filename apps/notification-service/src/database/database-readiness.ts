import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ReadinessRegistry } from '@latchkey/service-kit';

/** /health/ready: the notification database answers. */
@Injectable()
export class DatabaseReadiness implements OnModuleInit {
  constructor(
    private readonly readiness: ReadinessRegistry,
    @InjectDataSource() private readonly db: DataSource,
  ) {}

  onModuleInit(): void {
    this.readiness.register({
      name: 'postgres',
      check: async () => {
        await this.db.query('SELECT 1');
        return { ok: true };
      },
    });
  }
}
