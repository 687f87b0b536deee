/**
 * An entity read from an HTTP API (`kind: http`): declarative, in the spirit of dlt's `rest_api`
 * and Airbyte's low-code connectors. Where the records are (request, records path), how to page
 * through them (paginator), how each contract column is found in a record (fields), and how to
 * read only what changed (incremental). A preset gives all of that for a known API; the user
 * gives the base URL and the environment variable holding the token.
 *
 * ```yaml
 * sources:
 *   crm.tickets:
 *     kind: http
 *     preset: zendesk-support
 *     base_url: https://acme.zendesk.com
 *     auth: { type: bearer, token_env: ZENDESK_TOKEN }
 * ```
 * sources/connectors/http/README.md explains every setting with the presets as examples.
 */
import { z } from 'zod';
import { duration, envName, presetName } from './setting-values.ts';

/**
 * A path into a JSON record: names joined by dots, `[2]` for an array element, and
 * `[id=360001]` for the element of an array of objects whose `id` is that value (how Zendesk
 * and others carry custom fields). `a.b[0].c`, `custom_fields[id=360001].value`.
 */
export const JSON_PATH = /^[A-Za-z_$][\w$-]*(\[\d+\]|\[[A-Za-z_][\w]*=[^\]]+\]|\.[A-Za-z_$][\w$-]*)*$/;
const jsonPath = z.string().regex(JSON_PATH, { error: 'expected a JSON path such as id, via.channel, tags[0] or custom_fields[id=360001].value' });
const scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);

/** Where a contract column is in a record: a path, or a path with a translation of its values. */
export const HttpFieldSchema = z.union([
  jsonPath,
  z.strictObject({
    path: jsonPath,
    map: z.record(z.string(), scalar).optional().describe('API value → contract value (others pass unchanged and meet the contract)'),
  }),
]);

const auth = z
  .discriminatedUnion(
    'type',
    [
      z.strictObject({ type: z.literal('none') }),
      z.strictObject({ type: z.literal('bearer'), token_env: envName.describe('the environment variable holding the token') }),
      z.strictObject({
        type: z.literal('api_key'),
        header: z.string().regex(/^[A-Za-z0-9-]+$/, { error: 'expected a header name' }).default('X-API-Key'),
        key_env: envName,
      }),
      z.strictObject({ type: z.literal('basic'), user: z.string().min(1), password_env: envName }),
    ],
    { error: 'expected an auth type: none, bearer, api_key or basic' },
  )
  .default({ type: 'none' });

const param = z.union([z.string(), z.number(), z.boolean()]);

const request = z.strictObject({
  method: z.enum(['GET', 'POST']).default('GET'),
  path: z.string().regex(/^\/[^\s]*$/, { error: 'expected a path starting with /, e.g. /api/v2/tickets' }),
  params: z.record(z.string(), param).default({}).describe('query parameters sent with every request'),
  body: z.record(z.string(), z.unknown()).optional().describe('JSON body (POST)'),
});

/** How to ask for the next page, and how to know there is none. */
export const PaginatorSchema = z.discriminatedUnion(
  'type',
  [
    z.strictObject({
      type: z.literal('cursor'),
      cursor_path: jsonPath.describe('where the response gives the next cursor'),
      param: z.string().min(1).describe('the query parameter that sends it back'),
      end_path: jsonPath.optional().describe('a flag in the response that is true on the last page (end_of_stream)'),
      more_path: jsonPath.optional().describe('a flag in the response that is true while pages remain (has_more)'),
    }),
    z.strictObject({
      type: z.literal('after'),
      after_path: jsonPath.describe('where the response gives the next `after` (absent on the last page)'),
      param: z.string().min(1).default('after'),
    }),
    z.strictObject({ type: z.literal('link').describe("the Link header's rel=\"next\" URL") }),
    z.strictObject({
      type: z.literal('offset'),
      offset_param: z.string().min(1).default('offset'),
      limit_param: z.string().min(1).default('limit'),
      limit: z.int().min(1).max(10_000).default(100),
    }),
    z.strictObject({
      type: z.literal('page'),
      page_param: z.string().min(1).default('page'),
      first_page: z.int().min(0).default(1),
      size_param: z.string().min(1).optional(),
      size: z.int().min(1).max(10_000).default(100),
    }),
    z.strictObject({
      type: z.literal('search'),
      property: z.string().min(1).describe('the searchable property the incremental cursor field holds (hs_lastmodifieddate)'),
      limit: z.int().min(1).max(200).default(100),
      max_results: z.int().min(1).default(10_000).describe('the deepest result a query may page to (HubSpot: 10,000)'),
    }),
  ],
  { error: 'expected a paginator type: cursor, after, link, offset, page or search' },
);

const incremental = z.strictObject({
  cursor_field: jsonPath.describe('the record field set on every change (updated_at); the mark is its highest value read'),
  param: z.string().min(1).optional().describe('the query parameter asking for records changed since (start_time); the search paginator filters instead'),
  format: z.enum(['iso', 'unix_seconds', 'unix_millis']).default('iso').describe('how the parameter and the field write a time'),
  lookback: duration.default(3600).describe('read this far behind the mark again: late writes are merged by key, never doubled'),
});

const ignoreFields = z
  .array(z.string().min(1))
  .default([])
  .describe('record fields the contract does not need: neither kept nor reported (any other unmapped field is kept as an extra column)');

/** What a preset gives an entity (everything but where the API is and how to log in). */
export const HttpEntitySettingsSchema = z.strictObject({
  request,
  records: jsonPath.describe('where the response holds the array of records'),
  paginator: PaginatorSchema,
  fields: z.record(z.string(), HttpFieldSchema).default({}).describe('contract column → its path in a record (same name when not listed)'),
  ignore_fields: ignoreFields,
  incremental: incremental.optional(),
});

export const HttpSourceSchema = z.strictObject({
  kind: z.literal('http'),
  preset: presetName.optional().describe('ready-made request, paginator and fields (sources/connectors/http/presets/<name>.yaml); settings given here win'),
  base_url: z.url({ protocol: /^https?$/, error: 'expected an http(s) URL, e.g. https://acme.zendesk.com' }),
  auth,
  request: request.optional(),
  records: jsonPath.optional(),
  paginator: PaginatorSchema.optional(),
  fields: z.record(z.string(), HttpFieldSchema).default({}),
  ignore_fields: z.array(z.string().min(1)).optional().describe(ignoreFields.description!),
  incremental: incremental.optional(),
  timeout: duration.default(30).describe('for one response, after which the request is retried'),
  max_requests_per_second: z.number().positive().max(1000).default(10),
  retries: z.int().min(0).max(20).default(8).describe('for 429, 5xx, timeouts and dropped connections; backoff doubles to max_backoff, with jitter'),
  max_backoff: duration.default(60),
});

export const HttpPresetSchema = z.strictObject({
  description: z.string().min(1),
  entities: z.record(z.string(), HttpEntitySettingsSchema),
});

export type ConfiguredHttpSource = z.infer<typeof HttpSourceSchema>;
/** An HTTP source with its preset applied: request, records and paginator are known. */
export type HttpSource = ConfiguredHttpSource & z.infer<typeof HttpEntitySettingsSchema>;
export type HttpField = z.infer<typeof HttpFieldSchema>;
export type Paginator = z.infer<typeof PaginatorSchema>;
export type HttpPreset = z.infer<typeof HttpPresetSchema>;
