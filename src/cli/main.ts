#!/usr/bin/env node
import { ConfigError, loadDotEnv } from '../config.js';
import { runCli } from './program.js';

try {
  loadDotEnv();
  process.exitCode = await runCli(process.argv.slice(2), {
    out: (s) => process.stdout.write(`${s}\n`),
    err: (s) => process.stderr.write(`${s}\n`),
    env: process.env,
  });
} catch (e) {
  if (e instanceof ConfigError) {
    process.stderr.write(`error: ${e.message}\n`);
    process.exitCode = 1;
  } else {
    process.stderr.write(`tally: unexpected failure: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = 70;
  }
}
