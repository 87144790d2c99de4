/** Every `photosync` command, registered in the order `--help` lists them. */
import type { Command } from 'commander';
import { registerSessionCommands } from './login.ts';
import { registerServeCommand } from './serve.ts';
import { registerUserCommands } from './user.ts';
import { registerVerifyCommand } from './verify.ts';

export function registerCommands(program: Command): void {
  registerServeCommand(program);
  registerSessionCommands(program);
  registerUserCommands(program);
  registerVerifyCommand(program);
}
