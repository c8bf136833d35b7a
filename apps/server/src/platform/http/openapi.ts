import type { SwaggerTransform, SwaggerTransformObject } from '@fastify/swagger';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';

/*
 * The OpenAPI document says what the server does (found by the INPUT-01 fuzzer, which checks
 * answers against it): a public route needs no credentials (`security: []`, from the same access
 * entry the guard enforces), and every error answer is `application/problem+json`, the content
 * type the server sends, not `application/json`.
 */

export const documentRoute: SwaggerTransform = (input) => {
  const transformed = jsonSchemaTransform(input);
  if (input.route.config?.access !== 'public') return transformed;
  return { ...transformed, schema: { ...transformed.schema, security: [] } };
};

const problemJson = 'application/problem+json';

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
const isObject = (value: unknown): value is { [key: string]: Json } => typeof value === 'object' && value !== null && !Array.isArray(value);

export const documentObject: SwaggerTransformObject = (input) => {
  const document = jsonSchemaTransformObject(input);
  const paths: unknown = document.paths;
  if (!isObject(paths)) return document;
  for (const operations of Object.values(paths)) {
    if (!isObject(operations)) continue;
    for (const operation of Object.values(operations)) {
      const responses = isObject(operation) ? operation['responses'] : undefined;
      if (!isObject(responses)) continue;
      for (const [status, response] of Object.entries(responses)) {
        if (!/^[45]/.test(status) || !isObject(response) || !isObject(response['content'])) continue;
        const schema = response['content']['application/json'];
        if (schema !== undefined) response['content'] = { [problemJson]: schema };
      }
    }
  }
  return document;
};
