import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length, Matches } from 'class-validator';

export class CreateServiceAccountRequest {
  @ApiProperty({ example: 'svc-jira-sync', description: 'unique among users; tokens name it as their owner' })
  @IsString()
  @Matches(/^[A-Za-z0-9][A-Za-z0-9._@-]{0,99}$/, { message: 'userName must be 1-100 letters, digits or ._@- characters' })
  userName!: string;

  @ApiPropertyOptional({ example: 'Jira nightly sync' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  displayName?: string;
}

export class DirectoryListQuery {
  @ApiPropertyOptional({ enum: ['person', 'serviceAccount'] })
  @IsOptional()
  @Matches(/^(person|serviceAccount)$/, { message: 'kind must be person or serviceAccount' })
  kind?: 'person' | 'serviceAccount';
}
