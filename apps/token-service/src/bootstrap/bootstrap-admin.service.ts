import { chmod, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { TOKEN_SERVICE_CONFIG, TokenServiceConfig } from '../config/token-service.config';
import { TokensService } from '../tokens/tokens.service';
import { TokenRepository } from '../tokens/token.repository';

/**
 * First start on an empty database: an admin token for the first user of LATCHKEY_BOOTSTRAP_ADMINS, written to a
 * 0600 file. The log says where, never what. An advisory lock keeps two replicas from both doing it.
 */
@Injectable()
export class BootstrapAdminService implements OnApplicationBootstrap {
  private readonly logger = new Logger('Bootstrap');

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly tokens: TokensService,
    private readonly repository: TokenRepository,
    @Inject(TOKEN_SERVICE_CONFIG) private readonly config: TokenServiceConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const admin = this.config.LATCHKEY_BOOTSTRAP_ADMINS.split(',').map((s) => s.trim()).filter(Boolean)[0];
    if (!admin) return;
    const runner = this.db.createQueryRunner();
    await runner.connect();
    try {
      await runner.query(`SELECT pg_advisory_lock(hashtext('latchkey-bootstrap-admin'))`);
      if ((await this.repository.count()) > 0) return;
      const { secret } = await this.tokens.issueFor(admin, { userId: admin, via: 'bootstrap', scopes: ['admin', 'write'], groups: [], isAdmin: true }, {
        name: 'bootstrap admin',
        scopes: ['write', 'admin'],
      });
      const file = path.resolve(this.config.LATCHKEY_BOOTSTRAP_TOKEN_FILE);
      await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
      await writeFile(file, `${secret}\n`, { mode: 0o600 });
      await chmod(file, 0o600);
      this.logger.log(`bootstrap admin token for "${admin}" written to ${file} (mode 0600)`);
    } finally {
      await runner.query(`SELECT pg_advisory_unlock(hashtext('latchkey-bootstrap-admin'))`).catch(() => undefined);
      await runner.release();
    }
  }
}
