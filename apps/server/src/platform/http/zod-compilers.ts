import type { FastifyServerOptions } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';

type CompilersFactory = NonNullable<NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']>;

/**
 * Fastify's schema compilers are zod's for every route (requests validated, answers serialized
 * through the routes' zod schemas; `setValidatorCompiler`/`setSerializerCompiler` set them too).
 * Given as the schema controller's factories, Fastify never loads its default compilers (ajv and
 * fast-json-stringify, which no route uses): a tenth of a restart's CPU. The casts: Fastify calls
 * a factory's compiler as it calls one set later, but declares the factories with ajv's and
 * fast-json-stringify's own types.
 */
export const zodSchemaController: NonNullable<FastifyServerOptions['schemaController']> = {
  compilersFactory: {
    buildValidator: (() => validatorCompiler) as unknown as CompilersFactory['buildValidator'],
    buildSerializer: (() => serializerCompiler) as unknown as CompilersFactory['buildSerializer'],
  },
};
