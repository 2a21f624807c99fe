import { Compile, Helper, parse } from 'velocityjs';

/**
 * API Gateway's mapping-template engine, simulated: Velocity (via `velocityjs`) with the `$input`,
 * `$util` and `$context` variables a REST API gives its request, integration-response and gateway-
 * response templates, implemented as AWS documents them. A simulation for tests: what runs in AWS
 * is API Gateway's own Java Velocity 1.7; where velocityjs differs from it in a way a template can
 * observe, this module follows Velocity 1.7:
 * - only `null` and `false` are false in `#if` (an empty string, `0` and an empty list are true);
 * - `#set($x = <null>)` leaves `$x` as it was (Velocity's default `directive.set.null.allowed=false`);
 * - a null reference renders as its own text (`$item.view.S`), or nothing with `$!`;
 * - strings answer Java's `String` methods (`replaceAll` takes a regular expression, `replace`
 *   replaces every occurrence, `length()`, `matches()`, ...).
 *
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-mapping-template-reference.html
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-mapping-variable-examples.html
 */

/** A request as the method receives it, after API Gateway has decoded the path and query string. */
export interface MethodRequest {
  /** The raw body. */
  readonly body?: string;
  readonly path?: Readonly<Record<string, string>>;
  readonly querystring?: Readonly<Record<string, string>>;
  readonly header?: Readonly<Record<string, string>>;
}

/** `$context`: the request's context; `responseOverride` is what a template may set. */
export interface GatewayContext {
  readonly requestId: string;
  readonly requestTimeEpoch: number;
  readonly httpMethod?: string;
  readonly resourcePath?: string;
  readonly stage?: string;
  readonly authorizer?: { readonly claims?: Readonly<Record<string, string>> };
  readonly identity?: Readonly<Record<string, string>>;
  readonly error?: {
    readonly message?: string;
    readonly validationErrorString?: string;
    readonly responseType?: string;
  };
}

/** What a rendering produced: the body and what the template overrode. */
export interface Rendered {
  readonly body: string;
  /** `$context.responseOverride.status`, when the template set it. */
  readonly statusOverride?: number;
  readonly headerOverrides: Readonly<Record<string, string>>;
}

/**
 * `$util`, as the mapping-template reference lists it.
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-mapping-template-reference.html#util-template-reference
 */
export const util = {
  /**
   * "Escapes the characters in a string using JavaScript string rules", and, as AWS warns, turns
   * `'` into `\'`, which is not valid in JSON: a template that puts the result in a JSON string must
   * turn `\'` back into `'`. The rules are those of Apache Commons Lang's
   * `StringEscapeUtils.escapeJavaScript` (Java, which API Gateway runs): `"`, `\`, `'` and `/` get
   * a backslash; `\b \t \n \f \r` their short forms; other control characters and every character
   * above U+007F a `\uXXXX` escape (upper-case hex, one per UTF-16 code unit).
   */
  escapeJavaScript(value: unknown): string | null {
    // Commons Lang answers null for null; the template then renders the call's own text.
    if (value === null || value === undefined) return null;
    const s = javaString(value);
    let out = '';
    for (let i = 0; i < s.length; i++) {
      const ch = s.charCodeAt(i);
      if (ch > 0x7f) out += '\\u' + ch.toString(16).toUpperCase().padStart(4, '0');
      else if (ch < 32) {
        const short: Record<number, string> = {
          8: '\\b',
          9: '\\t',
          10: '\\n',
          12: '\\f',
          13: '\\r',
        };
        out += short[ch] ?? '\\u' + ch.toString(16).toUpperCase().padStart(4, '0');
      } else if (ch === 0x27) out += "\\'";
      else if (ch === 0x22) out += '\\"';
      else if (ch === 0x5c) out += '\\\\';
      else if (ch === 0x2f) out += '\\/';
      else out += s[i];
    }
    return out;
  },
  /** "Takes 'stringified' JSON and returns an object representation of the result." */
  parseJson(value: unknown): unknown {
    return JSON.parse(javaString(required('parseJson', value)));
  },
  /**
   * "Converts a string into application/x-www-form-urlencoded format": Java's `URLEncoder` with
   * UTF-8, which keeps letters, digits and `. - * _`, writes a space as `+` and every other byte as
   * `%XX`.
   */
  urlEncode(value: unknown): string {
    value = required('urlEncode', value);
    return [...Buffer.from(javaString(value), 'utf8')]
      .map((b) => {
        const c = String.fromCharCode(b);
        if (/[A-Za-z0-9.\-*_]/.test(c)) return c;
        if (c === ' ') return '+';
        return '%' + b.toString(16).toUpperCase().padStart(2, '0');
      })
      .join('');
  },
  /** "Decodes an application/x-www-form-urlencoded string." */
  urlDecode(value: unknown): string {
    value = required('urlDecode', value);
    return decodeURIComponent(javaString(value).replace(/\+/g, ' '));
  },
  /** "Encodes the data into a base64-encoded string." */
  base64Encode(value: unknown): string {
    value = required('base64Encode', value);
    return Buffer.from(javaString(value), 'utf8').toString('base64');
  },
  /** "Decodes the data from a base64-encoded string." */
  base64Decode(value: unknown): string {
    value = required('base64Decode', value);
    return Buffer.from(javaString(value), 'base64').toString('utf8');
  },
};

/**
 * `$input` for a payload: `body`, `json(x)`, `path(x)` and `params()`. In a request template the
 * payload is the method request's body; in an integration-response template, the integration's
 * answer.
 */
export function inputOf(payload: string, request: MethodRequest = {}) {
  let parsed: unknown;
  let parseError: Error | undefined;
  try {
    parsed = payload === '' ? {} : JSON.parse(payload);
  } catch (e) {
    parseError = e as Error;
  }
  const evaluate = (expression: unknown) => {
    if (parseError) throw new Error(`$input: the payload is not JSON (${parseError.message})`);
    return jsonPath(parsed, javaString(expression));
  };
  const params = {
    path: { ...(request.path ?? {}) },
    querystring: { ...(request.querystring ?? {}) },
    header: { ...(request.header ?? {}) },
  };
  return {
    /** The raw payload as a string. */
    body: payload,
    /** The JSONPath result as a JSON string. */
    json: (expression: unknown) => {
      const value = evaluate(expression);
      return value === undefined ? '' : JSON.stringify(value);
    },
    /** The JSONPath result as an object (a string, number, list or map), null when absent. */
    path: (expression: unknown) => {
      const value = evaluate(expression);
      return value === undefined ? null : value;
    },
    /**
     * With a name: the parameter from the path, the query string or the headers, searched in that
     * order. Without: all of them, as `{path, querystring, header}`.
     */
    params: (...args: unknown[]) => {
      if (args.length === 0) return params;
      const name = javaString(args[0]);
      for (const source of [params.path, params.querystring, params.header] as Record<
        string,
        string
      >[]) {
        if (name in source) return source[name];
      }
      return null;
    },
  };
}

/**
 * Renders one mapping template as API Gateway would: `payload` is what `$input` reads (the method
 * request's body, or the integration's answer), `request` the method request's parameters.
 */
export function renderTemplate(
  template: string,
  payload: string,
  context: GatewayContext,
  request: MethodRequest = {},
): Rendered {
  const responseOverride: { status?: unknown; header: Record<string, string> } = { header: {} };
  const requestOverride = { header: {}, path: {}, querystring: {} };
  const error = context.error ?? {};
  const $context = {
    ...structuredClone(context),
    error: {
      ...error,
      // "The quoted value of $context.error.message, namely "$context.error.message"."
      messageString: error.message === undefined ? undefined : `"${error.message}"`,
    },
    responseOverride,
    requestOverride,
  };
  const compiler = new ApiGatewayVelocity(parse(template), {
    customMethodHandlers: JAVA_METHODS,
    valueMapper: (value: unknown) => value,
  });
  const body = compiler.render({
    input: inputOf(payload, request),
    util,
    context: $context,
  });
  const status = responseOverride.status;
  return {
    body,
    statusOverride: status === undefined || status === null ? undefined : Number(status),
    headerOverrides: responseOverride.header,
  };
}

/** One integration response as API Gateway's `IntegrationResponses` list holds it. */
export interface IntegrationResponse {
  readonly StatusCode: string;
  readonly SelectionPattern?: string;
  readonly ResponseTemplates?: Readonly<Record<string, string>>;
}

/**
 * The integration response API Gateway picks for an AWS-service integration's HTTP status: the
 * first whose `SelectionPattern` (a regular expression) matches the whole status code, else the
 * one without a pattern (the default).
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-integration-settings-integration-response.html
 */
export function selectIntegrationResponse(
  responses: readonly IntegrationResponse[],
  statusCode: number,
): IntegrationResponse {
  const matched = responses.find(
    (r) => r.SelectionPattern && new RegExp(`^(?:${r.SelectionPattern})$`).test(String(statusCode)),
  );
  const chosen = matched ?? responses.find((r) => !r.SelectionPattern);
  if (!chosen)
    throw new Error(`no integration response for status ${statusCode} and no default response`);
  return chosen;
}

/** Velocity 1.7's rules where velocityjs, being JavaScript, differs. */
class ApiGatewayVelocity extends Compile {
  getBlockIf(block: any[]): string {
    let received = false;
    const asts: any[] = [];
    block.some((ast) => {
      const hasCondition = ast.type === 'elseif' || ast.type === 'if';
      if (!(hasCondition || ast.type === 'else')) {
        if (received) asts.push(ast);
        return false;
      }
      if (received) return true;
      received = hasCondition ? velocityTrue(this.getExpression(ast.condition)) : true;
      return false;
    });
    return (this as any).renderAstList(asts, (this as any).contextId);
  }

  override getExpression(ast: any): any {
    if (ast?.type === 'math') {
      const [left, right] = ast.expression;
      if (ast.operator === '&&')
        return velocityTrue(this.getExpression(left)) && velocityTrue(this.getExpression(right));
      if (ast.operator === '||')
        return velocityTrue(this.getExpression(left)) || velocityTrue(this.getExpression(right));
      if (ast.operator === 'not') return !velocityTrue(this.getExpression(left));
    }
    return super.getExpression(ast);
  }

  override setValue(ast: any): void {
    const valueAst = ast.equal[1];
    const value =
      valueAst.type === 'math' ? this.getExpression(valueAst) : (this as any).getLiteral(valueAst);
    if (value === null || value === undefined) return;
    super.setValue(ast);
  }

  override getReferences(ast: any, isVal?: boolean): any {
    const value = super.getReferences(ast, isVal);
    if (isVal && value === null) {
      return (this as any).silence || ast.leader === '$!' ? '' : Helper.getRefText(ast);
    }
    return value;
  }
}

/** Java's encoders and decoders throw on null; API Gateway then fails the call. */
function required(name: string, value: unknown): unknown {
  if (value === null || value === undefined) throw new Error(`$util.${name}(null)`);
  return value;
}

function velocityTrue(value: unknown): boolean {
  return value !== null && value !== undefined && value !== false;
}

/** A value as Java's `String.valueOf` would write it. */
function javaString(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return value;
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** Java's regular expressions, for the subset that JavaScript writes the same way. */
function javaRegex(pattern: string, flags = ''): RegExp {
  if (/\(\?[a-zA-Z<]|\\[pPQEGAZz]|\+\+|\*\+|\?\+/.test(pattern))
    throw new Error(`the Java regular expression ${pattern} needs a translation this module lacks`);
  return new RegExp(pattern, flags);
}

/** Java's `Matcher.replaceAll` replacement: `$n` groups, `\x` a literal x. */
function javaReplacement(replacement: string): string {
  return replacement.replace(/\$\$/g, '$$$$').replace(/\\(.)/g, (_, c) => (c === '$' ? '$$' : c));
}

const stringMethod = (
  name: string,
  resolve: (s: string, params: any[]) => unknown,
): {
  uid: string;
  match: (p: { property: string; context: any; params: any[] }) => boolean;
  resolve: (p: { property: string; context: any; params: any[] }) => unknown;
} => ({
  uid: `java.lang.String.${name}`,
  match: ({ property, context }) => property === name && typeof context === 'string',
  resolve: ({ context, params }) => resolve(context, params),
});

/** `java.lang.String` methods a template may call on a string. */
const JAVA_METHODS = [
  stringMethod('replaceAll', (s, [regex, replacement]) =>
    s.replace(javaRegex(javaString(regex), 'g'), javaReplacement(javaString(replacement))),
  ),
  stringMethod('replaceFirst', (s, [regex, replacement]) =>
    s.replace(javaRegex(javaString(regex)), javaReplacement(javaString(replacement))),
  ),
  stringMethod('replace', (s, [target, replacement]) =>
    s.split(javaString(target)).join(javaString(replacement)),
  ),
  stringMethod('matches', (s, [regex]) => javaRegex(`^(?:${javaString(regex)})$`).test(s)),
  stringMethod('length', (s) => s.length),
  stringMethod('isEmpty', (s) => s.length === 0),
  stringMethod('equals', (s, [other]) => s === other),
  stringMethod('contains', (s, [other]) => s.includes(javaString(other))),
  stringMethod('startsWith', (s, [other]) => s.startsWith(javaString(other))),
  stringMethod('endsWith', (s, [other]) => s.endsWith(javaString(other))),
  // Java's trim() drops every character up to U+0020 at both ends.
  stringMethod('trim', (s) => {
    let [start, end] = [0, s.length];
    while (start < end && s.charCodeAt(start) <= 32) start++;
    while (end > start && s.charCodeAt(end - 1) <= 32) end--;
    return s.slice(start, end);
  }),
  stringMethod('toLowerCase', (s) => s.toLowerCase()),
  stringMethod('toUpperCase', (s) => s.toUpperCase()),
  stringMethod('substring', (s, [start, end]) => s.substring(start, end)),
  stringMethod('indexOf', (s, [other]) => s.indexOf(javaString(other))),
  {
    uid: 'java.util.Collection.isEmpty',
    match: ({ property, context }: { property: string; context: any }) =>
      property === 'isEmpty' && context !== null && typeof context === 'object',
    resolve: ({ context }: { context: any }) =>
      Array.isArray(context) ? context.length === 0 : Object.keys(context).length === 0,
  },
];

/**
 * The JSONPath subset mapping templates use: `$`, `.name`, `['name']` and `[n]`. Anything else
 * throws, so that a template using more is not silently misread.
 */
export function jsonPath(document: unknown, expression: string): unknown {
  if (!expression.startsWith('$'))
    throw new Error(`JSONPath ${expression} must start with $ (the root)`);
  let rest = expression.slice(1);
  let value: unknown = document;
  while (rest.length > 0) {
    const m =
      /^\.([A-Za-z_$][\w$-]*)/.exec(rest) ??
      /^\['([^']*)'\]/.exec(rest) ??
      /^\["([^"]*)"\]/.exec(rest) ??
      /^\[(\d+)\]/.exec(rest);
    if (!m) throw new Error(`JSONPath ${expression}: ${rest} is beyond what this simulation reads`);
    rest = rest.slice(m[0].length);
    if (value === null || typeof value !== 'object') return undefined;
    const key = /^\[\d+\]$/.test(m[0]) ? Number(m[1]) : m[1];
    value = (value as Record<string | number, unknown>)[key];
    if (value === undefined) return undefined;
  }
  return value;
}
