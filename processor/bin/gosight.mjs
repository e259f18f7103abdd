#!/usr/bin/env node
// Launcher for the `gosight` CLI: registers tsx's ESM loader and runs src/cli.ts
// (the repo runs TypeScript directly, without a build step).
import { register } from 'tsx/esm/api';

register();
await import('../src/cli.ts');
