import { Controller, Get, Global, Injectable, Module } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorResult, HealthIndicatorService, TerminusModule } from '@nestjs/terminus';

/** A readiness condition a feature contributes (database reachable, consumer caught up, ...). */
export interface ReadinessCheck {
  name: string;
  check(): Promise<{ ok: boolean; detail?: Record<string, unknown> }>;
}

@Injectable()
export class ReadinessRegistry {
  private readonly checks: ReadinessCheck[] = [];
  register(check: ReadinessCheck): void {
    this.checks.push(check);
  }
  all(): readonly ReadinessCheck[] {
    return this.checks;
  }
}

const CHECK_TIMEOUT_MS = 2000;

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly registry: ReadinessRegistry,
  ) {}

  @Get('live')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  @HealthCheck()
  ready() {
    return this.health.check(this.registry.all().map((c) => () => this.run(c)));
  }

  private async run(c: ReadinessCheck): Promise<HealthIndicatorResult> {
    const indicator = this.indicators.check(c.name);
    try {
      const result = await Promise.race([
        c.check(),
        new Promise<{ ok: boolean; detail?: Record<string, unknown> }>((resolve) =>
          setTimeout(() => resolve({ ok: false, detail: { reason: 'timeout' } }), CHECK_TIMEOUT_MS).unref(),
        ),
      ]);
      return result.ok ? indicator.up(result.detail) : indicator.down(result.detail);
    } catch (err) {
      return indicator.down({ reason: err instanceof Error ? err.message : String(err) });
    }
  }
}

/** `GET /health/live` (process up) and `GET /health/ready` (every registered check passes). */
@Global()
@Module({
  imports: [TerminusModule.forRoot({ logger: false })],
  controllers: [HealthController],
  providers: [ReadinessRegistry],
  exports: [ReadinessRegistry],
})
export class HealthModule {}
