import type { FastifySerializerCompiler } from 'fastify/types/schema.js';

/**
 * The routes' response schemas are zod, for the OpenAPI document only: every
 * answer goes out as plain JSON, never filtered or reshaped by them (and
 * fastify's own serializer, which cannot read zod, never sees them).
 */
export const plainJsonSerializer: FastifySerializerCompiler<unknown> = () => (data) => JSON.stringify(data);
