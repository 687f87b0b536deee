#!/usr/bin/env node
// The `crm-eval` command. The project is written in TypeScript and run as-is through tsx's
// loader, so a clone works right after `npm install` with no build step.
import { register } from 'tsx/esm/api';

register();
await import('../cli/main.ts');
