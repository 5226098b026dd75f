// Routes declare their params, query and body as zod schemas; this compiles them
// for Fastify and types the handlers from them. A failure answers like the rest
// of the site: a field that does not fit is a 400 naming the field (an HTML page,
// or a problem for JSON clients); a malformed address is a 400, or a 404 when its
// schema says what is not there (`z.string().regex(ID_RE, 'There is no …')`).
// fastify-type-provider-zod would do the same but needs @fastify/swagger and
// openapi-types beside it; the part we use is this page.
import type { FastifyInstance, FastifySchema, FastifySchemaCompiler, FastifyTypeProvider } from 'fastify';
import { ZodType, type z } from 'zod';
import { BadRequestError, NotFoundError } from './errors.js';

export interface ZodTypeProvider extends FastifyTypeProvider {
  validator: this['schema'] extends z.ZodType ? z.output<this['schema']> : unknown;
  serializer: this['schema'] extends z.ZodType ? z.input<this['schema']> : unknown;
}

type Issue = z.core.$ZodRawIssue;

/** What a malformed address gets when its schema does not say what is not there. */
const MALFORMED_ADDRESS = 'Some of the values sent are not valid.';

function fieldName(path: readonly PropertyKey[] | undefined): string {
  const name = String(path?.[0] ?? '');
  return name.length > 40 ? `${name.slice(0, 40)}…` : name;
}

/** The words of an issue the schema gave no message of its own. */
function defaultMessage(issue: Issue): string {
  const field = fieldName(issue.path);
  if (!field) return 'What was sent is not a form: send the fields of the form.';
  if (issue.code === 'invalid_type' && issue.input === undefined) return `The field “${field}” is missing.`;
  if (issue.code === 'invalid_type' && issue.expected === 'string') return `The field “${field}” must be text.`;
  return `The field “${field}” is not valid.`;
}

/** Compiles a route's zod schema: parse, replace the request's part with the parsed value, or answer as above. */
export const zodValidatorCompiler: FastifySchemaCompiler<FastifySchema> = ({ schema, httpPart }) => {
  if (!(schema instanceof ZodType))
    throw new Error(`A route declares its ${httpPart} with a JSON schema beside zod ones: declare every part with zod.`);
  return (data: unknown) => {
    // Fastify hands over a missing body or query as null; a form with no fields is an empty form.
    const input = data === null && (httpPart === 'body' || httpPart === 'querystring') ? {} : data;
    const params = httpPart === 'params';
    const result = schema.safeParse(input, { error: params ? () => MALFORMED_ADDRESS : defaultMessage });
    if (result.success) return { value: result.data };
    const message = result.error.issues[0]!.message;
    if (!params) return { error: new BadRequestError(message, 'invalid_input') };
    return { error: message === MALFORMED_ADDRESS ? new BadRequestError(message, 'invalid_request') : new NotFoundError(message) };
  };
};

const compiled = new WeakSet<FastifyInstance>();

function declaresZod(schema: FastifySchema | undefined): boolean {
  return [schema?.params, schema?.querystring, schema?.body, schema?.headers].some((part) => part instanceof ZodType);
}

/**
 * Types the routes a plugin declares with zod schemas, and has those routes
 * validate with zod. Only routes whose schemas are zod's get this compiler, so a
 * route that still declares a JSON schema keeps Fastify's own validator (a route
 * does not mix the two), wherever the plugin happens to be registered.
 */
export function zodRoutes(app: FastifyInstance) {
  if (!compiled.has(app)) {
    compiled.add(app);
    app.addHook('onRoute', (route) => {
      if (declaresZod(route.schema)) route.validatorCompiler = zodValidatorCompiler;
    });
  }
  return app.withTypeProvider<ZodTypeProvider>();
}
