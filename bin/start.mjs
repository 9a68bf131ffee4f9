#!/usr/bin/env node
// `npm start`: the bot (src/main.ts), compiled when dist/ is built and fresh, else the TypeScript
// through tsx (bin/latest.mjs). In production, `npm install` (or `npm run build`) has built dist/
// and the bot runs as plain JavaScript: no tsx, and some 100 MB less memory.
import { runLatest } from './latest.mjs';

await runLatest('main');
