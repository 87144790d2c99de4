/** Every `photosync` command, registered in the order `--help` lists them. */
import type { Command } from 'commander';
import { registerSessionCommands } from './login.ts';
import { registerServeCommand } from './serve.ts';

export function registerCommands(program: Command): void {
  registerServeCommand(program);
  registerSessionCommands(program);
}
