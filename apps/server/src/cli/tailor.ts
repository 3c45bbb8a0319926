import { runCli } from './cli.js';

// The process stays alive after `serve` resolves (the server is listening); other commands end.
const code = await runCli(process.argv.slice(2), {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  env: process.env,
});
process.exitCode = code;
