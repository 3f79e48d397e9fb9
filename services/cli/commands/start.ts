/**
 * `npm start` / `aegis start`: the whole system on the local stack.
 * For now the stack alone; the services hang on it as they land.
 */
import type { Command } from '../command.ts';
import stack from './stack.ts';

const command: Command = {
  name: 'start',
  summary: 'run the whole Aegis demo locally',
  help: `Usage: aegis start

Runs the whole system locally: today the Kafka + schema registry stack
(see 'aegis stack up --help'). Ctrl-C stops everything.
`,
  run: (argv) => stack.run(['up', ...argv]),
};

export default command;
