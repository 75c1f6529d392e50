import { applyDecorators, Body, Param, Query, type PipeTransform } from '@nestjs/common';
import { ApiBody, ApiQuery, ApiResponse } from '@nestjs/swagger';
import { z } from 'zod';
import { ErrorBody, fieldErrors } from '@xietong/shared';
import { ValidationFailed } from './errors.js';

/** Validates a value against a shared zod schema; a failure names every bad field. */
export class ZodPipe<S extends z.ZodType> implements PipeTransform<unknown, z.output<S>> {
  constructor(private readonly schema: S) {}
  transform(value: unknown): z.output<S> {
    const parsed = this.schema.safeParse(value ?? {});
    if (!parsed.success) throw new ValidationFailed(fieldErrors(parsed.error));
    return parsed.data;
  }
}

/** OpenAPI 3.0 JSON schema for a zod schema: the same definition documents and validates. */
export function openApiSchema(schema: z.ZodType, io: 'input' | 'output' = 'output'): Record<string, unknown> {
  // An empty registry inlines everything: swagger's document has no `definitions` to point at.
  const json = z.toJSONSchema(schema, {
    target: 'openapi-3.0',
    io,
    unrepresentable: 'any',
    metadata: z.registry(),
  }) as Record<string, unknown>;
  delete json.$schema;
  return json;
}

/** `@ValidBody(LoginRequest) body: LoginRequest` — validates and documents the body. */
export function ValidBody(schema: z.ZodType): ParameterDecorator {
  return (target, key, index) => {
    Body(new ZodPipe(schema))(target, key, index);
    if (key !== undefined) {
      const descriptor = Object.getOwnPropertyDescriptor(target, key);
      if (descriptor) ApiBody({ schema: openApiSchema(schema, 'input') })(target, key, descriptor);
    }
  };
}

/** `@ValidQuery(Filter) q: Filter` — validates and documents query parameters. */
export function ValidQuery(schema: z.ZodObject): ParameterDecorator {
  return (target, key, index) => {
    Query(new ZodPipe(schema))(target, key, index);
    if (key !== undefined) {
      const descriptor = Object.getOwnPropertyDescriptor(target, key);
      if (descriptor)
        for (const [name, field] of Object.entries(schema.shape)) {
          ApiQuery({
            name,
            required: !(field as z.ZodType).safeParse(undefined).success,
            schema: openApiSchema(field as z.ZodType, 'input'),
          })(target, key, descriptor);
        }
    }
  };
}

/** Documents a success response with its shared schema, and the common error shape. */
export function Returns(status: number, schema?: z.ZodType, description = 'OK'): MethodDecorator {
  return applyDecorators(
    ApiResponse({ status, description, ...(schema ? { schema: openApiSchema(schema) } : {}) }),
    ApiResponse({ status: 'default', description: 'Error', schema: openApiSchema(ErrorBody) }),
  );
}

/** `@UuidParam('userId') id: string` — a path id that must be a UUID; a bad one names the parameter. */
export function UuidParam(name: string): ParameterDecorator {
  return Param(name, new UuidPipe(name));
}

class UuidPipe implements PipeTransform<unknown, string> {
  private static readonly schema = z.uuid();
  constructor(private readonly field: string) {}
  transform(value: unknown): string {
    const parsed = UuidPipe.schema.safeParse(value);
    if (!parsed.success) throw new ValidationFailed([{ field: this.field, message: '须为 UUID (expected a uuid)' }]);
    return parsed.data.toLowerCase();
  }
}
