// Preloaded into the CLI the big-file benchmark runs: says the process's peak memory as it exits.
process.on('exit', () => process.stderr.write(`TALLY_PEAK_RSS_KB ${process.resourceUsage().maxRSS}\n`));
