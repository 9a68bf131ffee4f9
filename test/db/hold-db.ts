// A Tally process for the lock tests: opens the embedded database in argv[2], prints "open <pid>",
// then: crash (kill -9 itself), hold (until stdin closes), or close (and exit).
import { cliRefusal } from '../../src/cli/text.js';
import { openDatabase } from '../../src/db/open.js';

const [dir, mode] = process.argv.slice(2);
try {
  const db = await openDatabase(`pglite:${dir}`);
  process.stdout.write(`open ${process.pid}\n`);
  if (mode === 'crash') process.kill(process.pid, 'SIGKILL');
  else if (mode === 'hold') {
    process.stdin.resume();
    process.stdin.on('end', () => void db.close());
  } else await db.close();
} catch (e) {
  process.stdout.write(`refused ${process.pid}: ${cliRefusal(e) ?? (e as Error).message}\n`);
  process.exitCode = 1;
}
