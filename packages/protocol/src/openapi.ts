/** Build the OpenAPI 3.1 document from the route list; nothing here is written by hand per route. */
import { z } from 'zod';
import type { RequestBody, ResponseSpec, RouteSpec } from './route-spec.ts';

type Json = Record<string, unknown>;

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): Json {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Json;
  return rest;
}

function parameters(route: RouteSpec): Json[] {
  const list: Json[] = [];
  const add = (location: 'query' | 'path', object: z.ZodObject | undefined): void => {
    if (!object) return;
    const schema = jsonSchema(object, 'input') as { properties?: Record<string, Json>; required?: string[] };
    for (const [name, property] of Object.entries(schema.properties ?? {})) {
      const { description, ...rest } = property;
      list.push({
        name,
        in: location,
        required: location === 'path' || (schema.required ?? []).includes(name),
        ...(description ? { description } : {}),
        schema: rest,
      });
    }
  };
  add('path', route.params);
  add('query', route.query);
  if (route.auth) {
    list.push({
      name: 'X-Device-UUID',
      in: 'header',
      required: true,
      description: 'The device the token was issued to',
      schema: { type: 'string' },
    });
  }
  for (const [name, header] of Object.entries(route.headers ?? {})) {
    list.push({
      name,
      in: 'header',
      required: header.required ?? false,
      description: header.description,
      schema: { type: 'string' },
    });
  }
  return list;
}

function requestBody(body: RequestBody): Json {
  switch (body.kind) {
    case 'json':
      return { required: true, content: { 'application/json': { schema: jsonSchema(body.schema, 'input') } } };
    case 'multipart':
      return {
        required: true,
        content: {
          'multipart/form-data': {
            schema: {
              type: 'object',
              required: [body.field],
              properties: { [body.field]: { type: 'string', format: 'binary', description: body.description } },
            },
          },
        },
      };
    case 'binary':
      return {
        required: true,
        description: body.description,
        content: { '*/*': { schema: { type: 'string', format: 'binary' } } },
      };
  }
}

function response(spec: ResponseSpec): Json {
  const headers = responseHeaders(spec);
  return headers ? { ...responseBody(spec), headers } : responseBody(spec);
}

function responseHeaders(spec: ResponseSpec): Json | undefined {
  if (!spec.headers) return undefined;
  return Object.fromEntries(
    Object.entries(spec.headers).map(([name, header]) => [
      name,
      { description: header.description, ...(header.required ? { required: true } : {}), schema: { type: 'string' } },
    ]),
  );
}

function responseBody(spec: ResponseSpec): Json {
  if (spec.content === 'binary') {
    return { description: spec.description, content: { '*/*': { schema: { type: 'string', format: 'binary' } } } };
  }
  if (spec.content === 'text') {
    return { description: spec.description, content: { 'text/plain': { schema: { type: 'string' } } } };
  }
  if (!spec.schema) return { description: spec.description };
  return {
    description: spec.description,
    content: { 'application/json': { schema: jsonSchema(spec.schema, 'output') } },
  };
}

export function buildOpenApi(routes: readonly RouteSpec[], version: string): Json {
  const paths: Record<string, Record<string, Json>> = {};
  for (const route of routes) {
    const operation: Json = {
      summary: route.summary,
      tags: [route.tag],
      parameters: parameters(route),
      responses: Object.fromEntries(Object.entries(route.responses).map(([status, spec]) => [status, response(spec)])),
    };
    if (route.description) operation['description'] = route.description;
    if (route.body) operation['requestBody'] = requestBody(route.body);
    if (route.auth) operation['security'] = [{ bearer: [] }];
    (paths[route.path] ??= {})[route.method] = operation;
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'PhotoSync server API',
      version,
      description:
        'Compatibility API spoken by existing PhotoSync phones (unchanged shapes, fixed behaviour) plus our ' +
        '/api/v2 additions. Errors are JSON `{error, code}`.',
    },
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
    paths,
  };
}
