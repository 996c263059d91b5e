import { ApiProperty } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayNotEmpty,
  IsArray,
  IsDefined,
  IsEmail,
  IsIn,
  IsString,
  Matches,
  MaxLength,
} from 'class-validator';
import { ROLES, Role, TOKEN_SCOPES } from './permissions';
import type { Permission } from './permissions';

/**
 * Longest password text accepted on the wire: the policy's 1024 characters can take two UTF-16
 * units each; beyond this nothing is hashed, so a huge body cannot make argon2 work for it.
 */
const MAX_PASSWORD_UNITS = 4096;

export class LoginDto {
  @ApiProperty({ example: 'advocate@legal-aid.example' })
  @IsDefined()
  @IsString()
  @MaxLength(254)
  email!: string;

  @ApiProperty({ format: 'password' })
  @IsDefined()
  @IsString()
  @MaxLength(MAX_PASSWORD_UNITS, { message: 'password is too long' })
  password!: string;
}

export class CreateUserDto {
  @ApiProperty({ example: 'paralegal@legal-aid.example' })
  @IsDefined()
  @IsEmail({}, { message: 'email must be an email address' })
  @MaxLength(254)
  email!: string;

  @ApiProperty({
    format: 'password',
    description: 'At least 12 characters; long passphrases welcome; common passwords refused.',
  })
  @IsDefined()
  @IsString()
  @MaxLength(MAX_PASSWORD_UNITS, { message: 'password is too long' })
  password!: string;

  @ApiProperty({ enum: ROLES })
  @IsDefined()
  @IsIn(ROLES, { message: `role must be one of ${ROLES.join(', ')}` })
  role!: Role;
}

export class CreateApiTokenDto {
  @ApiProperty({ example: 'case-management sync', description: 'What the token is for.' })
  @IsDefined()
  @IsString()
  @Matches(/^[^\p{Cc}]{1,100}$/u, { message: 'name must be 1 to 100 characters, on one line' })
  @Matches(/\S/, { message: 'name must not be blank' })
  name!: string;

  @ApiProperty({ enum: TOKEN_SCOPES, isArray: true })
  @IsDefined()
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(TOKEN_SCOPES.length)
  @IsIn(TOKEN_SCOPES, {
    each: true,
    message: `each scope must be one of ${TOKEN_SCOPES.join(', ')}`,
  })
  scopes!: Permission[];
}
