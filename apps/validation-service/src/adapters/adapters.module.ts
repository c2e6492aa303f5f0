import { Module } from '@nestjs/common';
import { DecisionModule } from '../decision/decision.module';
import { ValidateJsonHandler } from './json/validate-json.handler';
import { ValidateController } from './json/validate.controller';

/** The ways resource servers ask: JSON today; nginx, Envoy, RFC 7662 / 7009 next. */
@Module({
  imports: [DecisionModule],
  controllers: [ValidateController],
  providers: [ValidateJsonHandler],
  exports: [ValidateJsonHandler],
})
export class AdaptersModule {}
