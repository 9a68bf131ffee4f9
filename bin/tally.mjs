#!/usr/bin/env node
// The `tally` command: the compiled CLI when dist/ is built and fresh, else the TypeScript through
// tsx (bin/latest.mjs). Compiled, a million-row import stays under 400 MB.
import { runLatest } from './latest.mjs';

await runLatest('cli/main');
