/**
 * Which connector serves a kind of source. A new kind (http next) adds its folder beside
 * database/ and one case here; the delivery and the extract step are shared.
 */
import type { Connector } from './connector.ts';
import { databaseConnector } from './database/connector.ts';
import { readSecret } from './secrets.ts';
import type { ConfiguredSource } from './settings.ts';

export function openConnector(source: ConfiguredSource, env: NodeJS.ProcessEnv = process.env): Connector {
  const { settings, contract, path } = source;
  switch (settings.kind) {
    case 'database': {
      const password = settings.password_env ? readSecret(settings.password_env, `${path}.password_env`, env) : undefined;
      return databaseConnector(contract, settings, password);
    }
    case 'file':
      throw new Error(`${path}: files are read by the file loader, not a connector`);
  }
}
