import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { AUDIT_SERVICE_CONFIG, AuditServiceConfig } from '../config/audit-service.config';
import { CheckpointRepository } from './checkpoint.repository';
import { Checkpoint, signCheckpoint, SigningKey } from './domain/checkpoint';
import { SIGNING_KEY } from './signing-key';

/** Every LATCHKEY_AUDIT_CHECKPOINT_INTERVAL_MS, signs the chain head if it moved (so a cut tail shows). */
@Injectable()
export class CheckpointService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(CheckpointService.name);
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> = Promise.resolve();
  private readonly publicKey: string;

  constructor(
    private readonly checkpoints: CheckpointRepository,
    @Inject(SIGNING_KEY) private readonly key: SigningKey,
    @Inject(AUDIT_SERVICE_CONFIG) private readonly config: AuditServiceConfig,
  ) {
    this.publicKey = key.publicKey.export({ format: 'der', type: 'spki' }).toString('base64');
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      this.running = this.checkpointNow().catch((err: unknown) =>
        this.logger.warn(`checkpoint failed, will retry: ${err instanceof Error ? err.message : String(err)}`),
      );
    }, this.config.LATCHKEY_AUDIT_CHECKPOINT_INTERVAL_MS);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  checkpointNow(): Promise<Checkpoint | null> {
    return this.checkpoints.checkpointHead((head) => signCheckpoint(head, new Date(), this.key), this.publicKey);
  }
}
