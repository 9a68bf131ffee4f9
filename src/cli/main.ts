#!/usr/bin/env node
import { fstatSync, writeSync } from 'node:fs';
import { ConfigError, loadDotEnv } from '../config.js';
import { faultOf } from '../faults.js';
import { EXIT_FAULT, runCli } from './program.js';
import { cliFault, cliRefusal, OutputFailed } from './text.js';

// a reader that went away (`tally rank ... | head -5`) is not a failure: stop writing, finish quietly
function writer(stream: NodeJS.WriteStream): (text: string) => void {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
  });
  return (text) => {
    if (!stream.destroyed) stream.write(text);
  };
}

/**
 * Output into a file (`tally payroll --csv > payroll.csv`): Node writes each chunk with one write(2)
 * and ignores a short count, so a disk that fills cut the file without a word (exit 0). Here every
 * byte is written, or the command fails saying the output is incomplete.
 */
function fileWriter(fd: number): (text: string) => void {
  return (text) => {
    const bytes = Buffer.from(text);
    try {
      for (let at = 0; at < bytes.length;) at += writeSync(fd, bytes, at);
    } catch (e) {
      throw new OutputFailed('the output', { cause: e });
    }
  };
}

const isFile = (fd: number) => {
  try {
    return fstatSync(fd).isFile();
  } catch {
    return false;
  }
};
const stdout = isFile(1) ? fileWriter(1) : writer(process.stdout);
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
  } else if (faultOf(e)) {
    stderr(`error: ${cliFault(faultOf(e)!)}\n`);
    process.exitCode = EXIT_FAULT;
  } else {
    stderr(`tally: unexpected failure: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = 70;
  }
}
