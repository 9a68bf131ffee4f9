#!/usr/bin/env node
import { ConfigError, loadDotEnv } from '../config.js';
import { runCli } from './program.js';
import { cliRefusal } from './text.js';

// a reader that went away (`tally rank ... | head -5`) is not a failure: stop writing, finish quietly
function writer(stream: NodeJS.WriteStream): (text: string) => void {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
  });
  return (text) => {
    if (!stream.destroyed) stream.write(text);
  };
}
const stdout = writer(process.stdout);
const stderr = writer(process.stderr);

try {
  loadDotEnv();
  process.exitCode = await runCli(process.argv.slice(2), {
    out: (s) => stdout(`${s}\n`),
    write: stdout,
    err: (s) => stderr(`${s}\n`),
    // progress is for a person watching: not when the output goes to a file or a pipe
    ...(process.stdout.isTTY && process.stderr.isTTY ? { status: (s: string) => stderr(`\r\x1b[K${s}`) } : {}),
    env: process.env,
  });
} catch (e) {
  if (e instanceof ConfigError) {
    stderr(`error: ${cliRefusal(e)}\n`);
    process.exitCode = 1;
  } else {
    stderr(`tally: unexpected failure: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = 70;
  }
}
