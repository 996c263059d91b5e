import type { MetadataStorage as TypeMetadataStorage } from 'class-transformer/types/MetadataStorage';
import { getMetadataStorage } from 'class-validator';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';

/**
 * Reading the CaseFacts classes through their decorators: what the interview lint and the batch
 * columns both derive from the model instead of keeping lists of fields by hand.
 */

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export type ClassRef = Function;

/**
 * class-transformer keeps the `@Type` registry (which class a nested property holds) in a module
 * it does not export from its entry point or type; this is the same instance `plainToInstance` uses.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { defaultMetadataStorage } = require('class-transformer/cjs/storage') as {
  defaultMetadataStorage: TypeMetadataStorage;
};

/** Each validated property of `cls` (inherited ones included) with its validation metadata. */
export function propertiesOf(cls: ClassRef): Map<string, ValidationMetadata[]> {
  const all = getMetadataStorage().getTargetValidationMetadatas(cls, '', true, false);
  const byName = new Map<string, ValidationMetadata[]>();
  for (const m of all) byName.set(m.propertyName, [...(byName.get(m.propertyName) ?? []), m]);
  return byName;
}

/** The class a nested property holds (`@Type`), or undefined for a leaf. */
export function nestedClass(cls: ClassRef, property: string): ClassRef | undefined {
  const type = defaultMetadataStorage.findTypeMetadata(cls, property);
  return type ? (type.typeFunction() as ClassRef) : undefined;
}
