/** Every `photosync` command, registered in the order `--help` lists them. */
import type { Command } from 'commander';
import { registerBackupCommand } from './backup.ts';
import { registerDedupeCommand } from './dedupe.ts';
import { registerSessionCommands } from './login.ts';
import { registerRestoreCommand } from './restore.ts';
import { registerServeCommand } from './serve.ts';
import { registerUpdateCommands } from './update.ts';
import { registerUserCommands } from './user.ts';
import { registerVerifyCommand } from './verify.ts';

export function registerCommands(program: Command): void {
  registerServeCommand(program);
  registerSessionCommands(program);
  registerBackupCommand(program);
  registerRestoreCommand(program);
  registerDedupeCommand(program);
  registerUserCommands(program);
  registerVerifyCommand(program);
  registerUpdateCommands(program);
}
