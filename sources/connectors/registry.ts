/**
 * Which connector serves a kind of source. A new kind adds its folder beside database/ and
 * http/ and one case here; the delivery and the extract step are shared.
 */
import type { HttpSource } from '../../config/http-source.ts';
import type { Connector } from './connector.ts';
import { databaseConnector } from './database/connector.ts';
import type { Credentials } from './http/client.ts';
import { httpConnector } from './http/connector.ts';
import { readSecret } from './secrets.ts';
import type { ConfiguredSource } from './settings.ts';

export function openConnector(source: ConfiguredSource, env: NodeJS.ProcessEnv = process.env, progress?: (message: string) => void): Connector {
  const { settings, contract, path } = source;
  switch (settings.kind) {
    case 'database': {
      const password = settings.password_env ? readSecret(settings.password_env, `${path}.password_env`, env) : undefined;
      return databaseConnector(contract, settings, password);
    }
    case 'http':
      return httpConnector(contract, settings, httpCredentials(settings.auth, `${path}.auth`, env), progress);
    case 'file':
      throw new Error(`${path}: files are read by the file loader, not a connector`);
  }
}

/** The auth header of an HTTP source, its secret read from the named environment variable. */
function httpCredentials(auth: HttpSource['auth'], path: string, env: NodeJS.ProcessEnv): Credentials {
  switch (auth.type) {
    case 'none':
      return { headers: {}, secrets: [] };
    case 'bearer': {
      const token = readSecret(auth.token_env, `${path}.token_env`, env);
      return { headers: { authorization: `Bearer ${token}` }, secrets: [token] };
    }
    case 'api_key': {
      const key = readSecret(auth.key_env, `${path}.key_env`, env);
      return { headers: { [auth.header]: key }, secrets: [key] };
    }
    case 'basic': {
      const password = readSecret(auth.password_env, `${path}.password_env`, env);
      const encoded = Buffer.from(`${auth.user}:${password}`).toString('base64');
      return { headers: { authorization: `Basic ${encoded}` }, secrets: [password, encoded] };
    }
  }
}
