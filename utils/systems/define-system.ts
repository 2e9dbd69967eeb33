import { type SystemDefinition, type SystemDefinitionInput, SystemDefinitionSchema } from './schema';

/**
 * Validates a definition (built-in or user-made) and returns it. Throws a ZodError that
 * names the offending field, so a bad user system fails when it is saved, not at capture.
 */
export function defineSystem(definition: SystemDefinitionInput): SystemDefinition {
  return SystemDefinitionSchema.parse(definition);
}
