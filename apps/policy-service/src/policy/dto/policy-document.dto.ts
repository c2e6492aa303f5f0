import { ApiProperty } from '@nestjs/swagger';
import { PolicyDocument, PolicyRules } from '@latchkey/contracts';

export class PolicyDocumentDto implements PolicyDocument {
  @ApiProperty({ description: 'increments with every change; 0 = nothing stored yet (defaults apply)', example: 0 })
  version!: number;

  @ApiProperty({ description: 'the policy rules; empty means defaults', type: 'object', additionalProperties: true })
  rules!: PolicyRules;
}
